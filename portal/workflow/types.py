"""The kinds of object that follow a workflow, and where to find them.

The workflow package knows nothing of ballots or documents: each package whose objects follow a
workflow registers its kind in its own ``includeme``::

    config.add_workflowed_type("ballot", find_ballots)

where ``find_ballots(portal)`` yields every object of that kind.  Editing or resetting a
workflow remaps every object of its kind (``objects_of``).  A kind registered twice is a
configuration conflict, found at start-up.
"""


def add_workflowed_type(config, kind, find):
    def register():
        config.registry.workflowed_types[kind] = find

    config.action(("portal.workflowed_type", kind), register)


def objects_of(registry, portal, kind):
    """Every object of ``kind`` in the portal (none when no package registered the kind)."""
    find = registry.workflowed_types.get(kind)
    return list(find(portal)) if find is not None else []


def includeme(config):
    config.registry.workflowed_types = {}
    config.add_directive("add_workflowed_type", add_workflowed_type)
