"""Register coverage figures and the timeline, public and free of personal data."""

from portal.register.statistics import Coverage, bars, cumulative


def test_city_figures_count_the_demo_registers(anon):
    data = anon.get("/@statistics", headers={"Accept": "application/json"}).json
    assert data["communities"] == 5 and data["communities_with_register"] == 2
    assert data["units"] == 192 + 24
    tianhe = [row for row in data["items"] if row["title"] == "天河区"][0]
    assert tianhe["communities"] == 3 and tianhe["communities_with_register"] == 1
    assert data["timeline"][-1]["registers"] == 2


def test_the_statistics_page_has_a_chart_and_a_table(anon):
    page = anon.get("/tianhe/@statistics")
    assert page.html.select("svg.chart rect")
    assert "石牌街道" in page.text
    assert "王" not in page.html.select("main")[0].text.replace("天河", "")   # no names


def test_cumulative_timeline_and_bars():
    points = cumulative({"2019-03": 2, "2018-01": 1, "2020-07": 3})
    assert points == [("2018-01", 1), ("2019-03", 3), ("2020-07", 6)]
    geometry = bars(points, width=300, height=120)
    assert [g[5] for g in geometry] == [17, 50, 100]     # heights scale to the largest
    assert bars([]) == []


def test_coverage_adds_up():
    a = Coverage(communities=2, with_register=1, units=10, owners=9, area=100)
    a.established["2020-01"] += 1
    b = Coverage(communities=1, with_register=1, units=5, owners=5, area=50)
    b.established["2020-01"] += 1
    a.add(b)
    assert (a.communities, a.with_register, a.units, a.area, a.established["2020-01"]) == (3, 2, 15, 150, 2)
