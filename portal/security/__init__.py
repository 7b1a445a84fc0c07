"""Accounts, local roles, the security policy, tokens and throttling."""
from pyramid.session import SignedCookieSessionFactory

from portal.security.policy import PortalSecurityPolicy, bearer_token
from portal.security.tokens import TokenService
from portal.settings import flag, read_secret

SESSION_COOKIE = "portal_session"


def csrf_applies(request):
    """Check CSRF on unsafe requests that carry the session cookie and no bearer token."""
    return SESSION_COOKIE in request.cookies and bearer_token(request) is None


def includeme(config):
    settings = config.registry.settings
    secret = read_secret(settings, "secret", "PORTAL_SECRET")
    config.set_session_factory(
        SignedCookieSessionFactory(
            secret,
            cookie_name=SESSION_COOKIE,
            httponly=True,
            samesite="Lax",
            secure=flag(settings, "secure_cookies"),
            timeout=8 * 3600,
            reissue_time=600,
            hashalg="sha512",
        )
    )
    tokens = TokenService(secret)
    config.registry.portal_tokens = tokens
    config.set_security_policy(PortalSecurityPolicy(tokens))
    config.set_default_csrf_options(require_csrf=True, callback=csrf_applies)
    config.registry.portal_secret = secret
