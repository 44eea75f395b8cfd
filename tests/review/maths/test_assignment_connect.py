"""How the solver links separate groups of jurors, step by step with costs written out.

Each case hands ``_connect`` an assignment and a cost matrix (10 unless said otherwise,
-1 for a conflict) and checks the one exchange it makes, or that it makes none.
"""

import numpy as np
import pytest

from review.maths.assignment import (
    MAX_TRIES,
    Problem,
    _connect,
    _summarise,
    cost_matrix,
    juror_groups,
    objective,
)


def costs_for(problem, base=10, **special):
    """A cost matrix of ``base`` with the pairs named ``app__juror`` set by hand."""
    costs = np.full((len(problem.applications), len(problem.jurors)), base)
    for name, value in special.items():
        app, juror = name.split("__")
        costs[problem.applications.index(app), problem.jurors.index(juror)] = value
    return costs


def connected(problem, pairs, costs):
    solution = _summarise(problem, set(pairs), costs)
    before = solution.pairs
    _connect(problem, solution, costs)
    return solution, before


@pytest.mark.parametrize("lone", ["B2", "B0"])
def test_the_smallest_group_is_linked_through_an_application_with_another_juror(lone):
    """x, y share A1 and A2; z, w share B1, and z is alone on a third application (named to
    come after B1, or before it). Moving x there would be cheapest (−20), but a juror alone
    on an application is no link for the one who joins it: the cheapest exchange with B1
    wins (−10), z onto A1, x onto B1."""
    problem = Problem(["A1", "A2", "B1", lone], ["x", "y", "z", "w"], 2)
    costs = costs_for(problem, A1__z=0, **{f"{lone}__x": 0})
    pairs = {("A1", "x"), ("A1", "y"), ("A2", "x"), ("A2", "y")}
    pairs |= {("B1", "z"), ("B1", "w"), (lone, "z")}
    # Two groups of two: {w, z} comes first by name, so {x, y} is the one linked.
    assert juror_groups(problem.jurors, pairs) == [{"w", "z"}, {"x", "y"}]

    solution, before = connected(problem, pairs, costs)

    assert before - solution.pairs == {("A1", "x"), ("B1", "z")}
    assert solution.pairs - before == {("A1", "z"), ("B1", "x")}
    assert solution.exchanges == 1
    assert solution.groups == [{"w", "x", "y", "z"}]
    assert solution.cost == objective(problem, solution.pairs, costs)


def test_among_exchanges_of_equal_cost_the_first_by_application_and_juror_is_made():
    """Six jurors on A1 and A2, five on B1 and B2, every pair at the same cost: the first
    juror by name of the smaller group's first application changes places with the first of
    the other's, whatever order the pairs come in."""
    large, small = [f"j{i}" for i in range(6)], [f"k{i}" for i in range(5)]
    problem = Problem(["A1", "A2", "B1", "B2"], large + small, 6)
    pairs = {(app, juror) for app in ("A1", "A2") for juror in large}
    pairs |= {(app, juror) for app in ("B1", "B2") for juror in small}

    solution, before = connected(problem, pairs, costs_for(problem))

    assert before - solution.pairs == {("B1", "k0"), ("A1", "j0")}
    assert solution.pairs - before == {("B1", "j0"), ("A1", "k0")}


def test_an_exchange_that_splits_another_group_is_passed_over_for_one_that_links():
    """x, y share A1 only; z, w share B1 and B2, w and v share B3. Bringing v to A1 is the
    cheapest exchange (−10), but it splits both sides ({v, y} and {w, x, z}): two groups
    still. The cheapest exchange that leaves one group is taken instead; w's conflict with
    A1 rules out the exchanges that would put w there, though they would cost less."""
    jurors = ["x", "y", "z", "w", "v"]
    problem = Problem(["A1", "B1", "B2", "B3"], jurors, 2, excluded=frozenset({("A1", "w")}))
    costs = costs_for(problem, A1__v=0, A1__w=-1)
    pairs = {("A1", "x"), ("A1", "y"), ("B1", "z"), ("B1", "w"), ("B2", "z"), ("B2", "w")}
    pairs |= {("B3", "w"), ("B3", "v")}
    assert juror_groups(jurors, pairs) == [{"v", "w", "z"}, {"x", "y"}]

    solution, before = connected(problem, pairs, costs)

    assert before - solution.pairs == {("A1", "x"), ("B1", "z")}
    assert solution.pairs - before == {("A1", "z"), ("B1", "x")}
    assert not solution.pairs & problem.excluded
    assert solution.exchanges == 1
    assert solution.groups == [{"v", "w", "x", "y", "z"}]


def test_three_groups_are_linked_smallest_first():
    """a, b, c share A1 and A2; d, e share B1 and B2; f is alone on C1 and C2. f is linked
    first, at the cheapest exchange (d onto C1, f onto B1: −20); then the two groups of
    three, {d, e, f} being second by name, by the first exchange at no extra cost."""
    jurors = ["a", "b", "c", "d", "e", "f"]
    problem = Problem(["A1", "A2", "B1", "B2", "C1", "C2"], jurors, 3)
    costs = costs_for(problem, C1__d=0, B1__f=0)
    pairs = {(app, juror) for app in ("A1", "A2") for juror in "abc"}
    pairs |= {(app, juror) for app in ("B1", "B2") for juror in "de"}
    pairs |= {("C1", "f"), ("C2", "f")}
    assert juror_groups(jurors, pairs) == [{"a", "b", "c"}, {"d", "e"}, {"f"}]

    solution, before = connected(problem, pairs, costs)

    assert solution.exchanges == 2
    assert before - solution.pairs == {("C1", "f"), ("B1", "d"), ("B1", "e"), ("A1", "a")}
    assert solution.pairs - before == {("C1", "d"), ("B1", "f"), ("B1", "a"), ("A1", "e")}
    assert solution.groups == [set(jurors)]


def test_an_exchange_costs_the_new_pairs_less_the_pairs_given_up():
    """x, y share A1 and A2; z, w share B1 and B2. Two exchanges cost 10 + 10 in new pairs:
    x (19 on A1) for z (1 on B1) gives up 20, so costs 0; y (9 on A2) for w (9 on B2) gives
    up 18, so costs 2. Every other exchange takes a pair of 50. x may not review B2."""
    problem = Problem(["A1", "A2", "B1", "B2"], ["x", "y", "z", "w"], 2)
    kept_costs = {"A1__x": 19, "A1__y": 10, "A2__x": 10, "A2__y": 9}
    kept_costs |= {"B1__z": 1, "B1__w": 10, "B2__z": 10, "B2__w": 9}
    new_costs = {"A1__z": 10, "B1__x": 10, "A2__w": 10, "B2__y": 10, "B2__x": -1}
    costs = costs_for(problem, base=50, **kept_costs, **new_costs)
    pairs = {(app, juror) for app in ("A1", "A2") for juror in "xy"}
    pairs |= {(app, juror) for app in ("B1", "B2") for juror in "zw"}

    solution, before = connected(problem, pairs, costs)

    assert before - solution.pairs == {("A1", "x"), ("B1", "z")}
    assert solution.pairs - before == {("A1", "z"), ("B1", "x")}
    assert solution.cost - objective(problem, before, costs) == 0


def test_only_exchanges_with_another_group_are_tried():
    """Five jurors share 40 applications (200 pairs), six others share two. Every exchange
    costs the same, and the first one tried links them; exchanges within the smaller group,
    which could never link, are not tried (200 of them would use up every try)."""
    inner, outer = [f"s{i}" for i in range(5)], [f"t{i}" for i in range(6)]
    shared = [f"A{i:02d}" for i in range(40)]
    problem = Problem([*shared, "Z1", "Z2"], inner + outer, 5)
    pairs = {(app, juror) for app in shared for juror in inner}
    pairs |= {(app, juror) for app in ("Z1", "Z2") for juror in outer}

    solution, before = connected(problem, pairs, costs_for(problem))

    assert solution.exchanges == 1
    assert before - solution.pairs == {("A00", "s0"), ("Z1", "t0")}
    assert solution.groups == [set(inner + outer)]


def chain_problem(*, costly_link):
    """x alone on A1; t0 … t100 in a chain (c000 has t0 and t1, c001 t1 and t2, …), and u
    with t0 on d1 and on d2. Every exchange with the chain splits it (−20 each, 200 of them);
    an exchange with d1 or d2 links (−15). With ``costly_link`` one chain exchange costs 0,
    so the first linking exchange is the 200th tried; without, the 201st."""
    chain = [f"t{i}" for i in range(101)]
    links = [f"c{i:03d}" for i in range(100)]
    problem = Problem(["A1", *links, "d1", "d2"], ["x", *chain, "u"], 2)
    special = {"d1__x": 5, "d2__x": 5} | {f"{link}__x": 0 for link in links}
    if costly_link:
        special["c050__t50"] = 0
    costs = costs_for(problem, base=20, **special)
    pairs = {("A1", "x"), ("d1", "t0"), ("d1", "u"), ("d2", "t0"), ("d2", "u")}
    pairs |= {(link, chain[i]) for i, link in enumerate(links)}
    pairs |= {(link, chain[i + 1]) for i, link in enumerate(links)}
    return problem, pairs, costs


def test_the_200th_cheapest_exchange_is_still_tried():
    problem, pairs, costs = chain_problem(costly_link=True)
    assert MAX_TRIES == 200

    solution, before = connected(problem, pairs, costs)

    assert solution.exchanges == 1
    assert len(solution.groups) == 1
    # The first linking exchange in order: x onto d1 (application, then juror, by name).
    assert before - solution.pairs == {("A1", "x"), ("d1", "t0")}


def test_the_search_gives_up_after_200_exchanges_and_changes_nothing():
    problem, pairs, costs = chain_problem(costly_link=False)

    solution, before = connected(problem, pairs, costs)

    assert solution.exchanges == 0
    assert solution.pairs == before
    assert [len(group) for group in solution.groups] == [102, 1]


def test_groups_come_largest_first_then_by_name():
    pairs = {("a", "x"), ("b", "p"), ("b", "q"), ("b", "r"), ("c", "m"), ("c", "n")}

    assert juror_groups(["x", "p", "q", "r", "m", "n"], pairs) == [
        {"p", "q", "r"},
        {"m", "n"},
        {"x"},
    ]


def test_preferences_and_conflicts_of_jurors_or_applications_outside_the_problem_are_ignored():
    problem = Problem(["a", "b"], ["x", "y"], 1, seed=4)
    strangers = frozenset({("a", "nobody"), ("elsewhere", "x"), ("elsewhere", "nobody")})
    with_strangers = Problem(
        ["a", "b"], ["x", "y"], 1, excluded=strangers, preferred=strangers, seed=4
    )

    assert (cost_matrix(with_strangers) == cost_matrix(problem)).all()
