"""Linking a WeChat openid to an account, and whether it follows the official account (no
Pyramid).  Like phones, an openid is stored only as a keyed hash (for look-ups) beside its
encrypted form (for sending)."""
from portal.i18n import _


class LinkRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def openid_hash(personal, openid):
    return personal.identity_hash("wechat-openid", openid)


def account_for(store, personal, openid):
    """The uid linked to ``openid``, or None."""
    link = store.links.get(openid_hash(personal, openid))
    return link[0] if link else None


def link(store, personal, uid, openid):
    """Link ``openid`` to ``uid`` once: an account has one WeChat, a WeChat one account."""
    found = openid_hash(personal, openid)
    current = store.links.get(found)
    if current is not None:
        if current[0] == uid:
            return found
        raise LinkRefused(_("This WeChat is already linked to another account."))
    if uid in store.link_of:
        raise LinkRefused(_("Your account is already linked to another WeChat."))
    store.links[found] = (uid, personal.encrypt(openid))
    store.link_of[uid] = found
    return found


def set_following(store, personal, openid, following, now):
    """A follow / unfollow event from the official account's server messages."""
    store.follows[openid_hash(personal, openid)] = (bool(following), now)
