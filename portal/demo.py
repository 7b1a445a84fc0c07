"""The demo city: Guangzhou's eleven districts with real streets, a few fictional communities,
and one demo account per staff role (password ``<login>-demo``; for demos only)."""
from portal import clock
from portal.content.models import Community, District, Street
from portal.security import localroles
from portal.security.accounts import Account
from portal.security.roles import ADMIN, DISTRICT, ORGANIZER, STREET

# slug, title, division code, [(street slug, title, kind)]
DISTRICTS = [
    ("yuexiu", "越秀区", "440104", [("beijing", "北京街道", "subdistrict"), ("nonglin", "农林街道", "subdistrict"), ("dongshan", "东山街道", "subdistrict")]),
    ("haizhu", "海珠区", "440105", [("chigang", "赤岗街道", "subdistrict"), ("xingang", "新港街道", "subdistrict"), ("jiangnanzhong", "江南中街道", "subdistrict")]),
    ("liwan", "荔湾区", "440103", [("shamian", "沙面街道", "subdistrict"), ("hualin", "华林街道", "subdistrict"), ("fengyuan", "逢源街道", "subdistrict")]),
    ("tianhe", "天河区", "440106", [("shipai", "石牌街道", "subdistrict"), ("tianhenan", "天河南街道", "subdistrict"), ("linhe", "林和街道", "subdistrict"), ("xiancun", "冼村街道", "subdistrict")]),
    ("baiyun", "白云区", "440111", [("sanyuanli", "三元里街道", "subdistrict"), ("jingtai", "景泰街道", "subdistrict"), ("tonghe", "同和街道", "subdistrict")]),
    ("huangpu", "黄埔区", "440112", [("huangpu", "黄埔街道", "subdistrict"), ("dasha", "大沙街道", "subdistrict"), ("luogang", "萝岗街道", "subdistrict")]),
    ("panyu", "番禺区", "440113", [("shiqiao", "市桥街道", "subdistrict"), ("dashi", "大石街道", "subdistrict"), ("luopu", "洛浦街道", "subdistrict")]),
    ("huadu", "花都区", "440114", [("xinhua", "新华街道", "subdistrict"), ("huacheng", "花城街道", "subdistrict"), ("shiling", "狮岭镇", "town")]),
    ("nansha", "南沙区", "440115", [("nansha", "南沙街道", "subdistrict"), ("zhujiang", "珠江街道", "subdistrict"), ("huangge", "黄阁镇", "town")]),
    ("conghua", "从化区", "440117", [("jiekou", "街口街道", "subdistrict"), ("jiangpu", "江埔街道", "subdistrict"), ("wenquan", "温泉镇", "town")]),
    ("zengcheng", "增城区", "440118", [("licheng", "荔城街道", "subdistrict"), ("zengjiang", "增江街道", "subdistrict"), ("xintang", "新塘镇", "town")]),
]

# (district, street, slug, title, address, property company, developer) — all fictional.
COMMUNITIES = [
    ("tianhe", "shipai", "mingyuan", "明苑小区", "天河区石牌明苑路1号", "明苑物业服务有限公司", "明苑置业有限公司"),
    ("tianhe", "shipai", "qiaoyuan", "侨苑花园", "天河区石牌侨苑街8号", "侨苑物业管理有限公司", "侨苑房地产开发有限公司"),
    ("tianhe", "linhe", "linfeng", "林峰大厦", "天河区林和林峰路20号", "林峰物业有限公司", "林峰实业有限公司"),
    ("haizhu", "chigang", "jiangan", "江岸新村", "海珠区赤岗江岸路3号", "江岸物业服务有限公司", "江岸置业有限公司"),
    ("yuexiu", "dongshan", "dongfeng", "东风小区", "越秀区东山东风巷5号", "东风物业有限公司", "东风建设有限公司"),
]

# login, title, role, path of the node the role is granted on
ACCOUNTS = [
    ("admin", "市住建局管理员", ADMIN, ()),
    ("district", "天河区住建局", DISTRICT, ("tianhe",)),
    ("street", "石牌街道办事处", STREET, ("tianhe", "shipai")),
    ("organizer", "明苑小区业主委员会", ORGANIZER, ("tianhe", "shipai", "mingyuan")),
]


# (path of the community, dwellings, parking spaces, seed) of the demo registers
REGISTERS = [
    (("tianhe", "shipai", "mingyuan"), 192, 8, 2021),
    (("haizhu", "chigang", "jiangan"), 24, 0, 2022),
]


def build_registers(portal, personal, now):
    """Import the demo registers through the same importer staff use."""
    from portal.register import importer, services
    from portal.register.generator import as_csv, community_rows

    for path, dwellings, parking, seed in REGISTERS:
        register = portal[path[0]][path[1]][path[2]]["register"]
        if len(register):
            continue
        rows = community_rows(dwellings, seed, buildings=4 if dwellings > 100 else 1, parking=parking)
        prepared = importer.prepare("demo.csv", as_csv(rows),
                                    personal, now.date())
        assert not prepared.errors, prepared.errors[:3]
        importer.apply(register, prepared.units)
        services.refresh(register, now)


DEMO_OWNERS = ("owner1", "owner2", "owner3")


def build_owners(portal, personal, now):
    """owner1 (the buyer of three units), owner2 and owner3, bound in mingyuan by code letters."""
    from portal.binding import codes, service
    from portal.security.accounts import OWNER

    community = portal["tianhe"]["shipai"]["mingyuan"]
    register = community["register"]
    by_units = sorted(register.identity_index.items(), key=lambda item: (-len(item[1]), item[0]))
    for n, (login, (id_hash, unit_ids)) in enumerate(zip(DEMO_OWNERS, by_units), start=1):
        if portal.accounts.by_login(login):
            continue
        account = portal.accounts.add(Account(login, f"演示业主{n}", f"{login}-demo", kind=OWNER))
        phone = f"1390000000{n}"
        account.phone_enc = personal.encrypt(phone)
        account.phone_hash = personal.identity_hash("phone", phone)
        unit = register[unit_ids[0]]
        owner = [o for o in unit.owners if o.id_hash == id_hash][0]
        code = codes.issue_letter(register, unit, owner, personal, now, "")
        assert codes.redeem_letter(register, personal, code, id_hash, now)
        service.bind(community, account, id_hash, "code", now)


DEMO_MATTERS = [
    {"title": "修订《明苑小区业主大会议事规则》", "category": 1,
     "text": "拟修订议事规则第十二条，明确业主未参与表决的不计入同意或反对。修订全文见附件。"},
    {"title": "续聘明苑物业服务有限公司", "category": 4,
     "text": "物业服务合同于明年一月到期，拟以现行标准续聘三年。"},
    {"title": "使用专项维修资金更换3栋电梯", "category": 5,
     "text": "3栋两部电梯已运行二十年，拟使用专项维修资金约八十万元更换。"},
]


DEMO_CANDIDATES = [("陈建华", "3栋业主，退休会计，愿意义务监督维修资金的使用。"),
                   ("李秀英", "1栋业主，社区志愿者，熟悉小区公共设施情况。"),
                   ("王志强", "2栋业主，工程师，关注电梯和消防设施的维护。"),
                   ("张丽娟", "4栋业主，律师，可协助审查物业服务合同。"),
                   ("刘国栋", "1栋业主，曾任上届业主委员会委员。"),
                   ("黄美玲", "3栋业主，教师，希望改善小区绿化和儿童活动区。"),
                   ("周文斌", "2栋业主，个体经营者，关注停车管理。"),
                   ("吴晓燕", "4栋业主，护士，关注小区卫生和安全。"),
                   ("郑海涛", "1栋业主，IT从业者，愿意推动小区事务公开透明。")]

ELECTION_MATTERS = [
    {"kind": "election", "title": "选举明苑小区第三届业主委员会委员", "category": 3, "seats": 5, "alternates": 2,
     "text": "选举委员五名、候补委员两名，任期五年。候选人均为本小区业主，已经街道办事处核实资格。",
     "candidates": [{"name": name, "statement": statement} for name, statement in DEMO_CANDIDATES]},
    {"kind": "choice", "title": "选择小区物业服务方式", "category": 4,
     "text": "现物业服务合同明年到期，请在以下方案中选择一项。",
     "options": [{"title": "续聘现物业服务企业", "text": "以现行收费标准续聘明苑物业服务有限公司三年。"},
                 {"title": "公开招标选聘物业服务企业", "text": "委托街道指导，公开招标选聘新的物业服务企业。"},
                 {"title": "业主自行管理", "text": "由业主委员会组织业主自行管理，聘请专业人员负责日常服务。"}]},
]


def build_election_ballot(container, organizer, street, today, now):
    """b3: the committee election (9 candidates for 5 seats, 2 alternates, each confirmed eligible by
    the street office) and a choice of three plans, approved, its notice ready to publish (voting
    would open after b2's)."""
    import datetime

    from portal.ballots import candidates, lifecycle, services

    ballot = services.create(container, {
        "title": "2026年业主委员会换届选举及物业服务方式表决", "allow_paper": True, "matters": ELECTION_MATTERS,
        "description": "本次表决选举业主委员会委员，并选择物业服务方式。",
        "start_date": today + datetime.timedelta(days=40), "end_date": today + datetime.timedelta(days=49)},
        organizer, now)
    lifecycle.fire(ballot, "submit", organizer, now)
    for matter, candidate in candidates.candidates(ballot):
        candidates.record(ballot, matter["id"], candidate["id"], True, "已核实为本小区业主", street, now)
    lifecycle.fire(ballot, "approve", street, now)
    return ballot


def publish_election_notice(portal, now):
    """Street staff publish b3's notice (the demo leaves it approved: a published notice queues a
    message to every owner group, and the demo's message figures are b2's alone)."""
    from portal.ballots import lifecycle

    ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b3"]
    lifecycle.fire(ballot, "publish_notice", portal.accounts.by_login("street").uid, now)
    return ballot


def build_ballots(portal, now):
    """A draft, a ballot whose notice is published, and one with an election and a choice (b3), in
    mingyuan."""
    import datetime

    from portal.ballots import lifecycle, services
    from portal.ballots.rules import local_date

    container = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]
    if len(container):
        return
    organizer = portal.accounts.by_login("organizer").uid
    street = portal.accounts.by_login("street").uid
    today = local_date(now)
    services.create(container, {"title": "关于续聘物业服务企业的表决（草稿）", "start_date": today + datetime.timedelta(days=40),
                                "end_date": today + datetime.timedelta(days=49), "matters": DEMO_MATTERS[1:2]},
                    organizer, now)
    ballot = services.create(container, {
        "title": "2026年第一次业主共同决定事项表决", "description": "本次表决共三项事项，请业主在投票期内完成投票。",
        "start_date": today + datetime.timedelta(days=17), "end_date": today + datetime.timedelta(days=30),
        "allow_paper": True, "matters": DEMO_MATTERS}, organizer, now)
    lifecycle.fire(ballot, "submit", organizer, now)
    lifecycle.fire(ballot, "approve", street, now)
    lifecycle.fire(ballot, "publish_notice", street, now)
    build_election_ballot(container, organizer, street, today, now)


def build(portal, personal=None, now=None):
    """Fill an empty portal with the demo city (idempotent: existing nodes are kept)."""
    for slug, title, code, streets in DISTRICTS:
        district = portal.get(slug) or portal.add(slug, District(title, code=code))
        for street_slug, street_title, kind in streets:
            if street_slug not in district:
                district.add(street_slug, Street(street_title, kind=kind))
    for district, street, slug, title, address, company, developer in COMMUNITIES:
        container = portal[district][street]
        if slug not in container:
            container.add(slug, Community(title, address=address, property_company=company,
                                          developer=developer))
    for login, title, role, path in ACCOUNTS:
        account = portal.accounts.by_login(login) or portal.accounts.add(
            Account(login, title, f"{login}-demo"))
        node = portal
        for name in path:
            node = node[name]
        localroles.grant(node, account.uid, role)
    if personal is not None:
        build_registers(portal, personal, now or clock.now())
        build_owners(portal, personal, now or clock.now())
        build_ballots(portal, now or clock.now())
