"""The solver's flow weighs an uneven load against preferred topics exactly as its objective
does, and holds at the edges: one application, a juror who keeps two."""

import dataclasses

import numpy as np
import pytest

from review.maths.assignment import LOAD_COST, Problem, objective, solve


def chain(length):
    """Applications p0 … pL and jurors c0 … cL. Each pi (i ≥ 1) may go to ci (a plain pair)
    or to c(i−1) (a preferred one); p0 only to c0. Everyone reviewing one application is the
    only even plan; shifting every pi to c(i−1) gains about 100 per application (91 to 109
    with the tie-breaks) and leaves c0 with two, cL with none: 2 × LOAD_COST more load."""
    apps = [f"p{i}" for i in range(length + 1)]
    jurors = [f"c{i}" for i in range(length + 1)]
    allowed = {("p0", "c0")} | {(f"p{i}", f"c{i}") for i in range(1, length + 1)}
    preferred = frozenset((f"p{i}", f"c{i - 1}") for i in range(1, length + 1))
    allowed |= preferred
    excluded = frozenset((app, juror) for app in apps for juror in jurors) - allowed
    problem = Problem(apps, jurors, 1, excluded=excluded, preferred=preferred)
    even = {(f"p{i}", f"c{i}") for i in range(length + 1)}
    shifted = {("p0", "c0")} | preferred
    return problem, even, shifted


def test_fifteen_preferred_pairs_do_not_outweigh_an_uneven_load():
    # Gain 1365 … 1635, below 2 × 1000: the even plan.
    problem, even, shifted = chain(15)

    solution = solve(problem, connect=False)

    assert solution.pairs == even
    assert objective(problem, even) < objective(problem, shifted)


def test_twenty_five_preferred_pairs_outweigh_an_uneven_load():
    # Gain 2275 … 2725, above 2 × 1000: c0 takes two, c25 none.
    problem, even, shifted = chain(25)

    solution = solve(problem, connect=False)

    assert solution.pairs == shifted
    assert solution.loads["c0"] == 2
    assert solution.loads["c25"] == 0
    assert solution.cost == objective(problem, shifted) < objective(problem, even)


def test_the_objective_of_a_juror_who_keeps_two_and_takes_one_more():
    problem = Problem(["a", "b", "c"], ["x"], 1, fixed=frozenset({("a", "x"), ("b", "x")}))

    # 1000 · (3² − 2²), the pair cost of c left aside (0 in this matrix).
    assert objective(problem, {("c", "x")}, costs=np.zeros((3, 1), dtype=int)) == 5 * LOAD_COST


def test_one_application_goes_to_the_juror_who_prefers_its_topic():
    problem = Problem(["a"], ["x", "y", "z"], 1, preferred=frozenset({("a", "x")}))

    solution = solve(problem)

    assert solution.pairs == {("a", "x")}
    assert solution.loads == {"x": 1, "y": 0, "z": 0}


def test_a_problem_cannot_change_once_made():
    problem = Problem(["a"], ["x"], 1)

    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.per_application = 2
