"""The results PDF escapes every text: reportlab markup in a title neither breaks the report nor
makes it read local files or fetch URLs (issue 15)."""
import pytest
import reportlab.lib.utils

from portal.voting import report, service

MARKUP = ['<img src="/etc/passwd" width="10" height="10"/>', '<a href="http://example.invalid/x">x</a>',
          "<b>unclosed", "<font color=red size=99>", "&nbsp; &bogus; <br/>", "标题\x00\x07<para>"]


@pytest.mark.parametrize("title", MARKUP)
def test_a_title_with_reportlab_markup_makes_a_plain_pdf(portal_in, monkeypatch, title):
    opened = []
    original = reportlab.lib.utils.open_for_read

    def watch(name, *args, **kw):
        opened.append(name)
        return original(name, *args, **kw)

    monkeypatch.setattr(reportlab.lib.utils, "open_for_read", watch)
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        ballot.title = title
        ballot.matters = tuple(dict(m, title=title) for m in ballot.matters)
        data = report.pdf(ballot, service.results(ballot), lambda s, **kw: str(s))
    assert data.startswith(b"%PDF")
    assert not [name for name in opened if "passwd" in str(name) or "example.invalid" in str(name)]


def test_text_escapes_markup_and_drops_control_characters():
    assert report.text('<img src="x"/>&') == '&lt;img src="x"/&gt;&amp;'
    assert report.text("a\x00b\tc") == "ab\tc"
