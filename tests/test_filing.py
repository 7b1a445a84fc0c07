"""The filing package (issue 19): after the final disclosure the organizer downloads one Chinese PDF
(fonts embedded, every string readable back, page numbers, the issuing body, spaces for seals) and
an archive whose manifest holds the SHA-256 of each file; neither names an owner."""
import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from portal import clock
from portal.ballots.rules import midnight
from tests.test_objections import file, preliminary
from tests.test_voting import BALLOT

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed "
                                                                              "(make test installs it)")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"


def disclosed(app, portal_in, api):
    published = preliminary(app, portal_in, api)
    file(app, "owner1", {"matter": "m1", "text": "第3栋有一张纸质票未计入。"})
    street, headers = api("street")
    street.post_json(BALLOT + "/@objections/1/@answer", {"text": "经复核已计入，结果不变。", "decision": "not_upheld"},
                     headers=headers)
    clock.set_now(midnight(published + datetime.timedelta(days=8)) + datetime.timedelta(hours=9))
    street, headers = api("street")
    assert street.get(BALLOT, headers=headers).json["phase"] == "disclosed"


def owners_personal_data(portal, personal):
    """Every owner's name, ID number and phone in the demo register, decrypted."""
    found = set()
    for unit in portal["tianhe"]["shipai"]["mingyuan"]["register"].values():
        for owner in unit.owners:
            found.add(personal.decrypt(owner.name_enc))
            found.add(personal.decrypt(owner.id_enc))
            phone = personal.decrypt(owner.phone_enc)
            if phone:
                found.add(phone)
    return {value for value in found if value}


@needs_poppler
def test_the_filing_pdf_and_archive(app, portal_in, api, tmp_path):
    disclosed(app, portal_in, api)
    organizer, headers = api("organizer")
    ballot = organizer.get(BALLOT, headers=headers).json
    assert ballot["filing"]["pdf"].endswith("/@filing.pdf")
    pdf = organizer.get(BALLOT + "/@filing.pdf", headers=headers)
    assert pdf.content_type == "application/pdf" and pdf.body.startswith(b"%PDF")
    path = tmp_path / "filing.pdf"
    path.write_bytes(pdf.body)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("关于“", "表决结果的决定", "明苑小区业主大会", "一、决定", "参与表决情况", "分楼栋参与表决情况",
                  "异议及处理情况", "送达情况", "渠道已接收", "第3栋有一张纸质票未计入。", "异议不成立", "石牌街道", "（盖章）", "第1页/共",
                  "0时至", "24时", "同意", "反对", "弃权", "m²"):
        assert words in text, words
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)          # every font embedded
    assert "\ufffd" not in text                                          # no glyph lost
    with portal_in() as portal:
        secret = owners_personal_data(portal, app.registry.personal_data)
    assert secret and not [s for s in secret if s in text]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(SCREENSHOTS / "filing-pdf")],
                   check=True)
    archive = zipfile.ZipFile(io.BytesIO(organizer.get(BALLOT + "/@filing.zip", headers=headers).body))
    manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest["files"]) == {"ballot.json", "results.json", "results.csv", "buildings.csv",
                                      "objections.json", "audit.json", "delivery.json"}
    assert json.loads(archive.read("delivery.json"))["total"]["owners"] == 187
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    results = json.loads(archive.read("results.json"))
    assert [r["id"] for r in results] == ["m1", "m2", "m3"] and results[0]["verdict"]
    assert any(e["action"] == "objection.decide" for e in json.loads(archive.read("audit.json")))
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8")
    assert not [s for s in secret if s in everything]


def test_only_the_organizer_and_the_offices_download_it_and_only_when_decided(app, portal_in, api):
    owner, headers = api("owner1")
    organizer, organizer_headers = api("organizer")
    organizer.get(BALLOT + "/@filing.pdf", headers=organizer_headers, status=403)      # not before the end
    disclosed(app, portal_in, api)
    owner, headers = api("owner1")
    owner.get(BALLOT + "/@filing.zip", headers=headers, status=403)
