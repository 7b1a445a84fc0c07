"""Editing a workflow never breaks objects in use (issue 15.2): every workflowed type is remapped,
an edit that would move a live object into another phase is refused naming it, and the audit
entry records the change itself."""
import copy
import json

import pytest

from portal.workflow import definition as defs
from portal.workflow import registry
from tests.test_documents import DOCS, file_document, publish

NOTICE = "/tianhe/shipai/mingyuan/ballots/b2/"      # the demo ballot whose notice is published


def renamed(definition, old, new):
    """``definition`` with state ``old`` renamed ``new`` everywhere."""
    out = copy.deepcopy(definition)
    out["states"][new] = out["states"].pop(old)
    if out["initial"] == old:
        out["initial"] = new
    for transition in out["transitions"].values():
        transition["from"] = [new if s == old else s for s in transition["from"]]
        if transition["to"] == old:
            transition["to"] = new
    return out


class Thing:
    def __init__(self, state, title="x"):
        self.state, self.title = state, title


def test_phase_moves_names_only_states_whose_objects_change_phase():
    old = registry.parse(registry.default_text("ballot"))
    new = renamed(old, "voting", "polling")
    moves = defs.remap_targets(old, new, {"voting": "polling"})
    assert defs.phase_moves(old, new, moves, {"voting", "draft"}) == {}
    dropped = defs.remap_targets(old, new)          # no rename given: voting is removed
    assert dropped["voting"] == "draft"
    assert defs.phase_moves(old, new, dropped, {"voting", "draft"}) == {"voting": ("voting", "draft")}
    assert defs.phase_moves(old, new, dropped, {"draft"}) == {}


def test_save_refuses_to_send_a_voting_object_back_and_changes_nothing():
    class Portal:
        workflows = {"ballot": registry.parse(registry.default_text("ballot"))}

    portal, ballot = Portal(), Thing("voting", "2026年第一次业主大会")
    new = renamed(portal.workflows["ballot"], "voting", "polling")
    with pytest.raises(registry.InvalidDefinition) as refused:
        registry.save(portal, "ballot", new, None, [ballot], describe=lambda o: o.title)
    assert refused.value.problems[0][0] == "moves_phase"
    assert "2026年第一次业主大会" in refused.value.problems[0][1]
    assert ballot.state == "voting" and "voting" in portal.workflows["ballot"]["states"]
    registry.save(portal, "ballot", new, {"voting": "polling"}, [ballot])
    assert ballot.state == "polling"


def test_changes_lists_what_an_edit_did():
    old = registry.parse(registry.default_text("document"))
    new = copy.deepcopy(old)
    new["states"]["published"]["permissions"]["view"] = ["anyone"]
    found = defs.changes(old, new)
    assert set(found) == {"states_changed"}
    change = found["states_changed"]["published"]
    assert change["before"]["permissions"]["view"] == ["owner", "organizer", "street", "district", "admin"]
    assert change["after"]["permissions"]["view"] == ["anyone"]


def test_renaming_a_document_state_remaps_the_documents(as_role, app, portal_in):
    district, admin = as_role("district"), as_role("admin")
    url = file_document(district).follow().request.url
    publish(district, url)
    with portal_in(commit=True) as portal:
        new = renamed(portal.workflows["document"], "published", "public")
        definition = app.registry.workflowed_types["document"]
        document = [d for d in definition(portal) if d.state == "published"][0]
        from pyramid.testing import DummyRequest
        from portal.workflow.views import save

        request = DummyRequest(portal=portal)
        request.registry = app.registry
        save(request, "document", new, {"published": "public"})
        assert document.state == "public"
    assert admin.get(url).status_int == 200
    assert as_role("owner1").get(url).status_int == 200


def test_the_editor_refuses_an_edit_that_moves_a_live_ballot(as_role, portal_in):
    admin = as_role("admin")
    form = admin.get("/@workflows/ballot").forms["form"]
    ids = [f.value for f in form.fields["id"]]
    phases = form.fields["phase"]
    phases[ids.index("notice")].value = "review"      # the published notice would become a review
    phases[ids.index("approved")].value = "notice"    # (the notice phase is still there)
    page = form.submit("preview", status=400)
    assert "/tianhe/shipai/mingyuan/ballots/b2" in page.text and "notice → review" in page.text
    assert "此修改会把正在使用的对象移到另一个阶段" in page.text
    with portal_in() as portal:
        assert portal.workflows["ballot"]["states"]["notice"]["phase"] == "notice"
        assert portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].state == "notice"


def test_the_audit_entry_records_permissions_before_and_after(as_role, portal_in):
    form = as_role("admin").get("/@workflows/ballot").forms["form"]
    [f for f in form.fields["checkbox"] if f._value == "draft|view|owner"][0].checked = True   # owners see drafts
    form.submit("preview").forms["save-form"].submit().follow()
    with portal_in() as portal:
        entry = portal.audit_log.under("/")[0]
        assert entry["action"] == "workflow.edit"
        changed = json.loads(entry["detail"]["changes"])["states_changed"]["draft"]
        assert "owner" not in changed["before"]["permissions"]["view"]
        assert "owner" in changed["after"]["permissions"]["view"]
