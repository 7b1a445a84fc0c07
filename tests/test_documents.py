"""Filed documents: filing through the form, who reads what in which state, versions, search."""
from webtest import Upload

from tests.conftest import browser

DOCS = "/tianhe/shipai/mingyuan/documents/"
PDF = b"%PDF-1.4 rules of procedure %%EOF"


def file_document(client, path=DOCS, title="明苑小区业主大会议事规则", data=PDF, name="议事规则.pdf",
                  doc_type="rules_of_procedure", status="*"):
    form = client.get(path + "@add").forms["form"]
    form["doc_type"] = doc_type
    form["title"] = title
    form["filing_number"] = "天住备〔2026〕18号"
    form.set("date", "2026-03-01", index=0)
    form["upload"] = Upload(name, data)
    return form.submit("save", status=status)


def publish(client, url):
    page = client.get(url)
    [f for f in page.forms.values() if f.action.endswith("@workflow/publish")][0].submit().follow()


def test_district_staff_file_and_publish_and_owners_read(as_role, anon, app):
    district = as_role("district")
    saved = file_document(district)
    assert saved.status_int == 302
    url = saved.location.replace("http://localhost", "")
    owner = as_role("owner1")
    owner.get(url, status=403)                    # a draft is the district's
    anon.get(url, status=403)
    publish(district, url)
    page = owner.get(url)
    assert "明苑小区业主大会议事规则" in page.text
    assert owner.get(url + "@file").body == PDF
    assert "inline" in owner.get(url + "@file").headers["Content-Disposition"]
    assert "attachment" in owner.get(url + "@file?download=1").headers["Content-Disposition"]
    listing = owner.get(DOCS)
    assert "业主大会议事规则" in listing.text
    anon.get(url, status=403)                     # owners of the community, not the public
    as_role("street").get(url)


def test_an_owner_of_another_community_cannot_read(as_role):
    district = as_role("district")
    url = file_document(district, path="/tianhe/shipai/qiaoyuan/documents/").location.replace("http://localhost", "")
    publish(district, url)
    as_role("owner1").get(url, status=403)


def test_uploads_are_checked_and_nothing_is_stored(as_role, portal_in):
    district = as_role("district")
    page = file_document(district, data=b"this is no pdf", name="fake.pdf")
    assert page.status_int == 400 and "PDF、PNG 或 JPEG" in page.text
    page = file_document(district, data=PDF + b"0" * (5 * 1024 * 1024))
    assert page.status_int == 400 and "5 MB" in page.text
    with portal_in() as portal:
        assert len(portal["tianhe"]["shipai"]["mingyuan"]["documents"]) == 0


def test_a_new_version_supersedes_and_the_old_stays_readable(as_role):
    district = as_role("district")
    url = file_document(district).location.replace("http://localhost", "")
    publish(district, url)
    form = district.get(url + "@new-version").forms["form"]
    form["title"] = "明苑小区业主大会议事规则（2026年修订）"
    form["upload"] = Upload("新版.pdf", b"%PDF-1.4 revised %%EOF")
    page = form.submit("save").follow()
    assert "2026年修订" in page.text and len(page.html.select("section ol li")) == 2
    owner = as_role("owner1")
    assert owner.get(url + "@file").body == b"%PDF-1.4 revised %%EOF"
    assert owner.get(url + "@file?v=0").body == PDF


def test_withdrawing_needs_a_reason(as_role, api):
    district = as_role("district")
    url = file_document(district).location.replace("http://localhost", "")
    publish(district, url)
    client, headers = api("district")
    res = client.post_json(url + "@workflow/withdraw", {}, headers=headers, status=409)
    assert "理由" in res.json["message"]
    client.post_json(url + "@workflow/withdraw", {"comment": "已被新规则取代"}, headers=headers)
    as_role("owner1").get(url, status=403)


def test_a_ballot_links_the_rules_it_relies_on(as_role, api, anon):
    district = as_role("district")
    url = file_document(district).location.replace("http://localhost", "")
    publish(district, url)
    doc_id = url.strip("/").split("/")[-1]
    client, headers = api("organizer")
    from tests.ballot_helpers import days

    body = {"@type": "Ballot", "title": "依规则表决", "start_date": days(20), "end_date": days(25),
            "follow_majority": True, "follow_majority_basis": "议事规则第十二条", "rules_document": doc_id,
            "matters": [{"title": "甲", "text": "全文", "category": 1}]}
    ballot = client.post_json("/tianhe/shipai/mingyuan/ballots", body, headers=headers, status=201).json
    assert ballot["rules_document"] == doc_id
    street, street_headers = api("street")
    client.post_json(ballot["@id"] + "/@workflow/submit", {}, headers=headers)
    street.post_json(ballot["@id"] + "/@workflow/approve", {}, headers=street_headers)
    street.post_json(ballot["@id"] + "/@workflow/publish_notice", {}, headers=street_headers)
    notice = anon.get(ballot["@id"] + "/@notice")
    assert notice.html.select(f"a[href$='/documents/{doc_id}/']")
    res = client.post_json("/tianhe/shipai/mingyuan/ballots", dict(body, rules_document="d999"),
                           headers=headers, status=400)
    assert "rules_document" in res.json["errors"]


def test_the_community_home_page_shows_ballots_notices_and_documents(as_role, anon):
    district = as_role("district")
    url = file_document(district).location.replace("http://localhost", "")
    publish(district, url)
    owner_home = as_role("owner1").get("/tianhe/shipai/mingyuan/")
    assert "即将投票" in owner_home.text and "业主大会议事规则" in owner_home.text
    public_home = anon.get("/tianhe/shipai/mingyuan/")
    assert "即将投票" in public_home.text and "业主大会议事规则" not in public_home.text
    assert "草稿" not in public_home.text


def test_search_in_chinese_by_substring_with_permissions(as_role, anon, app):
    district = as_role("district")
    published = file_document(district).location.replace("http://localhost", "")
    publish(district, published)
    file_document(district, title="管理规约草案（未公布）", doc_type="management_statute")
    owner = as_role("owner1")
    found = owner.get("/tianhe/@search", {"q": "议事规则"}, headers={"Accept": "application/json"}).json
    assert sorted(i["title"] for i in found["items"]) == ["2026年第一次业主共同决定事项表决", "明苑小区业主大会议事规则"]
    elevator = anon.get("/@search", {"q": "电梯"}, headers={"Accept": "application/json"}).json
    assert [i["@type"] for i in elevator["items"]] == ["Ballot"]        # the demo notice's third matter
    assert anon.get("/@search", {"q": "议事规则"}, headers={"Accept": "application/json"}).json["items"] == [
        {"@id": "http://localhost/tianhe/shipai/mingyuan/ballots/b2/@notice", "@type": "Ballot",
         "title": "2026年第一次业主共同决定事项表决", "community": "明苑小区"}]
    assert owner.get("/@search", {"q": "规约草案"}, headers={"Accept": "application/json"}).json["items"] == []
    staff = district.get("/@search", {"q": "规约草案"}, headers={"Accept": "application/json"}).json
    assert len(staff["items"]) == 1
    assert anon.get("/haizhu/@search", {"q": "电梯"}, headers={"Accept": "application/json"}).json["items"] == []
    page = browser(app).get("/@search", {"q": "电梯"})
    assert "2026年第一次业主共同决定事项表决" in page.text


def test_the_json_api_files_reads_and_publishes(api, as_role):
    client, headers = api("district")
    res = client.post(DOCS, {"doc_type": "receipt_committee", "title": "业主委员会备案回执",
                             "filing_number": "石街备〔2026〕3号", "filing_date": "2026-05-01"},
                      upload_files=[("file", "回执.png", b"\x89PNG\r\n\x1a\n....")], headers=headers, status=201)
    doc = res.json
    assert doc["review_state"] == "draft" and doc["versions"][0]["filename"] == "回执.png"
    bad = client.post(DOCS, {"doc_type": "receipt_committee", "title": "x", "filing_number": "1",
                             "filing_date": "2026-05-01"}, upload_files=[("file", "x.pdf", b"nope")],
                      headers=headers, status=400)
    assert "PDF、PNG 或 JPEG" in bad.json["errors"]["file"]
    client.post_json(doc["@id"] + "/@workflow/publish", {}, headers=headers)
    owner, owner_headers = api("owner1")
    assert owner.get(doc["@id"], headers=owner_headers).json["review_state"] == "published"
    assert owner.get(doc["file"], headers=owner_headers).body.startswith(b"\x89PNG")
    items = owner.get(DOCS, headers=owner_headers).json["items"]
    assert [i["title"] for i in items] == ["业主委员会备案回执"]
