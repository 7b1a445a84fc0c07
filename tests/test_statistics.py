"""Register coverage figures and the timeline, public and free of personal data."""

from portal.register.statistics import Coverage, cumulative


def test_city_figures_count_the_demo_registers(anon):
    data = anon.get("/@statistics", headers={"Accept": "application/json"}).json
    assert data["communities"] == 5 and data["communities_with_register"] == 2
    assert data["units"] == 192 + 24
    tianhe = [row for row in data["items"] if row["title"] == "天河区"][0]
    assert tianhe["communities"] == 3 and tianhe["communities_with_register"] == 1
    assert data["timeline"][-1]["registers"] == 2


def test_the_statistics_page_has_a_chart_and_a_table(anon):
    page = anon.get("/tianhe/@statistics")
    chart = page.html.select("svg.chart")[0]
    assert chart.select("circle") and chart.select("path") and page.html.select(".chart-pair table td")
    assert "石牌街道" in page.text
    assert "王" not in page.html.select("main")[0].text.replace("天河", "")   # no names


def test_cumulative_timeline():
    points = cumulative({"2019-03": 2, "2018-01": 1, "2020-07": 3})
    assert points == [("2018-01", 1), ("2019-03", 3), ("2020-07", 6)]


def test_coverage_adds_up():
    a = Coverage(communities=2, with_register=1, units=10, owners=9, area=100)
    a.established["2020-01"] += 1
    b = Coverage(communities=1, with_register=1, units=5, owners=5, area=50)
    b.established["2020-01"] += 1
    a.add(b)
    assert (a.communities, a.with_register, a.units, a.area, a.established["2020-01"]) == (3, 2, 15, 150, 2)
