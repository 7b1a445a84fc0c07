"""``make bench`` runs its scripts with their defaults: what a default asks for must fit what
the other defaults build (the city bench once asked 300 communities for 1,000 due ballots and
stopped make bench there)."""
import importlib


def test_the_default_city_has_a_community_for_every_due_ballot(monkeypatch):
    for name in ("CITY_COMMUNITIES", "CITY_UNITS", "TICK_BALLOTS"):
        monkeypatch.delenv(name, raising=False)
    import bench.bench_city as city

    city = importlib.reload(city)
    # gen-c0 is read by the probe and gets no due ballot
    assert 0 < city.TICK_BALLOTS <= city.CITY_COMMUNITIES - 1


def test_a_full_size_city_ticks_over_the_thousand_due_ballots_of_the_aim(monkeypatch):
    monkeypatch.setenv("CITY_COMMUNITIES", "3000")
    monkeypatch.delenv("TICK_BALLOTS", raising=False)
    import bench.bench_city as city

    try:
        assert importlib.reload(city).TICK_BALLOTS == 1000
    finally:
        monkeypatch.delenv("CITY_COMMUNITIES")
        importlib.reload(city)
