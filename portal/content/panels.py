"""Sections other packages add to a node's page, so the tree's views know nothing of them.

A package registers a panel in its ``includeme``::

    config.add_node_panel("ballots", Community, ballot_panel, "portal.templates:panels/ballots.pt", order=20)

``ballot_panel(request, context)`` returns the template's values, or None to show nothing.  The
node page renders the panels of its context's class in ``order``.  A name registered twice is a
configuration conflict, found at start-up.
"""
from pyramid.renderers import render


def add_node_panel(config, name, context_type, values, template, order=50):
    def register():
        config.registry.node_panels.append((order, name, context_type, values, template))
        config.registry.node_panels.sort(key=lambda panel: (panel[0], panel[1]))

    config.action(("portal.node_panel", name), register)


def rendered_panels(request, context):
    """The HTML of every panel that has something to show on ``context``'s page."""
    out = []
    for _order, _name, context_type, values, template in request.registry.node_panels:
        if isinstance(context, context_type):
            found = values(request, context)
            if found is not None:
                out.append(render(template, dict(found, context=context), request=request))
    return out


def includeme(config):
    config.registry.node_panels = []
    config.add_directive("add_node_panel", add_node_panel)
