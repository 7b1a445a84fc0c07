"""``portal.freeze_startup``: a served process leaves start-up's objects out of full collections."""
import configparser
import gc
from pathlib import Path

import pytest

from portal.app import main
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()           # the test process's own objects are never left frozen


@pytest.mark.parametrize("value,frozen", [("true", True), ("false", False)])
def test_the_setting_decides_whether_start_up_is_frozen(tmp_path, unfrozen, value, frozen):
    app = main({}, **dict(make_settings(tmp_path), **{"portal.freeze_startup": value}))
    try:
        assert (gc.get_freeze_count() > 10_000) is frozen
    finally:
        app.registry._zodb_databases[""].close()


@pytest.mark.parametrize("ini", ["development.ini", "production.ini", "production-postgresql.ini"])
def test_the_shipped_settings_freeze_start_up(ini):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / ini)
    assert parser["app:main"]["portal.freeze_startup"] == "true"
