"""A workflow drawn as SVG, on the server (no Pyramid here; the caller passes the words).

The layout is layered: each state's row is its distance from the initial state along the
transitions (states of one row side by side), so the life of a ballot reads from top to bottom;
states of an end phase where nothing is decided ("ended": withdrawn, cancelled) stand in a column
on the right, beside the states they are reached from.  Forward transitions are arrows down with
their title beside them; a transition back (returned for changes) curves along the left side; one
that stays in its state loops on it.  A transition from many states is labelled once, by its
target.  ``text_lines`` gives the same content as sentences, for the text alternative.
"""
from collections import deque
from xml.sax.saxutils import escape

from portal.workflow import definition as defs

BOX_W, BOX_H, LINE_H = 230, 26, 17
ROW_GAP, COL_GAP = 64, 36
LEFT = 260                 # room on the left for the transitions back
SIDE_GAP = 170             # between the main flow and the column of ended states
MAX_CHARS = 13             # CJK characters on one line of a box (Latin text: twice as many)
PHASE_FILL = {"draft": "#eef2f7", "review": "#fdf3e1", "notice": "#e6f2fb", "voting": "#e5f5ea",
              "counting": "#f3ecfa", "disclosed": "#e3f1ef", "ended": "#f2f2f2"}


def wrap(text, width=MAX_CHARS):
    """Lines of at most ``width`` wide characters (two Latin letters count as one)."""
    lines, line, used = [], "", 0.0
    for word in (text.split(" ") if text.isascii() else list(text)):
        cost = len(word) / 2 if word.isascii() else len(word)
        sep = " " if text.isascii() and line else ""
        if line and used + cost + (0.5 if sep else 0) > width:
            lines.append(line)
            line, used, sep = "", 0.0, ""
        line += sep + word
        used += cost + (0.5 if sep else 0)
    if line:
        lines.append(line)
    return lines or [""]


def ranks(definition):
    """{state: row} by breadth-first distance from the initial state (ended states left out)."""
    main = {s for s, st in definition["states"].items() if st["phase"] != "ended"}
    rank, queue = {definition["initial"]: 0}, deque([definition["initial"]])
    while queue:
        state = queue.popleft()
        for transition in defs.outgoing(definition, state):
            target = transition["to"]
            if target in main and target not in rank:
                rank[target] = rank[state] + 1
                queue.append(target)
    following = max(rank.values(), default=-1) + 1
    for state in definition["states"]:          # unreachable ones (an invalid edit) at the bottom
        if state in main and state not in rank:
            rank[state] = following
            following += 1
    return rank


def layout(definition, state_title):
    """{state: (x, y, w, h, lines)} of each box."""
    rank = ranks(definition)
    rows = {}
    for state in definition["states"]:
        if state in rank:
            rows.setdefault(rank[state], []).append(state)
    boxes, y, row_y = {}, 20, {}
    for row in sorted(rows):
        heights = []
        for col, state in enumerate(rows[row]):
            lines = wrap(state_title(state))
            h = BOX_H + LINE_H * len(lines)
            boxes[state] = [LEFT + col * (BOX_W + COL_GAP), y, BOX_W, h, lines]
            heights.append(h)
        row_y[row] = y
        y += max(heights) + ROW_GAP
    widest = max((len(states) for states in rows.values()), default=1)
    side_x = LEFT + widest * (BOX_W + COL_GAP) - COL_GAP + SIDE_GAP
    ended = [s for s, st in definition["states"].items() if st["phase"] == "ended"]
    taken = []
    for state in sorted(ended, key=lambda s: _source_middle(definition, s, boxes)):
        lines = wrap(state_title(state))
        h = BOX_H + LINE_H * len(lines)
        top = max([_source_middle(definition, state, boxes) - h / 2] + [t + ROW_GAP / 2 for t in taken] + [20])
        boxes[state] = [side_x, round(top), BOX_W, h, lines]
        taken.append(top + h)
    return {s: tuple(b) for s, b in boxes.items()}


def _source_middle(definition, state, boxes):
    ys = [boxes[s][1] + boxes[s][3] / 2 for t in definition["transitions"].values() if t["to"] == state
          for s in t["from"] if s in boxes]
    return sum(ys) / len(ys) if ys else 0


# presentation attributes, not a <style>: the page's Content-Security-Policy allows no inline style
TEXT_STYLE = {"label": 'font-family="sans-serif" font-size="13" fill="#1f2d3d"',
              "state": 'font-family="sans-serif" font-size="14" font-weight="bold" fill="#10202f"',
              "phase": 'font-family="sans-serif" font-size="11" fill="#4a5a6a"'}
EDGE = 'class="edge" stroke="#44546a" stroke-width="1.4" fill="none"'


def _text(x, y, text, anchor="start", cls="label"):
    return f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" {TEXT_STYLE[cls]}>{escape(text)}</text>'


def svg(definition, state_title, transition_title, phase_title, title, description):
    """The diagram as an ``<svg>`` element (a string): boxes coloured by phase, labelled arrows."""
    boxes = layout(definition, state_title)
    width = max(x + w for x, y, w, h, _ in boxes.values()) + 30
    height = max(y + h for x, y, w, h, _ in boxes.values()) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" viewBox="0 0 {width:.0f} {height:.0f}" '
           f'width="{width:.0f}" role="img" aria-labelledby="wf-svg-title wf-svg-desc">',
           f'<title id="wf-svg-title">{escape(title)}</title><desc id="wf-svg-desc">{escape(description)}</desc>',
           '<defs><marker id="wf-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#44546a"/></marker></defs>',
           ]
    for tid, transition in definition["transitions"].items():
        out.extend(_edges(definition, tid, transition, boxes, transition_title(tid)))
    for state, (x, y, w, h, lines) in boxes.items():
        phase = definition["states"][state]["phase"]
        initial = ' stroke-width="3"' if state == definition["initial"] else ' stroke-width="1.2"'
        out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="8" fill="{PHASE_FILL.get(phase, "#fff")}" '
                   f'stroke="#44546a"{initial}/>')
        for i, line in enumerate(lines):
            out.append(_text(x + w / 2, y + 19 + i * LINE_H, line, "middle", "state"))
        out.append(_text(x + w / 2, y + h - 8, phase_title(phase), "middle", "phase"))
    out.append("</svg>")
    return "".join(out)


def _edges(definition, tid, transition, boxes, label):
    target = boxes.get(transition["to"])
    sources = [s for s in transition["from"] if s in boxes]
    if target is None or not sources:
        return []
    out = []
    tx, ty, tw, th, _ = target
    side = definition["states"][transition["to"]]["phase"] == "ended"
    for n, source in enumerate(sources):
        sx, sy, sw, sh, _ = boxes[source]
        if source == transition["to"]:                                  # stays: a loop on the left
            out.append(f'<path {EDGE} d="M{sx},{sy + 10} C{sx - 60},{sy - 10} {sx - 60},{sy + sh + 10} '
                       f'{sx},{sy + sh - 10}" marker-end="url(#wf-arrow)"/>')
            out.append(_text(sx - 62, sy + sh / 2 + 4, _short(label), "end"))
        elif side:                                                      # to the column on the right
            out.append(f'<path {EDGE} d="M{sx + sw},{sy + sh / 2} L{tx},{ty + th / 2}" '
                       f'marker-end="url(#wf-arrow)" stroke-dasharray="5 3"/>')
        elif ty > sy:                                                   # forward: down
            x1, x2 = sx + sw / 2, tx + tw / 2
            out.append(f'<path {EDGE} d="M{x1},{sy + sh} L{x2},{ty}" marker-end="url(#wf-arrow)"/>')
            out.append(_text((x1 + x2) / 2 + 8, (sy + sh + ty) / 2 + 4, _short(label)))
        else:                                                           # back: along the left side
            bend = sx - 40 - 14 * n
            out.append(f'<path {EDGE} d="M{sx},{sy + sh / 2} C{bend},{sy + sh / 2} {bend},{ty + th / 2} '
                       f'{tx},{ty + th / 2}" marker-end="url(#wf-arrow)"/>')
            out.append(_text(bend - 4, (sy + sh / 2 + ty + th / 2) / 2 + 4, _short(label), "end"))
    if side:
        out.append(_text(tx + tw / 2, ty - 7, _short(label), "middle"))
    return out


def _short(label, limit=14):
    return label if len(label) <= limit or label.isascii() and len(label) <= 2 * limit else label[:limit - 1] + "…"


def text_lines(definition, state_title, transition_title):
    """[(source title, target title, transition title)] in the definition's order: the diagram as words."""
    lines = []
    for tid, transition in definition["transitions"].items():
        for source in transition["from"]:
            if source in definition["states"] and transition["to"] in definition["states"]:
                lines.append((state_title(source), state_title(transition["to"]), transition_title(tid)))
    return lines
