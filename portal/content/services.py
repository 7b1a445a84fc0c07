"""Creating and editing nodes of the tree (no Pyramid here: views audit and respond)."""
from portal.content.models import CONTENT_TYPES
from portal.events import ObjectModified, notify


class WrongType(ValueError):
    """The container does not hold that type of content."""


def create_child(container, type_name, values):
    """Add a new child of ``type_name`` with the validated ``values``; return it."""
    cls = CONTENT_TYPES.get(type_name)
    if cls is None or container.child_type is not cls:
        raise WrongType(type_name)
    values = dict(values)
    slug = values.pop("id")
    title = values.pop("title")
    return container.add(slug, cls(title, **values))


def update_node(node, values, now):
    """Apply validated edit values; return the names of the fields that changed."""
    changed = sorted(name for name, value in values.items() if getattr(node, name, None) != value)
    node.update(**{name: values[name] for name in changed})
    if changed:
        notify(ObjectModified(node, names=changed, when=now))
    return changed


def node_fields(node, names):
    return {name: getattr(node, name, "") for name in names}
