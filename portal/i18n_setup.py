"""Wiring the translations: ours, colander's and deform's, Chinese by default."""
from portal.i18n import negotiate_locale


def includeme(config):
    config.set_locale_negotiator(negotiate_locale)
    config.add_translation_dirs("colander:locale", "deform:locale", "portal:locale")
