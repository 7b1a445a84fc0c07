"""Every message id in code and templates has a Chinese translation, and it really shows."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "portal" / "locale" / "zh_Hans" / "LC_MESSAGES" / "portal.po"


def test_every_message_has_a_chinese_translation(tmp_path):
    pot = tmp_path / "portal.pot"
    creator = Path(sys.executable).with_name("pot-create")
    subprocess.run([str(creator), "-o", str(pot), "portal", "templates"], cwd=ROOT, check=True,
                   capture_output=True)
    with open(pot, "rb") as source:
        wanted = {m.id for m in read_po(source) if m.id}
    with open(PO, "rb") as source:
        catalog = read_po(source)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(wanted - translated)
    assert not missing, f"untranslated (run `make i18n`, then translate): {missing}"


def test_the_compiled_catalog_is_current():
    mo = PO.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= PO.stat().st_mtime - 1


def test_colander_and_deform_messages_show_in_chinese(as_role):
    form = as_role("street").get("/tianhe/shipai/@add").forms["form"]
    page = form.submit("add", status=400)
    assert "必需" in page.text            # colander's "Required", from its zh_Hans catalog
    assert "提交的内容有误" in page.text   # deform's error summary
