"""Every role, permission, guard, timer and phase has words in both languages (issue 20), and the
diagram and the preview's rules are plain functions."""
import copy
import gettext
import pathlib

import pytest

from portal.workflow import definition as defs
from portal.workflow import diagram, preview, registry, titles

MO = pathlib.Path(__file__).resolve().parent.parent / "portal/locale/zh_Hans/LC_MESSAGES/portal.mo"


@pytest.fixture(scope="module")
def chinese():
    with MO.open("rb") as f:
        return gettext.GNUTranslations(f)


def every_title():
    pairs = [("role", r, titles.ROLES.get(r)) for r in defs.ROLES]
    pairs += [("permission", p, titles.PERMISSIONS.get(p)) for kind in defs.PERMISSIONS for p in defs.PERMISSIONS[kind]]
    pairs += [("guard", g, titles.GUARDS.get(g)) for g in defs.GUARDS]
    pairs += [("timer", t, titles.TIMERS.get(t)) for t in defs.TIMERS]
    pairs += [("phase", p, titles.PHASES.get(p)) for p in defs.PHASES]
    pairs += [("group", gid, title) for gid, title, _p in titles.PERMISSION_GROUPS]
    return pairs


@pytest.mark.parametrize("what, name, title", every_title())
def test_every_name_has_an_english_and_a_chinese_title(chinese, what, name, title):
    assert title is not None, f"{what} {name} has no title in portal/workflow/titles.py"
    english = title.default or str(title)
    assert english and english != name
    translated = chinese.gettext(str(title))
    assert translated != str(title) and not translated.isascii(), f"{what} {name}: no Chinese for {title!r}"


def test_the_tables_name_nothing_that_does_not_exist():
    assert set(titles.ROLES) == set(defs.ROLES) and set(titles.GUARDS) == set(defs.GUARDS)
    assert set(titles.TIMERS) == set(defs.TIMERS) and set(titles.PHASES) == set(defs.PHASES)
    assert set(titles.PERMISSIONS) == {p for kind in defs.PERMISSIONS for p in defs.PERMISSIONS[kind]}


def test_every_permission_is_in_exactly_one_group():
    grouped = [p for _gid, _title, permissions in titles.PERMISSION_GROUPS for p in permissions]
    assert sorted(grouped) == sorted(set(grouped))
    for kind, permissions in defs.PERMISSIONS.items():
        assert set(permissions) <= set(grouped)
        assert sorted(p for _g, _t, ps in titles.groups(kind) for p in ps) == sorted(permissions)
    assert [g[0] for g in titles.groups("document")] == ["viewing", "drafting", "review"]


def test_state_titles_fall_back_to_the_other_language_then_the_id():
    definition = {"states": {"a": {"title": {"zh": "甲", "en": ""}}, "b": {"title": {}}}}
    assert titles.state_title(definition, "a", "en") == "甲"
    assert titles.state_title(definition, "a", "zh") == "甲"
    assert titles.state_title(definition, "b", "en") == "b"


# --- the diagram --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, lines", [
    ("草稿", ["草稿"]),
    ("一二三四五六七八九十一二三", ["一二三四五六七八九十一二三"]),          # exactly 13: one line
    ("一二三四五六七八九十一二三四", ["一二三四五六七八九十一二三", "四"]),
    ("Preliminary results (objection period)", ["Preliminary results", "(objection period)"]),
    ("", [""]),
])
def test_wrap_breaks_titles_at_the_box_width(text, lines):
    assert diagram.wrap(text) == lines


def ballot():
    return registry.parse(registry.default_text("ballot"))


def test_the_layout_reads_from_top_to_bottom_with_ended_states_aside():
    definition = ballot()
    boxes = diagram.layout(definition, lambda s: s)
    ys = [boxes[s][1] for s in ("draft", "submitted", "approved", "notice", "voting", "closed", "preliminary", "final")]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)
    main_x = boxes["draft"][0]
    assert boxes["withdrawn"][0] > main_x and boxes["cancelled"][0] == boxes["withdrawn"][0]
    w, c = boxes["withdrawn"], boxes["cancelled"]
    assert w[1] + w[3] <= c[1] or c[1] + c[3] <= w[1]            # side boxes never overlap


def test_the_svg_labels_every_state_and_transition_and_escapes_text():
    definition = ballot()
    definition["states"]["draft"]["title"]["zh"] = "草稿<&>"
    svg = diagram.svg(definition, lambda s: titles.state_title(definition, s, "zh"),
                      lambda t: titles.transition_title(definition["transitions"][t], t, "zh"), str, "图", "说明")
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "草稿&lt;&amp;&gt;" in svg and "<&>" not in svg
    for tid in ("submit", "approve", "publish_notice", "open_voting"):
        assert definition["transitions"][tid]["title"]["zh"] in svg
    assert svg.count("<rect") == len(definition["states"])
    assert svg.count("<path ") == sum(len(t["from"]) for t in definition["transitions"].values()) + 1  # + marker


def test_an_unreachable_state_is_still_drawn():
    definition = ballot()
    definition["states"]["orphan"] = {"phase": "review", "title": {"zh": "孤立"}, "permissions": {}}
    boxes = diagram.layout(definition, lambda s: s)
    assert boxes["orphan"][1] > boxes["final"][1]


# --- what an edit changes -----------------------------------------------------------------------

def test_permission_changes_by_role_with_renames():
    old = ballot()
    new = copy.deepcopy(old)
    new["states"]["drafting"] = new["states"].pop("draft")
    new["states"]["drafting"]["permissions"]["view"].append("owner")
    new["states"]["drafting"]["permissions"]["edit"] = []
    found = preview.permission_changes(old, new, {"draft": "drafting"})
    assert found == {"owner": {"gained": [("drafting", "view")], "lost": []},
                     "organizer": {"gained": [], "lost": [("drafting", "edit")]}}
    assert preview.permission_changes(old, copy.deepcopy(old)) == {}


def test_state_moves_tell_renamed_from_removed():
    old = ballot()
    new = copy.deepcopy(old)
    new["states"]["drafting"] = new["states"].pop("draft")
    del new["states"]["withdrawn"]
    new["initial"] = "drafting"
    assert preview.state_moves(old, new, {"draft": "drafting"}) == [("draft", "drafting", "renamed"),
                                                                     ("withdrawn", "drafting", "removed")]


def test_the_fingerprint_changes_with_any_edit():
    old = ballot()
    new = copy.deepcopy(old)
    assert preview.fingerprint(old) == preview.fingerprint(new)
    new["states"]["draft"]["permissions"]["view"].append("owner")
    assert preview.fingerprint(old) != preview.fingerprint(new)
