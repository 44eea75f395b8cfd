"""What the solver reports as missing: per application, the jurors it still lacks."""

from review.maths.assignment import Problem, solve


def test_an_application_with_one_of_two_jurors_lacks_one():
    problem = Problem(["a"], ["x"], 2)

    solution = solve(problem)

    assert solution.pairs == {("a", "x")}
    assert solution.short == {"a": 1}


def test_an_application_nobody_may_review_lacks_all_its_jurors():
    problem = Problem(["a", "b"], ["x"], 1, excluded=frozenset({("a", "x")}))

    solution = solve(problem)

    assert solution.pairs == {("b", "x")}
    assert solution.short == {"a": 1}


def test_a_kept_juror_and_a_new_one_make_two():
    problem = Problem(["a"], ["x", "y"], 3, fixed=frozenset({("a", "x")}))

    solution = solve(problem)

    assert solution.pairs == {("a", "y")}
    assert solution.short == {"a": 1}


def test_nothing_lacks_when_no_review_is_asked_for():
    problem = Problem(["a", "b"], ["x"], 0)

    solution = solve(problem)

    assert solution.pairs == set()
    assert solution.short == {}
    assert solution.loads == {"x": 0}
