"""City administrators edit the ballot workflow through the form; it applies at once."""
import yaml

DRAFT = "/tianhe/shipai/mingyuan/ballots/b1/"       # the demo's draft ballot


def editor(admin):
    return admin.get("/@workflows/ballot").forms["form"]


def tick(form, state, permission, role):
    """Check the grid's box of ``role`` holding ``permission`` in ``state``."""
    box = [f for f in form.fields["checkbox"] if f._value == f"{state}|{permission}|{role}"][0]
    box.checked = True


def save(form):
    """Through the preview, as an administrator does: check, read what changes, save."""
    preview = form.submit("preview")
    assert preview.status_int == 200
    return preview.forms["save-form"].submit()


def test_granting_a_permission_in_a_state_takes_effect_at_once(as_role, portal_in):
    owner = as_role("owner1")
    owner.get(DRAFT, status=403)
    form = editor(as_role("admin"))
    tick(form, "draft", "view", "owner")
    page = save(form).follow()
    assert "流程已保存并生效" in page.text
    assert owner.get(DRAFT).status_int == 200
    with portal_in() as portal:
        assert "owner" in portal.workflows["ballot"]["states"]["draft"]["permissions"]["view"]
        assert portal.audit_log.under("/")[0]["action"] == "workflow.edit"


def test_an_invalid_edit_is_refused_and_changes_nothing(as_role, portal_in):
    form = editor(as_role("admin"))
    tos = form.fields["to"]
    submit = [f.value for f in form.fields["id"]].index("submit") - len(form.fields["phase"])  # after the states
    assert tos[submit].value == "submitted"
    tos[submit].value = "approved"              # nothing leads into "submitted" any more
    page = form.submit("preview", status=400)
    assert "从初始状态无法到达状态 submitted。" in page.text
    with portal_in() as portal:
        assert portal.workflows["ballot"]["initial"] == "draft"


def test_renaming_a_state_moves_the_ballots_in_it(as_role, portal_in):
    form = editor(as_role("admin"))
    ids = form.fields["id"]
    draft_index = [i for i, f in enumerate(ids) if f.value == "draft"][0]
    ids[draft_index].value = "drafting"          # its transitions and the initial state follow
    save(form).follow()
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b1"]
        assert ballot.state == "drafting"
        assert "drafting" in portal.workflows["ballot"]["states"]


def test_export_and_reset(as_role, portal_in):
    admin = as_role("admin")
    exported = yaml.safe_load(admin.get("/@workflows/ballot/export").text)
    assert exported["initial"] == "draft" and "voting" in exported["states"]
    form = editor(admin)
    tick(form, "draft", "view", "owner")
    save(form)
    page = admin.get("/@workflows")
    preview = [f for f in page.forms.values() if f.action.endswith("/@workflows/ballot/reset")][0].submit()
    assert "失去：查看 · 草稿" in [" ".join(li.text.split()) for li in preview.html.select(".lost")]
    with portal_in() as portal:
        assert "owner" in portal.workflows["ballot"]["states"]["draft"]["permissions"]["view"]   # not yet
    preview.forms["save-form"].submit().follow()
    with portal_in() as portal:
        assert "owner" not in portal.workflows["ballot"]["states"]["draft"]["permissions"]["view"]


def test_only_city_administrators_edit_workflows(as_role):
    as_role("district").get("/@workflows/ballot", status=403)
