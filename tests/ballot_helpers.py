"""Helpers for ballot tests: dates relative to the clock, drafting through the real form."""
import datetime

from portal import clock
from portal.ballots.rules import local_date

BALLOTS = "/tianhe/shipai/mingyuan/ballots/"


def today():
    return local_date(clock.now())


def days(n):
    return (today() + datetime.timedelta(days=n)).isoformat()


def fill_date(form, index, value):
    """deform's date widget posts a field named "date" inside the node's mapping markers."""
    form.set("date", value, index=index)


def draft_through_form(client, start=17, last=26, matters=3, title="测试表决", attachment=None):
    page = client.get(BALLOTS + "@add", {"matters": matters})
    form = page.forms["form"]
    form.set("title", title, index=0)
    fill_date(form, 0, days(start))
    fill_date(form, 1, days(last))
    titles = [f for f in form.fields.get("title", [])]
    for n in range(matters):
        form.set("title", f"事项{n + 1}", index=n + 1)
        form.set("text", f"第{n + 1}项的全文", index=n)
        form.set("category", str([1, 4, 6][n % 3]), index=n)
    assert len(titles) == matters + 1
    if attachment is not None:
        from webtest import Upload

        form["upload"] = Upload(*attachment)
    return form.submit("save", status="*")


def ballot_path(response):
    return response.location.replace("http://localhost", "")
