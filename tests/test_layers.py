"""The house rules on imports hold: no cycles, layers import downwards, streamlit only in consult.app."""

from __future__ import annotations

from consult.tools import check_layers


def test_no_import_cycles_and_no_upward_imports():
    assert check_layers.problems() == []


def test_the_checker_finds_a_cycle_and_an_upward_import():
    edges = {"consult.a": {"consult.b"}, "consult.b": {"consult.a"}, "consult.c": set()}
    assert check_layers.cycles(edges) == [["consult.a", "consult.b"]]
    storage_modules = {m for m in check_layers.graph() if m.startswith("consult.storage.")}
    assert storage_modules  # the walk finds the layers it checks


def test_the_checker_finds_a_cycle_between_packages_made_of_modules_that_do_not_cycle():
    edges = {"consult.a.one": {"consult.b.two"}, "consult.b.three": {"consult.a.four"}, "consult.a.four": set(),
             "consult.b.two": set()}
    assert check_layers.cycles(edges) == []
    assert check_layers.cycles(check_layers.package_edges(edges)) == [["consult.a", "consult.b"]]
