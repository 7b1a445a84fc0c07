"""A candidate's photo or résumé (issue 14): attached by the organizer to a draft, shown with the
candidate on the ballot page and, once published, the notice; a bad file changes nothing."""
from webtest import Upload

from tests.test_elections_drafting import ELECTION, create

PNG = b"\x89PNG\r\n\x1a\n" + b"photo" * 10


def test_the_organizer_attaches_a_photo_and_owners_see_it_with_the_candidate(api, as_role, portal_in):
    path = create(api, ELECTION).json["@id"].replace("http://localhost", "")
    organizer = as_role("organizer")
    page = organizer.get(path)
    form = [f for f in page.forms.values() if f.action.endswith("@candidate-file") and f["candidate"].value == "c1"][0]
    form["file"] = Upload("张三.png", PNG, "image/png")
    form.submit().follow()
    page = organizer.get(path)
    link = page.html.select("a[href*='@candidate-file']")
    assert link and "张三.png" in link[0].text
    assert organizer.get(link[0]["href"]).body == PNG
    bad = [f for f in page.forms.values() if f.action.endswith("@candidate-file") and f["candidate"].value == "c2"][0]
    bad["file"] = Upload("x.txt", b"not an image", "text/plain")
    assert "PDF、PNG 或 JPEG" in bad.submit().follow().text
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][path.rsplit("/", 1)[1]]
        assert set(ballot.candidate_files) == {"m1:c1"}
    client, headers = api("owner1")
    client.post(path + "/@candidate-file", {"matter": "m1", "candidate": "c1"}, headers=headers, status=403)
