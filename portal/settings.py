"""Reading the portal's settings, and the secrets that must never be committed.

A secret comes from an environment variable, else from the settings, else from a file named in
the settings, which is created (mode 0600) on first start.  ``make serve`` keeps its file under
``var/``; production passes ``PORTAL_SECRET`` or points ``portal.secret_file`` at its vault.
"""
import os
import secrets

from pyramid.settings import asbool


def _given(settings, name, env_var):
    """The secret given directly (environment, then settings), and the file named for it."""
    return os.environ.get(env_var) or settings.get(f"portal.{name}"), settings.get(f"portal.{name}_file")


def read_secret(settings, name, env_var):
    value, path = _given(settings, name, env_var)
    if value:
        return value.encode("utf-8") if isinstance(value, str) else value
    if not path:
        raise RuntimeError(f"set {env_var}, portal.{name} or portal.{name}_file")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    with open(path, encoding="ascii") as source:
        return source.read().strip().encode("ascii")


def read_optional_secrets(settings, name, env_var):
    """Zero or more secrets (separated by white space) from ``env_var``, ``portal.<name>`` or the
    file ``portal.<name>_file``, which must exist when named: these are never created."""
    value, path = _given(settings, name, env_var)
    if not value and path:
        if not os.path.exists(path):
            raise RuntimeError(f"portal.{name}_file names {path}, which does not exist")
        with open(path, encoding="ascii") as source:
            value = source.read()
    return [part.encode("utf-8") for part in (value or "").split()]


def flag(settings, name, default=False):
    return asbool(settings.get(f"portal.{name}", default))
