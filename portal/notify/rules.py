"""What is sent to whom, and what a channel's answer means (plain functions, no Pyramid).

Events are *legal notices* (every owner group in scope, whatever its settings) or *reminders*
(only groups that have not voted and whose recipient has not turned reminders off).
"""
import datetime

WECHAT, SMS = "wechat", "sms"

NOTICE, VOTING, EXTENSION, DEADLINE, PRELIMINARY, FINAL, CUSTOM, ANSWER = (
    "notice", "voting", "extension", "deadline", "preliminary", "final", "custom", "objection_answer")
LEGAL = frozenset({NOTICE, VOTING, EXTENSION, PRELIMINARY, FINAL, ANSWER})   # ANSWER: to the filer only
REMINDERS = frozenset({DEADLINE, CUSTOM})
EVENTS = tuple(sorted(LEGAL | REMINDERS))

# the approved texts street staff may send as a custom reminder (never free text)
CUSTOM_TEMPLATES = ("last_days", "quorum_short", "paper_available")

SENDING, ACCEPTED, REFUSED, UNREACHABLE, UNCERTAIN, SKIPPED = (
    "sending", "accepted", "refused", "unreachable", "uncertain", "skipped")

MAX_ATTEMPTS = 5
DEADLINE_DAYS = 3

# WeChat: -1 system busy, 45009 daily quota, 45047 too many messages: try again later.
# 43004 the user does not follow the official account: fall back to SMS.
WECHAT_RETRY = frozenset({-1, 45009, 45047, 45015})
WECHAT_UNFOLLOWED = 43004
SMS_RETRY = frozenset({"isv.BUSINESS_LIMIT_CONTROL", "isp.SYSTEM_ERROR", "no answer"})


def is_reminder(event):
    return event in REMINDERS


def wanted(event, voted, opted_out):
    """Does an owner group get ``event``?  Legal notices always; reminders only to groups that
    have not voted and have not turned reminders off."""
    if event in LEGAL:
        return True
    return not voted and not opted_out


def channel_for(followed_openid, has_phone):
    """WeChat where the bound account's openid follows the official account, else SMS to the
    register's phone, else nothing (unreachable)."""
    if followed_openid:
        return WECHAT
    if has_phone:
        return SMS
    return None


def retry_after(channel, code, attempts):
    """How long to wait before trying again after a refusal ``code``, or None to give up."""
    retryable = WECHAT_RETRY if channel == WECHAT else SMS_RETRY
    if code not in retryable or attempts >= MAX_ATTEMPTS:
        return None
    return datetime.timedelta(seconds=30 * 2 ** (attempts - 1))


def falls_back(channel, code):
    """A WeChat refusal because the owner no longer follows the account: send by SMS instead."""
    return channel == WECHAT and code == WECHAT_UNFOLLOWED


def deadline_reminder_at(deadline):
    """When the "three days before the deadline" reminder goes out (``deadline`` = 00:00 after
    the last voting day)."""
    return (deadline - datetime.timedelta(days=DEADLINE_DAYS)).astimezone(datetime.timezone.utc)


class RateLimit:
    """A token bucket: at most ``rate`` messages a second, bursts of ``burst``."""

    def __init__(self, rate, burst=None, clock=None):
        import time

        self.rate = float(rate)
        self.burst = float(burst or max(1.0, rate))
        self.clock = clock or time.monotonic
        self.tokens = self.burst
        self.at = self.clock()

    def wait_time(self):
        """Seconds to wait before the next message may go (0 when it may go now); takes a token."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate
