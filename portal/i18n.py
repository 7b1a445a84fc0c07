"""Message ids, the supported languages and how a request's language is chosen.

Every user-facing string is ``_("English default")``; ``portal/locale/zh_Hans`` holds the
Chinese.  Chinese is the default; English is chosen by the visible switch, which is remembered
in the ``_LOCALE_`` cookie.
"""
from translationstring import TranslationStringFactory

_ = TranslationStringFactory("portal")

DEFAULT_LOCALE = "zh_Hans"
LOCALES = {"zh_Hans": "中文", "en": "English"}
LOCALE_COOKIE = "_LOCALE_"


def negotiate_locale(request):
    """The request's language: an explicit ``_LOCALE_`` parameter, then the cookie."""
    try:
        sources = (request.params, request.cookies)
        for source in sources:
            value = source.get(LOCALE_COOKIE)
            if value in LOCALES:
                return value
    except ValueError:      # undecodable input, refused as a 400 (portal.request), in the default language
        pass
    return DEFAULT_LOCALE


def translate(request, message, mapping=None):
    """``message`` in the request's language."""
    return request.localizer.translate(message, mapping=mapping)
