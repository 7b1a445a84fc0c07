"""The waitress settings shipped in zeo.ini, behind a reverse proxy: the per-address sign-in
throttle counts the owner's forwarded address, so one address that guesses passwords is stopped
while everyone else behind the same proxy still signs in."""
import configparser
from pathlib import Path

import pytest

from tests.support import loopback
from tests.support.loopback import api
from portal.security.throttle import LOGIN_ACCOUNT, LOGIN_ADDRESS

SHIPPED = Path(__file__).resolve().parent.parent / "zeo.ini"


def shipped_waitress_settings():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(SHIPPED)
    return {k: v for k, v in parser["server:main"].items() if k not in ("use", "listen")}


@pytest.fixture
def behind_proxy(tmp_path):
    port = loopback.free_port()
    ini = loopback.write_ini(tmp_path, f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs", port,
                             "proxy-secret", "proxy-key", server=shipped_waitress_settings())
    loopback.init(ini, "--demo")
    process = loopback.start(ini)
    try:
        loopback.wait_for(port)
        yield port
    finally:
        loopback.stop([process])


def sign_in(port, login, password, address):
    return api(port, "POST", "/@login", {"login": login, "password": password},
               **{"X-Forwarded-For": address})[0]


def test_the_throttle_counts_the_forwarded_address_not_the_proxy(behind_proxy):
    assert shipped_waitress_settings()["trusted_proxy"] == "127.0.0.1"
    guesser = "203.0.113.7"
    guesses = [sign_in(behind_proxy, f"nobody{n // (LOGIN_ACCOUNT.limit - 1)}", "wrong", guesser)
               for n in range(LOGIN_ADDRESS.limit)]
    assert set(guesses) == {401}
    assert sign_in(behind_proxy, "admin", "admin-demo", guesser) == 429       # this address is stopped
    assert sign_in(behind_proxy, "admin", "admin-demo", "198.51.100.9") == 200  # the next owner is not
