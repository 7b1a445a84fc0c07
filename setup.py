"""The owners' decision e-voting portal: a Pyramid + ZODB application."""
import os

from setuptools import Command, find_packages, setup
from setuptools.command.build_py import build_py

HERE = os.path.abspath(os.path.dirname(__file__))


def compile_catalogs():
    """Compile every portal/locale/*/LC_MESSAGES/*.po into its .mo (Babel)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = os.path.join(HERE, "portal", "locale")
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if not name.endswith(".po"):
                continue
            po_path = os.path.join(dirpath, name)
            with open(po_path, "rb") as po_file:
                catalog = read_po(po_file)
            with open(po_path[:-3] + ".mo", "wb") as mo_file:
                write_mo(mo_file, catalog)


class BuildWithCatalogs(build_py):
    def run(self):
        compile_catalogs()
        super().run()


class CompileCatalogs(Command):
    description = "compile the .po message catalogs into .mo files"
    user_options = []

    def initialize_options(self):
        pass

    def finalize_options(self):
        pass

    def run(self):
        compile_catalogs()


requires = [
    "pyramid>=2.0,<3",
    "pyramid_chameleon>=0.3,<1",
    "pyramid_tm>=2.5,<3",
    "pyramid_retry>=2.1,<3",
    "pyramid_zodbconn>=0.8,<1",
    "ZODB>=6,<7",
    "zodburi>=2.6,<4",
    "ZEO>=6,<7",
    "BTrees>=5,<7",
    "transaction>=4,<6",
    "deform>=2.0.15,<4",
    "colander>=2,<3",
    "argon2-cffi>=23,<26",
    "PyYAML>=6,<7",
    "cryptography>=41",
    "openpyxl>=3.1,<4",
    "weasyprint>=70,<80",
    "segno>=1.5,<2",
    "hypatia>=0.4",
    "waitress>=3,<4",
    "Babel>=2.12,<3",
    "setuptools<81",
    "wechatpy>=1.8,<2",
]

# RelStorage on PostgreSQL, the step beyond ZEO (README, "More than one process"); production may
# prefer psycopg2 built against the system's libpq to the self-contained binary wheel.
postgresql_require = [
    "RelStorage>=4.1,<5",
    "psycopg2-binary>=2.9,<3",
]

tests_require = postgresql_require + [
    "pytest>=8,<10",
    "pytest-xdist>=3.5,<4",             # `make test` runs the suite on every core
    "WebTest>=3,<4",
    "openapi-spec-validator>=0.7,<1",
    "lingua>=4.15,<5",
    "selenium>=4.20,<5",
    "hypothesis>=6.100,<7",
    "schemathesis>=4,<5",
]

setup(
    name="portal",
    version="0.1.0",
    description="Owners' decision e-voting portal",
    packages=find_packages(include=["portal", "portal.*"])
    + ["portal.templates", "portal.static", "portal.workflows"],
    package_dir={"portal.templates": "templates", "portal.static": "static", "portal.workflows": "workflows"},
    package_data={
        "portal": ["locale/*/LC_MESSAGES/*.po", "locale/*/LC_MESSAGES/*.mo", "locale/*.pot"],
        "portal.templates": ["*.pt", "deform/*.pt", "panels/*.pt", "pdf/*.pt"],
        "portal.static": ["*.css", "*.js", "*.svg", "*.ico"],
        "portal.workflows": ["*.yaml"],
    },
    include_package_data=False,
    zip_safe=False,
    python_requires=">=3.11",
    install_requires=requires,
    extras_require={"testing": tests_require, "postgresql": postgresql_require},
    cmdclass={"build_py": BuildWithCatalogs, "compile_catalogs": CompileCatalogs},
    entry_points={
        "paste.app_factory": ["main = portal:main"],
        "console_scripts": [
            "portal-init = portal.scripts.init:main",
            "portal-audit = portal.scripts.audit:main",
            "portal-tick = portal.scripts.tick:main",
            "portal-generate-city = portal.scripts.generate_city:main",
            "portal-rotate-id-key = portal.scripts.rotate_id_key:main",
            "portal-pack = portal.scripts.pack:main",
            "portal-check = portal.scripts.check:main",
            "portal-recompute = portal.scripts.recompute:main",
            "portal-notify = portal.scripts.notify:main",
            "portal-reindex = portal.scripts.reindex:main",
        ],
    },
)
