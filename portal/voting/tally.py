"""The double-majority tally (Civil Code arts. 278 and 1259), in integers only (no Pyramid).

Owners are counted by the owner keys of ``portal.register.rules`` over the frozen electorate;
areas are integers of 0.01 m²; ratios are compared by cross-multiplication, never divided:
- quorum: 3·P_area ≥ 2·T_area and 3·P_owners ≥ 2·T_owners ("two thirds or more" includes it);
- special rule: 4·A_area ≥ 3·P_area and 4·A_owners ≥ 3·P_owners;
- ordinary rule: 2·A_area > P_area and 2·A_owners > P_owners (more than half, strictly).
A matter without quorum fails.  Abstentions participate and do not agree.
"""
from dataclasses import asdict, dataclass

from portal.ballots.rules import SPECIAL, rule_of
from portal.register.rules import counts, owner_key

AGREE, OPPOSE, ABSTAIN = "agree", "oppose", "abstain"
CHOICES = (AGREE, OPPOSE, ABSTAIN)


def key_text(key):
    """An owner key as a string fit for a BTree key."""
    if key[0] == "buyer":
        return "buyer:" + "+".join(sorted(key[1]))
    return ":".join(key) if key[0] == "developer" else f"unit:{key[1]}"


def owners_of(units, include_parking):
    """{owner key text: area} over the units that count."""
    owners = {}
    for unit in units:
        if counts(unit, include_parking):
            key = key_text(owner_key(unit))
            owners[key] = owners.get(key, 0) + unit.area
    return owners


def quorum_line(total):
    """The least participation that is "two thirds or more" of ``total`` (3·P ≥ 2·T), in integers."""
    return -(-2 * total // 3)


def quorum_met(p_owners, p_area, t_owners, t_area):
    return p_area >= quorum_line(t_area) and p_owners >= quorum_line(t_owners)


def agreed(rule, a_owners, a_area, p_owners, p_area):
    if rule == SPECIAL:
        return 4 * a_area >= 3 * p_area and 4 * a_owners >= 3 * p_owners
    return 2 * a_area > p_area and 2 * a_owners > p_owners


@dataclass(frozen=True)
class MatterResult:
    id: str
    category: int
    rule: str
    total_owners: int
    total_area: int
    participating_owners: int
    participating_area: int
    agree_owners: int
    agree_area: int
    oppose_owners: int
    oppose_area: int
    abstain_owners: int
    abstain_area: int
    quorum_met: bool
    passed: bool

    def as_dict(self):
        return asdict(self)


def count(matter, owners, votes):
    """Counts for one matter: ``owners`` {key: area}; ``votes`` {key: {matter id: choice}}."""
    figures = {choice: [0, 0] for choice in CHOICES}
    for key, choices in votes.items():
        choice = choices.get(matter["id"])
        if key in owners and choice in figures:
            figures[choice][0] += 1
            figures[choice][1] += owners[key]
    return figures


def result(matter, owners, figures):
    total_owners, total_area = len(owners), sum(owners.values())
    p_owners = sum(f[0] for f in figures.values())
    p_area = sum(f[1] for f in figures.values())
    rule = rule_of(matter["category"])
    quorum = quorum_met(p_owners, p_area, total_owners, total_area) and total_owners > 0
    passed = quorum and agreed(rule, figures[AGREE][0], figures[AGREE][1], p_owners, p_area)
    return MatterResult(
        id=matter["id"], category=matter["category"], rule=rule, total_owners=total_owners,
        total_area=total_area, participating_owners=p_owners, participating_area=p_area,
        agree_owners=figures[AGREE][0], agree_area=figures[AGREE][1], oppose_owners=figures[OPPOSE][0],
        oppose_area=figures[OPPOSE][1], abstain_owners=figures[ABSTAIN][0], abstain_area=figures[ABSTAIN][1],
        quorum_met=quorum, passed=passed)


def tally(matters, units, include_parking, votes):
    """The plain result of every matter."""
    owners = owners_of(units, include_parking)
    return [result(m, owners, count(m, owners, votes)) for m in matters]


def follow_majority(matters, units, include_parking, votes):
    """The result if non-voters followed the majority of the voters (从众), where a community's
    rules of procedure say so: each non-voter is added to the choice most voting owners made
    (no one is added on a tie).  Reported beside the plain result, never instead of it."""
    owners = owners_of(units, include_parking)
    adjusted = []
    for matter in matters:
        figures = count(matter, owners, votes)
        ranked = sorted(CHOICES, key=lambda c: figures[c][0], reverse=True)
        if figures[ranked[0]][0] > figures[ranked[1]][0]:
            voted = {k for k, c in votes.items() if k in owners and c.get(matter["id"]) in CHOICES}
            silent = [k for k in owners if k not in voted]
            figures[ranked[0]][0] += len(silent)
            figures[ranked[0]][1] += sum(owners[k] for k in silent)
        adjusted.append(result(matter, owners, figures))
    return adjusted
