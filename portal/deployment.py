"""What a production deployment must and must not have (``portal.deployment = production``).

``problems(settings)`` lists, in words an operator acts on, every reason the settings are not fit
to serve owners: a secret missing or kept where it should not be, a development-only setting on.
The application refuses to start while the list is not empty, and ``portal-check`` prints it.
"""
import os

from portal.settings import flag

SECRETS = (("secret", "PORTAL_SECRET", "signs sessions and tokens"),
           ("id_key", "PORTAL_ID_KEY", "encrypts names, ID numbers and phones"))
DEVELOPMENT_ONLY = (("clock_override", "lets an administrator move the portal's clock"),
                    ("face_double", "mounts the face-provider stand-in"),
                    ("outbox_page", "shows every text message on a public page"),
                    ("wechat_double", "mounts the WeChat stand-in"))
CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def is_production(settings):
    return (settings.get("portal.deployment") or "development").strip() == "production"


def secret_problems(settings, environ):
    found = []
    for name, env_var, purpose in SECRETS:
        if environ.get(env_var):
            continue
        if settings.get(f"portal.{name}"):
            found.append(f"portal.{name} is written in the settings file; give it by {env_var} or "
                         f"portal.{name}_file instead (it {purpose})")
            continue
        path = settings.get(f"portal.{name}_file")
        if not path:
            found.append(f"no {env_var} and no portal.{name}_file (it {purpose})")
        elif not os.path.isfile(path):
            found.append(f"portal.{name}_file names {path}, which does not exist (production never "
                         f"creates a secret: make it once, keep a copy in the vault)")
        elif os.path.abspath(path).startswith(CHECKOUT + os.sep):
            found.append(f"portal.{name}_file {path} is inside the checkout; keep secrets outside it")
    return found


def problems(settings, environ=None):
    """Every reason these settings cannot serve in production (empty when they can, or when the
    settings are not production ones)."""
    if not is_production(settings):
        return []
    environ = os.environ if environ is None else environ
    found = secret_problems(settings, environ)
    for name, what in DEVELOPMENT_ONLY:
        if flag(settings, name):
            found.append(f"portal.{name} is on: it {what}, for development only")
    if not flag(settings, "secure_cookies"):
        found.append("portal.secure_cookies is off: sessions would travel without HTTPS")
    if not settings.get("portal.message_sender"):
        found.append("no portal.message_sender: text messages would only be written to a file "
                     "(set portal.binding.sms_gateway.AliyunSender and its keys)")
    return found


class NotFitToServe(RuntimeError):
    def __init__(self, found):
        super().__init__("The portal will not start with these production settings:\n"
                         + "\n".join(f"- {p}" for p in found))
        self.problems = found


def refuse_unfit(settings):
    found = problems(settings)
    if found:
        raise NotFitToServe(found)
