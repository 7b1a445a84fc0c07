"""The account a request acts as is looked up once per request object, and never kept in the
WSGI environ, which pyramid_retry copies into the next attempt's request."""
from pyramid.request import Request

from portal.security.policy import PortalSecurityPolicy


class Counting(PortalSecurityPolicy):
    def __init__(self):
        super().__init__(tokens=None)
        self.looked_up = 0

    def _identity(self, request):
        self.looked_up += 1
        return object()          # stands for an account loaded by this attempt's connection


def test_the_account_is_looked_up_once_per_request_and_not_kept_in_the_environ():
    policy = Counting()
    first = Request.blank("/@bind")
    account = policy.identity(first)
    assert policy.identity(first) is account and policy.looked_up == 1
    assert not any(value is account or (isinstance(value, dict) and account in value.values())
                   for value in first.environ.values())
    retried = Request(dict(first.environ))          # what pyramid_retry makes for the next attempt
    assert policy.identity(retried) is not account and policy.looked_up == 2


class Session(dict):
    def invalidate(self):
        self.clear()


def test_forgetting_drops_the_cached_account():
    policy = Counting()
    request = Request.blank("/")
    request.__dict__["session"] = Session()          # as the reified session would be
    policy.identity(request)
    policy.forget(request)
    policy.identity(request)
    assert policy.looked_up == 2
