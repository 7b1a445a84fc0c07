"""Creating and changing ballots (no Pyramid here)."""
from portal.ballots import lifecycle
from portal.ballots.models import Ballot
from portal.content.folder import root_of
from portal.events import ObjectModified, notify
from portal.search.indexing import reindex

FIELDS = ("title", "description", "start_date", "end_date", "allow_vote_change", "allow_paper", "allow_proxies",
          "electronic_prevails", "notice_days", "objection_days", "election_ranking", "follow_majority", "follow_majority_basis",
          "rules_document")


def matter_for(values):
    """A matter as a ballot keeps it, from the schema's values: only its kind's fields, candidates
    numbered c1, c2, ... and options o1, o2, ... in the order given."""
    kind = values.get("kind") or "question"
    matter = {"kind": kind, "title": values["title"], "text": values["text"], "category": int(values["category"])}
    if kind == "election":
        matter.update(seats=values["seats"], alternates=values["alternates"], candidates=[
            {"id": f"c{n}", "name": c["name"], "statement": c.get("statement", "")}
            for n, c in enumerate(values["candidates"], start=1)])
    elif kind == "choice":
        matter["options"] = [{"id": f"o{n}", "title": o["title"], "text": o.get("text", "")}
                             for n, o in enumerate(values["options"], start=1)]
    return matter


def matter_values(matter):
    """The schema's values of a kept matter (the edit form's appstruct)."""
    values = {"kind": matter.get("kind") or "question", "title": matter["title"], "text": matter["text"],
              "category": matter["category"], "seats": matter.get("seats", 1),
              "alternates": matter.get("alternates", 0),
              "candidates": [{"name": c["name"], "statement": c["statement"]} for c in matter.get("candidates", ())],
              "options": [{"title": o["title"], "text": o["text"]} for o in matter.get("options", ())]}
    return values


def values_for(values):
    data = {name: values[name] for name in FIELDS if name in values}
    data["scope"] = tuple(sorted(values.get("scope") or ()))
    data["matters"] = [matter_for(m) for m in values["matters"]]
    return data


def add_attachments(ballot, uploads, now):
    from portal.uploads import stored_file

    files = [stored_file(u["filename"], u["fp"].read(), now) for u in uploads or () if u and u.get("fp")]
    ballot.attachments = tuple(ballot.attachments) + tuple(files)


def remove_attachments(ballot, indexes):
    """Take the attachments at ``indexes`` (strings, as the form gives them) off the ballot."""
    gone = {int(i) for i in indexes or ()}
    ballot.attachments = tuple(a for n, a in enumerate(ballot.attachments) if n not in gone)


def attachment_choices(ballot):
    """[(index, file name)] of the ballot's attachments, for the form's remove boxes."""
    return [(str(n), a["filename"]) for n, a in enumerate(ballot.attachments)]


def create(container, values, who, now):
    ballot = Ballot(**values_for(values))
    add_attachments(ballot, values.get("attachments"), now)
    ballot_id = container.new_id()
    container.add(ballot_id, ballot)
    ballot.start_workflow(root_of(container).workflows["ballot"], who, now)
    reindex(ballot)
    return ballot



def edit(ballot, values, now):
    ballot.update(**values_for(values))
    remove_attachments(ballot, values.get("remove_attachments"))
    add_attachments(ballot, values.get("attachments"), now)
    reindex(ballot)
    notify(ObjectModified(ballot))      # the voting window (and so the timers) may have moved


def current_values(ballot):
    data = {name: getattr(ballot, name, "") for name in FIELDS}
    data["scope"] = set(ballot.scope)
    data["matters"] = [matter_values(m) for m in ballot.matters]
    return data


def request_extension(ballot, new_last_day, who, now):
    problem = lifecycle.extension_problem(ballot, new_last_day)
    if problem is not None:
        return problem
    ballot.extension = {"end_date": new_last_day, "requested_by": who, "requested_at": now, "approved_at": None}
    return None


def approve_extension(ballot, who, now):
    extension = ballot.extension
    problem = lifecycle.extension_problem(ballot, extension["end_date"])
    if problem is not None:
        return problem
    ballot.end_date = extension["end_date"]
    ballot.extension = dict(extension, approved_by=who, approved_at=now)
    ballot.notices = tuple(ballot.notices) + ({"kind": "extension", "when": now,
                                               "end_date": extension["end_date"]},)
    notify(ObjectModified(ballot))      # the voting end and its timer moved
    return None
