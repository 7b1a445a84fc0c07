"""What the filing package says, gathered once for the PDF and the archive (no Pyramid).

Everything comes from the ballot's frozen electorate, its box and its records: the decision in
words, the results of every matter, the tables by building, the elected members and alternates,
the objections and their answers (never the filer), how owners voted (electronically, on paper),
and the ballot's audit entries.  Nothing here names an owner or a room.
"""
from portal.clock import local
from portal.register.rules import format_area
from portal.voting import buildings, tally, verdicts


def percent(part, whole):
    """A ratio for display (verdicts are the tally's, in integers): '67.4%'."""
    return f"{100.0 * part / whole:.1f}%" if whole else "—"


def results(ballot):
    """[(matter, result as JSON, [verdict strings])] of every matter, from the box as it stands."""
    from portal.voting.service import box_of

    electorate, box = ballot.electorate, box_of(ballot)
    found = tally.tally(ballot.matters, electorate.units, electorate.include_parking, box.plain_votes(),
                        ballot.election_ranking, owners=dict(box.areas.items()))
    return [(matter, data, verdicts.verdict(data))
            for matter, data in zip(ballot.matters, (verdicts.as_json(r) for r in found))]


def building_rows(ballot):
    from portal.voting.service import box_of

    register = ballot.community["register"]

    def building_of(unit):                 # electorates frozen before buildings were kept with them
        if unit.building:
            return unit.building
        current = register.get(unit.key)
        return current.building if current is not None else ""

    electorate, box = ballot.electorate, box_of(ballot)

    def key_of(unit):                      # a unit sold during voting may be a group of its own now
        return box.owner_of_unit.get(unit.key) or buildings.frozen_key(unit)

    rows = buildings.by_building(ballot.matters, electorate.units, electorate.include_parking,
                                 box.plain_votes(), building_of, key_of)
    return [(name, dict(figures, total_area_text=format_area(figures["total_area"]),
                        voted_area_text=format_area(figures["voted_area"]),
                        voted_share=percent(figures["voted_owners"], figures["total_owners"])))
            for name, figures in rows]


def objections(ballot):
    from portal.objections.service import objections_of

    return objections_of(ballot).values()


def count_record(ballot):
    """The paper count's reconciliation (``portal.paper.count``), None without paper ballots or a
    count record; the names of counters and supervisors are added by the view, which holds the key."""
    from portal.paper.count import count_of, reconciled

    figures = reconciled(ballot)
    record = count_of(ballot)
    return dict(figures, second_entry=bool(record and record["second_entry"])) if figures else None


def channels(ballot):
    from portal.voting.service import box_of

    return {name: (owners, format_area(area)) for name, (owners, area) in box_of(ballot).channels().items()}


def delivery(portal, ballot):
    """How owners were told (sent, accepted by the channel, opened), by owners and area."""
    from portal.notify.delivery import figures

    return figures(portal, ballot)


def audit_entries(portal, ballot):
    from pyramid.traversal import resource_path

    return [dict(e) for e in portal.audit_log.under(resource_path(ballot), limit=10000)][::-1]


def issuers(ballot):
    """(the body that decided, the offices it files with)."""
    community = ballot.community
    street = community.__parent__
    district = street.__parent__
    return (f"{community.title}业主大会", f"{street.title}（街道办事处 / 镇人民政府）", f"{district.title}住房建设行政主管部门")


def gathered(ballot, now):
    opens, closes = ballot.window()
    return {"ballot": ballot, "community": ballot.community, "results": results(ballot),
            "buildings": building_rows(ballot), "objections": objections(ballot), "channels": channels(ballot),
            "count": count_record(ballot),
            "issuers": issuers(ballot), "totals": ballot.electorate.totals,
            "total_area": format_area(ballot.electorate.totals.area),
            "made": local(now).strftime("%Y年%m月%d日"), "percent": percent, "carried": verdicts.carried,
            "opens": local(opens), "closes": local(closes)}
