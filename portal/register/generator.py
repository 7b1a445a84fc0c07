"""Synthetic registers, as import files' rows: for the demo community, tests and benchmarks.

Every person is fictional; ID numbers are well-formed (valid check digit and birth date) but
made up.  The same seed gives the same register.
"""
import random

from portal.register.idnumbers import check_char
from portal.register.importer import COLUMNS

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏建文辉力斌宇浩凯嘉俊佳欣怡子轩梓涵"


class People:
    """Fictional people with distinct, well-formed resident ID numbers."""

    def __init__(self, rng):
        self.rng = rng
        self.used = set()

    def __call__(self):
        rng = self.rng
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        while True:
            first17 = "440106%04d%02d%02d%03d" % (rng.randint(1940, 2004), rng.randint(1, 12),
                                                  rng.randint(1, 28), rng.randint(0, 999))
            if first17 not in self.used:
                self.used.add(first17)
                return name, first17 + check_char(first17)


def row(building, unit_no, room, kind="dwelling", area="88.50", source="registered", unsold="no",
        owner=None, phone=""):
    name, number = owner if owner else ("", "")
    return [building, unit_no, room, kind, area, source, unsold, name, "resident_id" if owner else "",
            number, phone]


def community_rows(units, seed=1, buildings=None, parking=0):
    """Rows for about ``units`` dwellings (plus ``parking`` spaces): a realistic mix of one buyer
    with three units, co-owned units (every 12th), developer-unsold units (every 40th) and some
    phones."""
    rng = random.Random(seed)
    person = People(rng)
    buildings = buildings or max(1, units // 96)
    rows = []
    per_building = -(-units // buildings)
    repeat_buyer = person()
    repeat_left = 3
    for n in range(units):
        building, index = str(n // per_building + 1), n % per_building
        unit_no = str(index % 2 + 1)
        floor, door = index // 4 + 1, index // 2 % 2 + 1
        room = f"{floor}{door:02d}"
        area = f"{rng.randint(55, 140)}.{rng.randint(0, 99):02d}"
        source = rng.choice(("registered", "registered", "registered", "surveyed", "contract"))
        if n % 40 == 39:
            rows.append(row(building, unit_no, room, area=area, source=source, unsold="yes"))
            continue
        if repeat_left and n % 50 == 7:
            owner, repeat_left = repeat_buyer, repeat_left - 1
        else:
            owner = person()
        phone = "13%09d" % rng.randint(0, 999999999) if rng.random() < 0.3 else ""
        rows.append(row(building, unit_no, room, area=area, source=source, owner=owner, phone=phone))
        if n % 12 == 5:
            rows.append(row(building, unit_no, room, area=area, source=source, owner=person()))
    for p in range(parking):
        rows.append(row("车库", "", f"P{p + 1:03d}", kind="parking", area="12.50", source="surveyed",
                        owner=person()))
    return rows


def as_csv(rows, header=COLUMNS):
    from portal.register.table import write_csv

    return write_csv(list(header), rows)
