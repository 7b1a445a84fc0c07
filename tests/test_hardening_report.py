"""PDFs escape every text: markup in a title neither breaks a PDF nor makes it read local files or
fetch URLs (issue 15).  Titles go through the page templates (escaped like any page) and the PDF
maker's fetcher loads nothing but the portal's own print style sheet."""
import pytest

from portal import pdf
from tests.test_objections import preliminary
from tests.test_voting import BALLOT

MARKUP = ['<img src="file:///etc/passwd" width="10" height="10"/>', '<a href="http://example.invalid/x">x</a>',
          '<link rel="stylesheet" href="http://example.invalid/s.css">', "<style>@import url(file:///etc/passwd);</style>",
          "<b>unclosed", "&nbsp; &bogus; <br/>", "标题\x00\x07<para>"]


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the PDF maker was asked for."""
    asked = []
    make = pdf.fetcher

    def watching():
        real = make()
        original = real.fetch

        def fetch(url, headers=None):
            asked.append(url)
            return original(url, headers)

        real.fetch = fetch
        return real

    monkeypatch.setattr(pdf, "fetcher", watching)
    return asked


@pytest.mark.parametrize("title", MARKUP)
def test_a_title_with_markup_makes_a_plain_pdf(app, portal_in, api, fetched, title):
    preliminary(app, portal_in, api)
    with portal_in(commit=True) as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        ballot.title = title
        ballot.matters = tuple(dict(m, title=title) for m in ballot.matters)
    owner, headers = api("owner1")
    data = owner.get(BALLOT + "/@results.pdf", headers=headers).body
    assert data.startswith(b"%PDF")
    assert fetched and all(url == "portal:print.css" for url in fetched)


def test_the_fetcher_refuses_everything_but_the_print_style_sheet():
    fetch = pdf.fetcher().fetch
    assert b"@page" in fetch("portal:print.css").read()
    for url in ("file:///etc/passwd", "http://example.invalid/x.png", "https://example.invalid/", "portal:../x"):
        with pytest.raises(Exception):
            fetch(url)
