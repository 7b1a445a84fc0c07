"""One confirmation step for whatever cannot be undone (unbinding, withdrawing, cancelling, ...).

A button that would do something irreversible links to the GET of the same address; that page,
rendered by ``confirm_page``, says in words what will happen and what it costs, and carries the
real form (POST, with the CSRF token and any fields the step needs, such as a reason).  The POST
view stays the one place that acts, so the JSON API is unchanged.
"""
from pyramid.renderers import render_to_response


def confirm_page(request, title, consequences, action, button, back, fields=(), danger=True):
    """The page asking "are you sure?".

    title, button: messages; consequences: messages, each a sentence of what will happen;
    action: the URL the form posts to; back: where "keep it as it is" leads;
    fields: [{"name", "label", "required": bool, "value"}] text areas the step needs (a reason).
    """
    return render_to_response("portal.templates:confirm.pt", {
        "title": title, "consequences": list(consequences), "action": action, "button": button,
        "back": back, "fields": list(fields), "danger": danger,
    }, request=request)
