"""``GET /@health``: for load balancers and monitoring; says whether the database answers."""
from pyramid.view import view_config

from portal.content.models import Portal


@view_config(context=Portal, name="@health", renderer="json", http_cache=0)
def health(context, request):
    # traversal to the root already read the database; counting the districts proves it answers
    return {"status": "ok", "database": "ok", "districts": len(context)}
