"""The double-majority tally (Civil Code arts. 278 and 1259), in integers only (no Pyramid).

Owners are counted by the owner keys of ``portal.register.rules`` over the frozen electorate;
areas are integers of 0.01 m²; ratios are compared by cross-multiplication, never divided:
- quorum: 3·P_area ≥ 2·T_area and 3·P_owners ≥ 2·T_owners ("two thirds or more" includes it);
- special rule: 4·A_area ≥ 3·P_area and 4·A_owners ≥ 3·P_owners;
- ordinary rule: 2·A_area > P_area and 2·A_owners > P_owners (more than half, strictly).
A matter without quorum fails.  Abstentions participate and do not agree.
"""
from dataclasses import asdict, dataclass

from portal.ballots.rules import ORDINARY, SPECIAL, rule_of
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


def tally(matters, units, include_parking, votes, ranking="owners_first", owners=None):
    """The plain result of every matter, of whatever kind (``ranking``: how an election ranks).
    ``owners`` ({owner key: area}) stands for the units' own grouping where the ballot box has
    regrouped them (a unit sold during voting is an owner group of its own)."""
    owners = owners if owners is not None else owners_of(units, include_parking)
    return [matter_result(m, owners, votes, ranking) for m in matters]


def follow_majority(matters, units, include_parking, votes, owners=None):
    """The result if non-voters followed the majority of the voters (从众), where a community's
    rules of procedure say so: each non-voter is added to the choice most voting owners made
    (no one is added on a tie).  Reported beside the plain result, never instead of it."""
    owners = owners if owners is not None else owners_of(units, include_parking)
    adjusted = []
    for matter in matters:
        if kind_of(matter) != QUESTION:          # only a yes/no question has a side to follow
            adjusted.append(matter_result(matter, owners, votes))
            continue
        figures = count(matter, owners, votes)
        ranked = sorted(CHOICES, key=lambda c: figures[c][0], reverse=True)
        if figures[ranked[0]][0] > figures[ranked[1]][0]:
            voted = {k for k, c in votes.items() if k in owners and c.get(matter["id"]) in CHOICES}
            silent = [k for k in owners if k not in voted]
            figures[ranked[0]][0] += len(silent)
            figures[ranked[0]][1] += sum(owners[k] for k in silent)
        adjusted.append(result(matter, owners, figures))
    return adjusted


# ---- Kinds of matter (DOMAIN.md "Kinds of matter") ------------------------------------------
# A matter's ``kind`` is "question" (the rule above), "election" or "choice".  A vote's mark for
# an election is {candidate id: agree | oppose | abstain} (unmarked candidates abstain) or VOID
# (a paper ballot with more agrees than seats); for a choice it is an option id or "abstain".
QUESTION, ELECTION, CHOICE = "question", "election", "choice"
KINDS = (QUESTION, ELECTION, CHOICE)
VOID = "void"
OWNERS_FIRST, AREA_FIRST = "owners_first", "area_first"


def kind_of(matter):
    return matter.get("kind") or QUESTION


def qualifies(a_owners, a_area, p_owners, p_area):
    """An election candidate qualifies with more than half of the participants' owners and area:
    the ordinary majority, so one rule decides both."""
    return agreed(ORDINARY, a_owners, a_area, p_owners, p_area)


@dataclass(frozen=True)
class CandidateResult:
    id: str
    name: str
    agree_owners: int
    agree_area: int
    oppose_owners: int
    oppose_area: int
    abstain_owners: int
    abstain_area: int
    qualified: bool
    rank: object            # 1, 2, ... (tied candidates share one); None if not qualified
    elected: bool
    alternate: bool


@dataclass(frozen=True)
class ElectionResult:
    id: str
    kind: str
    category: int
    rule: str
    seats: int
    alternates: int
    ranking: str
    total_owners: int
    total_area: int
    participating_owners: int
    participating_area: int
    void_owners: int
    void_area: int
    quorum_met: bool
    candidates: tuple
    unfilled_seats: int
    tied: tuple             # candidate ids tied across the last seat (none of them elected to it)
    tied_alternates: tuple  # candidate ids tied across the last alternate place

    def as_dict(self):
        return asdict(self)


def election_count(matter, owners, votes):
    """(participants [owners, area], void [owners, area], {candidate id: {mark: [owners, area]}})."""
    ids = [c["id"] for c in matter["candidates"]]
    figures = {cid: {choice: [0, 0] for choice in CHOICES} for cid in ids}
    taking_part, void = [0, 0], [0, 0]
    for key, marks in votes.items():
        mark = marks.get(matter["id"])
        if key not in owners or mark is None:
            continue
        area = owners[key]
        taking_part[0] += 1
        taking_part[1] += area
        if mark == VOID:
            void[0] += 1
            void[1] += area
            continue
        for cid in ids:
            choice = mark.get(cid, ABSTAIN)
            figures[cid][choice if choice in CHOICES else ABSTAIN][0] += 1
            figures[cid][choice if choice in CHOICES else ABSTAIN][1] += area
    return taking_part, void, figures


def ranked_places(order, capacity):
    """Fill ``capacity`` places from ``order`` (groups of candidates tied with each other, best
    first): (placed ids, remaining groups, ids of the group tied across the last place).  A group
    that does not fit whole takes none of the places left: they stay empty."""
    placed, tied = [], ()
    for index, group in enumerate(order):
        if len(placed) + len(group) <= capacity:
            placed.extend(group)
            if len(placed) == capacity:
                return placed, order[index + 1:], tied
        else:
            if len(placed) < capacity:
                tied = tuple(group)
            return placed, order[index:], tied
    return placed, [], tied


def election_result(matter, owners, votes, ranking=OWNERS_FIRST):
    total_owners, total_area = len(owners), sum(owners.values())
    taking_part, void, figures = election_count(matter, owners, votes)
    quorum = quorum_met(taking_part[0], taking_part[1], total_owners, total_area) and total_owners > 0
    seats, alternates = matter["seats"], matter.get("alternates", 0)

    def score(cid):
        owners_, area = figures[cid][AGREE]
        return (owners_, area) if ranking == OWNERS_FIRST else (area, owners_)

    qualified = [c["id"] for c in matter["candidates"]
                 if quorum and qualifies(*figures[c["id"]][AGREE], *taking_part)]
    groups = []
    for cid in sorted(qualified, key=score, reverse=True):
        if groups and score(groups[-1][0]) == score(cid):
            groups[-1].append(cid)
        else:
            groups.append([cid])
    ranks, place = {}, 1
    for group in groups:
        for cid in group:
            ranks[cid] = place
        place += len(group)
    elected, rest, tied = ranked_places(groups, seats)
    chosen_alternates, _rest, tied_alternates = ranked_places(rest, alternates)
    candidates = tuple(CandidateResult(
        id=c["id"], name=c["name"],
        agree_owners=figures[c["id"]][AGREE][0], agree_area=figures[c["id"]][AGREE][1],
        oppose_owners=figures[c["id"]][OPPOSE][0], oppose_area=figures[c["id"]][OPPOSE][1],
        abstain_owners=figures[c["id"]][ABSTAIN][0], abstain_area=figures[c["id"]][ABSTAIN][1],
        qualified=c["id"] in ranks, rank=ranks.get(c["id"]), elected=c["id"] in elected,
        alternate=c["id"] in chosen_alternates) for c in matter["candidates"])
    return ElectionResult(
        id=matter["id"], kind=ELECTION, category=matter["category"], rule=rule_of(matter["category"]),
        seats=seats, alternates=alternates, ranking=ranking, total_owners=total_owners,
        total_area=total_area, participating_owners=taking_part[0], participating_area=taking_part[1],
        void_owners=void[0], void_area=void[1], quorum_met=quorum, candidates=candidates,
        unfilled_seats=seats - len(elected), tied=tied, tied_alternates=tied_alternates)


@dataclass(frozen=True)
class OptionResult:
    id: str
    title: str
    owners: int
    area: int
    adopted: bool


@dataclass(frozen=True)
class ChoiceResult:
    id: str
    kind: str
    category: int
    rule: str
    total_owners: int
    total_area: int
    participating_owners: int
    participating_area: int
    abstain_owners: int
    abstain_area: int
    quorum_met: bool
    options: tuple
    adopted: object         # the adopted option's id, or None: a plurality is not a decision

    def as_dict(self):
        return asdict(self)


def choice_result(matter, owners, votes):
    """An option is adopted only if it alone meets the category's agree rule against P."""
    total_owners, total_area = len(owners), sum(owners.values())
    figures = {o["id"]: [0, 0] for o in matter["options"]}
    abstain, taking_part = [0, 0], [0, 0]
    for key, marks in votes.items():
        mark = marks.get(matter["id"])
        if key not in owners or (mark not in figures and mark != ABSTAIN):
            continue
        target = figures[mark] if mark in figures else abstain
        for tally_ in (target, taking_part):
            tally_[0] += 1
            tally_[1] += owners[key]
    quorum = quorum_met(taking_part[0], taking_part[1], total_owners, total_area) and total_owners > 0
    rule = rule_of(matter["category"])
    meeting = [oid for oid, (o, a) in figures.items() if quorum and agreed(rule, o, a, *taking_part)]
    adopted = meeting[0] if len(meeting) == 1 else None
    options = tuple(OptionResult(id=o["id"], title=o["title"], owners=figures[o["id"]][0],
                                 area=figures[o["id"]][1], adopted=o["id"] == adopted)
                    for o in matter["options"])
    return ChoiceResult(
        id=matter["id"], kind=CHOICE, category=matter["category"], rule=rule, total_owners=total_owners,
        total_area=total_area, participating_owners=taking_part[0], participating_area=taking_part[1],
        abstain_owners=abstain[0], abstain_area=abstain[1], quorum_met=quorum, options=options,
        adopted=adopted)


def matter_result(matter, owners, votes, ranking=OWNERS_FIRST):
    """The result of one matter of any kind."""
    kind = kind_of(matter)
    if kind == ELECTION:
        return election_result(matter, owners, votes, ranking)
    if kind == CHOICE:
        return choice_result(matter, owners, votes)
    return result(matter, owners, count(matter, owners, votes))
