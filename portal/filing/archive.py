"""The filing package's machine-readable archive: JSON and CSV files and a manifest with the
SHA-256 of each, in one zip (no Pyramid).  The JSON holds what the PDF says, figures as numbers
and areas as decimal strings in m²; nothing in it names an owner or a room."""
import csv
import hashlib
import io
import json
import zipfile

from portal.register.rules import format_area


def dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str).encode("utf-8")


def csv_bytes(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")         # the BOM lets spreadsheets read Chinese


def results_rows(results):
    """One CSV row per figure: matter, what (agree, a candidate, an option), owners, area."""
    rows = []
    for matter, data, _words in results:
        kind = data["kind"]
        base = [matter["id"], matter["title"], kind, data["participating_owners"], data["participating_area"]]
        if kind == "election":
            rows += [base + [f"{c['id']} {c['name']}", c["agree_owners"], c["agree_area"],
                             "elected" if c["elected"] else ("alternate" if c["alternate"] else "")]
                     for c in data["candidates"]]
        elif kind == "choice":
            rows += [base + [f"{o['id']} {o['title']}", o["owners"], o["area"], "adopted" if o["adopted"] else ""]
                     for o in data["options"]] + [base + ["abstain", data["abstain_owners"], data["abstain_area"], ""]]
        else:
            rows += [base + [choice, data[f"{choice}_owners"], data[f"{choice}_area"],
                             "passed" if data["passed"] and choice == "agree" else ""]
                     for choice in ("agree", "oppose", "abstain")]
    return rows


def count_json(figures, names, translate):
    """The count record as the archive keeps it: the reconciliation's figures, what does not add up
    in words, and the names of the counters and supervisors (the record needs them; nothing else
    in the archive names anyone)."""
    data = {k: v for k, v in figures.items() if k not in ("rows", "problems")}
    data["problems"] = [translate(p) for p in figures["problems"]]
    data["counters"], data["supervisors"] = names["counter"], names["supervisor"]
    return data


def build(values, ballot_json, translate):
    """The zip's bytes: ballot.json, results.json, results.csv, buildings.csv, objections.json,
    audit.json, delivery.json, count_record.json where paper ballots were counted, and
    manifest.json (the SHA-256 of every other file)."""
    results = values["results"]
    files = {
        "ballot.json": dumps(ballot_json),
        "results.json": dumps([dict(data, verdict=[translate(w) for w in words]) for _m, data, words in results]),
        "results.csv": csv_bytes(["matter", "title", "kind", "participating_owners", "participating_area", "what",
                                  "owners", "area", "outcome"], results_rows(results)),
        "buildings.csv": csv_bytes(["building", "total_owners", "total_area", "voted_owners", "voted_area"],
                                   [[name, f["total_owners"], format_area(f["total_area"]), f["voted_owners"],
                                     format_area(f["voted_area"])] for name, f in values["buildings"]]),
        "objections.json": dumps([{"id": o.number, "matter": o.matter, "text": o.text, "filed": o.filed_at,
                                   "answers": list(o.answers), "decision": o.decision} for o in values["objections"]]),
        "audit.json": dumps(values["audit"]),
        "delivery.json": dumps(values["delivery"]),
    }
    if values["count"] is not None:          # the paper count record: its figures and who counted
        files["count_record.json"] = dumps(count_json(values["count"], values["count_names"], translate))
    manifest = {"files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
                "ballot": ballot_json.get("@id"), "made": values["made"]}
    files["manifest.json"] = dumps(manifest)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()
