"""The owners' decision e-voting portal: a Pyramid application over ZODB.

Importing the package loads nothing else, so a pure rules module (``portal.voting.tally``,
``portal.ballots.rules`` ...) can be imported without Pyramid, ZODB or hypatia; the
application itself is put together in ``portal.app``.
"""


def main(global_config, **settings):
    """The WSGI application (``paste.app_factory``: ``egg:portal``)."""
    from portal.app import main as make_app

    return make_app(global_config, **settings)
