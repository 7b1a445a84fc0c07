"""The results as table rows and as a PDF report in Chinese (reportlab's CID font, no font file).

reportlab's Paragraph reads its text as markup (<img src>, <a href>, <font>): every text that goes
into one is escaped first, so a title can neither break the report nor make it fetch a URL or read
a local file."""
import io
from xml.sax.saxutils import escape

from portal import clock
from portal.ballots import rules
from portal.i18n import _

HEADER = (_("Matter"), _("Category"), _("Rule"), _("Total owners"), _("Total area (m²)"),
          _("Participating owners"), _("Participating area (m²)"), _("Agree owners"), _("Agree area (m²)"),
          _("Oppose owners"), _("Oppose area (m²)"), _("Abstain owners"), _("Abstain area (m²)"),
          _("Quorum met"), _("Passed"))
YES, NO = _("yes"), _("no")
RULES = {rules.ORDINARY: _("ordinary majority"), rules.SPECIAL: _("special majority, three quarters")}


def rows(ballot, results, translate):
    titles = {m["id"]: m["title"] for m in ballot.matters}
    lines = []
    for label, results_list in ((None, results["matters"]), (_("non-voters follow the majority"),
                                                                results["follow_majority"] or [])):
        for r in results_list:
            title = titles[r["id"]] + (f" ({translate(label)})" if label else "")
            lines.append([title, r["category"], translate(RULES[r["rule"]]), r["total_owners"], r["total_area"],
                          r["participating_owners"], r["participating_area"], r["agree_owners"], r["agree_area"],
                          r["oppose_owners"], r["oppose_area"], r["abstain_owners"], r["abstain_area"],
                          translate(YES if r["quorum_met"] else NO), translate(YES if r["passed"] else NO)])
    return [translate(h) for h in HEADER], lines


def text(value):
    """``value`` as plain text for a Paragraph: markup escaped, control characters dropped."""
    return escape("".join(c for c in str(value) if c >= " " or c in "\t\n"))


def pdf(ballot, results, translate):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10, leading=15, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, fontSize=15, leading=22)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=ballot.title)
    story = [Paragraph(text(ballot.title), heading),
             Paragraph(text(f"{ballot.community.title} · {translate(_('Results'))} · "
                            f"{clock.local(clock.now()).strftime('%Y-%m-%d %H:%M')}"), body), Spacer(1, 8)]
    header, lines = rows(ballot, results, translate)
    for line in lines:
        pairs = [[Paragraph(text(h), body), Paragraph(text(v), body)] for h, v in zip(header, line)]
        table = Table(pairs, colWidths=[170, 300])
        table.setStyle([("GRID", (0, 0), (-1, -1), 0.5, "#888888"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        story += [table, Spacer(1, 10)]
    story.append(Paragraph(text(translate(_("Legal basis: Civil Code arts. 278 and 1259; the SPC interpretation on "
                                       "building differentiated ownership, arts. 8 and 9."))), body))
    doc.build(story)
    return out.getvalue()
