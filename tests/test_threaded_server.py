"""The test servers of ``tests.support.threaded`` stop without killing their loop thread.

Closing a waitress server from another thread while its loop polled the listening socket made
the loop thread die with EBADF now and then (an unhandled-thread warning in ``make test``);
``served`` stops the server from inside its loop."""
import http.client
import logging
import socket
import threading
import time

import pytest

from tests.support.threaded import served


def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


@pytest.fixture
def thread_errors(monkeypatch):
    errors = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    return errors


def refused(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", int(port))) != 0


def test_starting_and_stopping_at_once_never_breaks_the_loop(thread_errors):
    for _ in range(100):                 # the old way failed about 3 times in 100
        with served(hello, threads=2) as server:
            port = server.effective_port
        assert refused(port)
    assert thread_errors == []


def test_a_served_app_answers_and_an_open_connection_does_not_hold_the_stop(thread_errors):
    before = threading.active_count()
    with served(hello, threads=2) as server:
        client = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=5)
        client.request("GET", "/")
        assert client.getresponse().read() == b"ok"          # the connection stays open (HTTP/1.1)
        assert threading.active_count() == before + 3        # the loop and two workers
    assert refused(server.effective_port)
    assert server.active_channels == {}
    assert threading.active_count() == before              # no thread left behind
    client.close()
    assert thread_errors == []


def test_stopping_while_clients_are_sending_breaks_nothing(thread_errors, caplog):
    """Workers still writing answers when the stop comes: they finish first, then the sockets are
    closed (closing them first failed the stop itself with EBADF about once in 40)."""
    def slow(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "50000")])
        return [b"x" * 50000]

    for _ in range(40):
        stop = threading.Event()
        with served(slow, threads=4) as server:
            port = server.effective_port

            def client():
                while not stop.is_set():
                    try:
                        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                        connection.request("GET", "/")
                        connection.getresponse().read()
                        connection.close()
                    except OSError:
                        pass                        # the server went away under this client: expected
            clients = [threading.Thread(target=client, daemon=True) for _ in range(4)]
            for thread in clients:
                thread.start()
            time.sleep(0.02)
        stop.set()
        for thread in clients:
            thread.join(5)
    assert thread_errors == []
    assert [r for r in caplog.records if r.name.startswith("waitress") and r.levelno >= logging.ERROR] == []
