"""The workflow editor's pages (issue 20): words instead of identifiers, the grid, selects, the
diagram, problems at their fields, the preview and its save."""
import json

EDITOR = "/@workflows/ballot"


def editor_page(admin):
    return admin.get(EDITOR)


def box(form, state, permission, role):
    return [f for f in form.fields["checkbox"] if f._value == f"{state}|{permission}|{role}"][0]


def field_error(page, field_id):
    """The error shown at the field whose input has ``field_id``'s item."""
    item = page.html.select_one(f"#item-{field_id}")
    return item.select_one(".invalid-feedback").text if item and item.select_one(".invalid-feedback") else None


def test_the_editor_speaks_in_words_and_draws_the_workflow(as_role):
    page = editor_page(as_role("admin"))
    main = page.html.select_one("main")
    text = main.get_text(" ")
    for words in ("市住建局管理员", "查看公告未送达的房号", "异议期已结束", "计票与异议阶段",
                  "投票与房号名单", "各状态下谁可以做什么"):
        assert words in text, words
    grid = main.select_one(".permission-grid")
    for raw in ("view_released_rooms", "objection_period_over", "anyone"):
        assert raw not in grid.get_text(" ")                   # identifiers stay in values, not in words
    assert len(grid.select("details.grid-group")) == 8
    svg = main.select_one("#diagram svg")
    assert svg is not None and svg.select_one("title").text == "流程图"
    assert "草稿 → 已提交街道审核: 提交街道审核" in [li.text for li in main.select(".diagram-lines li")]
    form = page.forms["form"]
    assert [o[0] for o in form.fields["to"][0].options][:3] == ["draft", "submitted", "approved"]
    assert "草稿 (draft)" in str(main.select_one("select[name=to]"))


def test_the_editor_in_english(as_role):
    admin = as_role("admin")
    admin.set_cookie("_LOCALE_", "en")
    text = editor_page(admin).html.select_one("main").get_text(" ")
    assert "See the rooms the notice did not reach" in text and "The objection period is over" in text
    assert "Counting and objections phase" in text


def test_a_problem_is_shown_at_its_field(as_role, portal_in):
    page = editor_page(as_role("admin"))
    form = page.forms["form"]
    ids = [f.value for f in form.fields["id"]]
    states = len(form.fields["phase"])
    submit = ids.index("submit") - states
    form.fields["to"][submit].value = "approved"          # "submitted" can no longer be reached
    result = form.submit("preview", status=400)
    items = result.html.select(".has-error")
    # the message about "submitted" sits beside the id field holding "submitted"
    holder = [i for i in items if i.select_one("input[name=id]") is not None
              and i.select_one("input[name=id]")["value"] == "submitted"]
    assert holder and "无法到达" in holder[0].select_one(".invalid-feedback").text
    assert result.html.select_one("#error-summary") is not None
    # what was typed is kept
    again = result.forms["form"]
    assert again.fields["to"][submit].value == "approved"
    with portal_in() as portal:
        assert portal.workflows["ballot"]["transitions"]["submit"]["to"] == "submitted"


def test_a_transition_nobody_may_do_is_refused_at_its_permission(as_role):
    form = editor_page(as_role("admin")).forms["form"]
    ids = [f.value for f in form.fields["id"]]
    form.fields["permission"][ids.index("approve") - len(form.fields["phase"])].value = ""
    result = form.submit("preview", status=400)
    select = [s for s in result.html.select("select[name=permission]") if not s.select_one("option[selected]")
              or s.select_one("option[selected]")["value"] == ""]
    item = select[0].find_parent(class_="has-error")
    assert item is not None and "流转 approve 需要权限或定时器。" in item.select_one(".invalid-feedback").text


def test_two_states_with_one_id_are_refused_at_the_second(as_role):
    form = editor_page(as_role("admin")).forms["form"]
    ids = [f.value for f in form.fields["id"]]
    form.fields["id"][ids.index("withdrawn")].value = "cancelled"
    result = form.submit("preview", status=400)
    assert "有两个状态的标识都是 cancelled。" in result.text


def test_a_bad_id_is_refused_by_the_schema_at_the_field(as_role):
    form = editor_page(as_role("admin")).forms["form"]
    form.fields["id"][0].value = "Draft State!"
    result = form.submit("preview", status=400)
    assert "小写字母、数字和下划线" in result.html.select_one(".has-error .invalid-feedback").text


def test_the_preview_counts_objects_moved_and_permissions_by_role(as_role, portal_in):
    admin = as_role("admin")
    form = editor_page(admin).forms["form"]
    ids = [f.value for f in form.fields["id"]]
    form.fields["id"][ids.index("draft")].value = "drafting"
    box(form, "draft", "view", "owner").checked = True
    box(form, "draft", "edit", "organizer").checked = False
    preview = form.submit("preview")
    moved = [" ".join(li.text.split()) for li in preview.html.select(".moved")]
    with portal_in() as portal:
        drafts = sum(1 for b in portal["tianhe"]["shipai"]["mingyuan"]["ballots"].values() if b.state == "draft")
    assert drafts >= 1
    assert moved == [f"状态 草稿 重命名为 草稿：其中 {drafts} 个对象保留在该状态。"]
    cards = {c.select_one("h3").text: [li.text for li in c.select("li")] for c in preview.html.select(".card")}
    assert cards["业主"] == ["获得：查看 · 草稿"]
    assert cards["会议组织机构"] == ["失去：编辑草稿 · 草稿"]
    with portal_in() as portal:
        assert "draft" in portal.workflows["ballot"]["states"]        # nothing saved by a preview
    done = preview.forms["save-form"].submit().follow()
    assert "流程已保存并生效" in done.text
    with portal_in() as portal:
        states = portal.workflows["ballot"]["states"]
        assert "drafting" in states and "owner" in states["drafting"]["permissions"]["view"]
        assert "edit" not in states["drafting"]["permissions"]
        assert portal.workflows["ballot"]["transitions"]["submit"]["from"] == ["drafting"]
        assert portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b1"].state == "drafting"


def test_adding_a_state_through_its_form(as_role, portal_in):
    admin = as_role("admin")
    form = editor_page(admin).forms["new-state"]
    form["id"] = "second_review"
    form["title_zh"] = "复核中"
    form["title_en"] = "Second review"
    form["phase"] = "review"
    form["after"] = "approved"
    form["enter_permission"] = "review"
    form["before"] = "approved"
    form["leave_permission"] = "review"
    form["copy_from"] = "approved"
    preview = form.submit("add_state")
    assert preview.status_int == 200
    assert [li.text for li in preview.html.select(".state-added")] == ["新增状态：复核中"]
    assert len(preview.html.select(".transition-added")) == 2
    assert "复核中" in preview.html.select_one("svg").text
    preview.forms["save-form"].submit().follow()
    with portal_in() as portal:
        definition = portal.workflows["ballot"]
        assert definition["states"]["second_review"]["phase"] == "review"
        assert definition["states"]["second_review"]["permissions"] == definition["states"]["approved"]["permissions"]
        assert definition["transitions"]["to_second_review"]["from"] == ["approved"]
        assert definition["transitions"]["second_review_done"]["to"] == "approved"
    assert "复核中" in editor_page(admin).html.select_one("#diagram svg").text


def test_adding_a_state_with_a_taken_id_is_refused_at_the_field(as_role):
    form = editor_page(as_role("admin")).forms["new-state"]
    form["id"] = "voting"
    form["title_zh"] = "投票"
    result = form.submit("add_state", status=400)
    assert "已有使用此标识的状态。" in result.html.select_one(".has-error .invalid-feedback").text
    assert result.forms["new-state"]["title_zh"].value == "投票"


def test_a_save_after_another_edit_is_refused(as_role, portal_in):
    admin = as_role("admin")
    form = editor_page(admin).forms["form"]
    box(form, "draft", "view", "owner").checked = True
    preview = form.submit("preview")
    with portal_in(commit=True) as portal:
        definition = json.loads(json.dumps(portal.workflows["ballot"]))
        definition["title"]["zh"] = "别人改过"
        portal.workflows["ballot"] = definition
    page = preview.forms["save-form"].submit().follow()
    assert "预览之后流程已被他人修改" in page.text
    with portal_in() as portal:
        assert "owner" not in portal.workflows["ballot"]["states"]["draft"]["permissions"]["view"]


def test_a_tampered_save_never_answers_5xx(as_role, portal_in):
    admin = as_role("admin")
    preview = editor_page(admin).forms["form"].submit("preview")
    token = preview.forms["save-form"]["csrf_token"].value
    based_on = preview.forms["save-form"]["based_on"].value
    for definition in ("not json", "[]", json.dumps({"states": "x"}), json.dumps({"states": {"a": {}}}),
                       json.dumps({"initial": "a", "states": {"a": {"phase": "draft"}}, "transitions": []})):
        res = admin.post(EDITOR + "/save", {"csrf_token": token, "definition": definition, "renames": "{}",
                                            "based_on": based_on}, status="*")
        assert res.status_int == 302, (definition, res.status_int)
    res = admin.post(EDITOR + "/save", {"csrf_token": token}, status="*")
    assert res.status_int == 302
    with portal_in() as portal:
        assert "draft" in portal.workflows["ballot"]["states"]


def test_the_document_workflow_has_its_own_grid_and_saves_through_the_preview(as_role, portal_in):
    admin = as_role("admin")
    page = admin.get("/@workflows/document")
    groups = [s.text.split("(")[0].strip() for s in page.html.select(".permission-grid summary")]
    assert groups == ["查看", "起草", "审核与发布"]
    form = page.forms["form"]
    state = [f.value for f in form.fields["id"]][0]
    [f for f in form.fields["checkbox"] if f._value == f"{state}|view|owner"][0].checked = True
    preview = form.submit("preview")
    assert [c.select_one("h3").text for c in preview.html.select(".card")] == ["业主"]
    preview.forms["save-form"].submit().follow()
    with portal_in() as portal:
        assert "owner" in portal.workflows["document"]["states"][state]["permissions"]["view"]


def test_a_problem_of_the_whole_list_of_states_is_shown_on_it_and_on_top(as_role):
    form = editor_page(as_role("admin")).forms["form"]
    for field in form.fields["phase"]:
        if field.value == "disclosed":
            field.value = "counting"                  # no state is left in the phase "disclosed"
    result = form.submit("preview", status=400)
    summary = result.html.select_one("#error-summary").text
    assert "状态: 平台需要一个处于“结果公示阶段”阶段的状态。" in " ".join(summary.split())
    sequence = [i for i in result.html.select(".has-error") if i.select_one(".deform-seq")]
    own = sequence[0].find("p", class_="invalid-feedback", recursive=False)      # on the list itself
    assert own is not None and "结果公示阶段" in own.text
