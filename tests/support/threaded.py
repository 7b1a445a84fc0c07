"""A WSGI application served by waitress on a loopback port, from a thread of this process.

Closing the listening socket from another thread could leave the loop polling a closed
descriptor, and the loop thread then died with EBADF (seen as an unhandled-thread warning in
``make test``); closing sockets under a worker still answering failed the same way.  So ``stop``
lets the workers finish, then closes everything inside the server's own loop thread."""
import contextlib
import threading

from waitress.server import create_server


@contextlib.contextmanager
def served(app, port=0, threads=4, **options):
    """Yield the running server (``server.effective_port``) while ``app`` is served on 127.0.0.1."""
    server = create_server(app, host="127.0.0.1", port=port, threads=threads, **options)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop(server, thread)


def stop(server, thread, seconds=10):
    """Stop the worker threads once they have finished what they serve (no socket is closed under
    a worker still writing its answer); then close the connections, the listening socket and the
    trigger in the loop thread, so the loop ends by itself."""
    server.task_dispatcher.shutdown(timeout=seconds)

    def close_all():
        for channel in list(server.active_channels.values()):
            channel.handle_close()
        server.close()

    try:
        server.trigger.pull_trigger(close_all)
    except OSError:                 # its pipe is closed already: close the rest from here
        close_all()
    thread.join(seconds)
