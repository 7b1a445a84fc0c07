"""Events the tree and the workflow send, so that each concern can react in its own package.

A container sends ``ObjectAdded`` after it takes a child (the register, the ballots and the
documents hang their folders on a new community this way, and the catalog indexes what is
added); ``ObjectWillBeRemoved`` before it lets one go; code that changes an object's indexed
facts sends ``ObjectModified``; the workflow sends ``StateChanged`` after every transition.

Subscribers are registered for the pair (event class, object class), as Substance D does:
``config.add_subscriber(f, (ObjectAdded, Community))`` calls ``f(event, community)``; use
``zope.interface.Interface`` as the object class to hear about every object.  Importing this
module loads nothing: the registry is looked up when an event is sent.
"""


class ObjectEvent:
    def __init__(self, object, parent=None, name=None):
        self.object = object
        self.parent = parent if parent is not None else getattr(object, "__parent__", None)
        self.name = name if name is not None else getattr(object, "__name__", None)


class ObjectAdded(ObjectEvent):
    """``object`` was put into ``parent`` under ``name``."""


class ObjectWillBeRemoved(ObjectEvent):
    """``object`` is about to leave ``parent`` (it is still there)."""


class ObjectModified(ObjectEvent):
    """``object``'s facts changed (fields, dates, local roles): ``names`` says which, when known
    (an empty tuple means "anything may have changed"); ``when`` is the time of the change."""

    def __init__(self, object, names=(), when=None):
        super().__init__(object)
        self.names = tuple(names)
        self.when = when


class StateChanged(ObjectEvent):
    """``object`` moved along a workflow transition; ``entry`` is the history entry."""

    def __init__(self, object, entry):
        super().__init__(object)
        self.entry = entry


def notify(event):
    """Call every subscriber registered for (this event, this object)."""
    from pyramid.threadlocal import get_current_registry

    get_current_registry().subscribers((event, event.object), None)
