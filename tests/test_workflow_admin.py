"""City administrators edit the ballot workflow through the form; it applies at once."""
import yaml

DRAFT = "/tianhe/shipai/mingyuan/ballots/b1/"       # the demo's draft ballot


def editor(admin):
    return admin.get("/@workflows/ballot").forms["form"]


def test_granting_a_permission_in_a_state_takes_effect_at_once(as_role, portal_in):
    owner = as_role("owner1")
    owner.get(DRAFT, status=403)
    form = editor(as_role("admin"))
    boxes = form.fields["checkbox"]
    assert [b._value for b in boxes[:7]] == ["anyone", "authenticated", "owner", "organizer", "street",
                                             "district", "admin"]      # the draft state's "view"
    form.set("checkbox", True, index=2)
    page = form.submit("save").follow()
    assert "流程已保存并生效" in page.text
    assert owner.get(DRAFT).status_int == 200
    with portal_in() as portal:
        assert "owner" in portal.workflows["ballot"]["states"]["draft"]["permissions"]["view"]
        assert portal.audit_log.under("/")[0]["action"] == "workflow.edit"


def test_an_invalid_edit_is_refused_and_changes_nothing(as_role, portal_in):
    form = editor(as_role("admin"))
    initial = [f for f in form.fields["initial"]][0]
    initial.value = "nowhere"
    page = form.submit("save", status=400)
    assert "初始状态 nowhere 不存在" in page.text
    with portal_in() as portal:
        assert portal.workflows["ballot"]["initial"] == "draft"


def test_renaming_a_state_moves_the_ballots_in_it(as_role, portal_in):
    form = editor(as_role("admin"))
    ids = form.fields["id"]
    draft_index = [i for i, f in enumerate(ids) if f.value == "draft"][0]
    ids[draft_index].value = "drafting"
    form["initial"] = "drafting"
    for field in form.fields["sources"]:
        field.value = ", ".join("drafting" if s.strip() == "draft" else s.strip() for s in field.value.split(","))
    for field in form.fields["to"]:
        if field.value == "draft":
            field.value = "drafting"
    form.submit("save").follow()
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b1"]
        assert ballot.state == "drafting"
        assert "drafting" in portal.workflows["ballot"]["states"]


def test_export_and_reset(as_role, portal_in):
    admin = as_role("admin")
    exported = yaml.safe_load(admin.get("/@workflows/ballot/export").text)
    assert exported["initial"] == "draft" and "voting" in exported["states"]
    form = editor(admin)
    form.set("checkbox", True, index=2)
    form.submit("save")
    page = admin.get("/@workflows")
    [f for f in page.forms.values() if f.action.endswith("/@workflows/ballot/reset")][0].submit().follow()
    with portal_in() as portal:
        assert "owner" not in portal.workflows["ballot"]["states"]["draft"]["permissions"]["view"]


def test_only_city_administrators_edit_workflows(as_role):
    as_role("district").get("/@workflows/ballot", status=403)
