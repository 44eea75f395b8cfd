"""Which juror reviews which application: a min-cost flow solved by OR-Tools.

The network: source → application (capacity k, less the jurors it keeps) → juror (capacity
1, only where there is no conflict) → sink. A juror's u-th application costs
``LOAD_COST · (2u − 1)``, so a juror with n applications costs ``LOAD_COST · n²`` in all:
the convex cost spreads the work evenly, and the capacity m of a juror is the number of
such unit arcs. An application outside the juror's preferred topics costs ``PLAIN_COST``
more than one inside, and a small pseudo-random tie-break (fixed per call) makes the
juror trios vary among equally good solutions. OR-Tools finds a maximum flow of minimum
cost: every application gets k jurors if at all possible, and the cheapest such plan.

Calibration compares jurors through the applications they share, so the jurors must form
one connected group. Should the optimum split them into separate groups (for instance when
two groups of jurors prefer disjoint topics), ``connect`` exchanges jurors between two
applications of different groups, at the smallest extra cost, until they are linked; an
exchange keeps every load and every application's number of jurors.
"""

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

LOAD_COST = 1000
PLAIN_COST = 100
TIE_BREAK = 10  # tie-breaks lie in 0 … TIE_BREAK − 1, far below PLAIN_COST
MAX_TRIES = 200  # exchanges tried per link before giving up


@dataclass(frozen=True)
class Problem:
    applications: Sequence[Hashable]
    jurors: Sequence[Hashable]
    per_application: int
    per_juror: int | None = None
    # (application, juror) pairs that must not be assigned: conflicts of interest.
    excluded: frozenset = frozenset()
    # (application, juror) pairs where the application is in a topic the juror prefers.
    preferred: frozenset = frozenset()
    # (application, juror) pairs kept from before (confirmed): they count towards k and m.
    fixed: frozenset = frozenset()
    seed: int = 0

    def __post_init__(self):
        # A pair kept from before must have been released once it became a conflict.
        if self.fixed & self.excluded:
            raise ValueError("A kept assignment is also excluded (a conflict of interest).")


@dataclass
class Solution:
    pairs: set  # new (application, juror) pairs, the fixed ones not included
    cost: int  # the objective of these pairs (see ``objective``)
    loads: dict  # juror → number of applications, fixed ones included
    short: dict  # application → jurors still missing (k could not be reached)
    exchanges: int = 0  # exchanges made to connect the jurors
    groups: list = field(default_factory=list)  # connected groups of jurors


def cost_matrix(problem: Problem) -> np.ndarray:
    """Cost of each (application, juror) pair, applications × jurors, in the given orders;
    excluded pairs are marked with -1."""
    rng = np.random.default_rng(problem.seed)
    costs = PLAIN_COST + rng.integers(
        0, TIE_BREAK, size=(len(problem.applications), len(problem.jurors))
    )
    app_index = {app: i for i, app in enumerate(problem.applications)}
    juror_index = {juror: j for j, juror in enumerate(problem.jurors)}
    for app, juror in problem.preferred:
        if app in app_index and juror in juror_index:
            costs[app_index[app], juror_index[juror]] -= PLAIN_COST
    for app, juror in problem.excluded:
        if app in app_index and juror in juror_index:
            costs[app_index[app], juror_index[juror]] = -1
    return costs


def _fixed_counts(problem):
    per_app, per_juror = defaultdict(int), defaultdict(int)
    for app, juror in problem.fixed:
        per_app[app] += 1
        per_juror[juror] += 1
    return per_app, per_juror


def objective(problem: Problem, pairs, costs: np.ndarray | None = None) -> int:
    """What the flow minimises for the new ``pairs``: their pair costs plus, per juror,
    ``LOAD_COST · (n² − f²)`` for n applications of which f were fixed."""
    costs = cost_matrix(problem) if costs is None else costs
    app_index = {app: i for i, app in enumerate(problem.applications)}
    juror_index = {juror: j for j, juror in enumerate(problem.jurors)}
    _, fixed_load = _fixed_counts(problem)
    loads = dict(fixed_load)
    total = 0
    for app, juror in pairs:
        total += int(costs[app_index[app], juror_index[juror]])
        loads[juror] = loads.get(juror, 0) + 1
    for juror, load in loads.items():
        total += LOAD_COST * (load * load - fixed_load.get(juror, 0) ** 2)
    return total


def solve(problem: Problem, *, connect: bool = True) -> Solution:
    apps, jurors = list(problem.applications), list(problem.jurors)
    k = problem.per_application
    costs = cost_matrix(problem)
    fixed_per_app, fixed_per_juror = _fixed_counts(problem)
    source, sink = 0, 1 + len(apps) + len(jurors)
    juror_node = {juror: 1 + len(apps) + j for j, juror in enumerate(jurors)}

    tails, heads, capacities, unit_costs = [], [], [], []
    demand = 0
    for i, app in enumerate(apps):
        wanted = max(k - fixed_per_app.get(app, 0), 0)
        demand += wanted
        tails.append(source)
        heads.append(1 + i)
        capacities.append(wanted)
        unit_costs.append(0)
    allowed = costs >= 0
    for i, app in enumerate(apps):
        for j, juror in enumerate(jurors):
            if allowed[i, j] and (app, juror) not in problem.fixed:
                tails.append(1 + i)
                heads.append(juror_node[juror])
                capacities.append(1)
                unit_costs.append(int(costs[i, j]))
    cap = len(apps) if problem.per_juror is None else min(problem.per_juror, len(apps))
    for juror in jurors:
        for unit in range(fixed_per_juror.get(juror, 0) + 1, cap + 1):
            tails.append(juror_node[juror])
            heads.append(sink)
            capacities.append(1)
            unit_costs.append(LOAD_COST * (2 * unit - 1))

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails), np.array(heads), np.array(capacities), np.array(unit_costs)
    )
    flow.set_node_supply(source, demand)
    flow.set_node_supply(sink, -demand)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"The assignment could not be solved (status {status}).")
    flows = flow.flows(arcs)
    app_of_node = {1 + i: app for i, app in enumerate(apps)}
    juror_of_node = {node: juror for juror, node in juror_node.items()}
    pairs = {
        (app_of_node[tail], juror_of_node[head])
        for tail, head, amount in zip(tails, heads, flows, strict=True)
        if amount and tail in app_of_node and head in juror_of_node
    }
    solution = _summarise(problem, pairs, costs)
    if connect:
        _connect(problem, solution, costs)
    return solution


def _summarise(problem, pairs, costs) -> Solution:
    fixed_per_app, fixed_per_juror = _fixed_counts(problem)
    loads = {juror: fixed_per_juror.get(juror, 0) for juror in problem.jurors}
    counts = dict(fixed_per_app)
    for app, juror in pairs:
        loads[juror] += 1
        counts[app] = counts.get(app, 0) + 1
    short = {
        app: problem.per_application - counts.get(app, 0)
        for app in problem.applications
        if counts.get(app, 0) < problem.per_application
    }
    solution = Solution(
        pairs=set(pairs), cost=objective(problem, pairs, costs), loads=loads, short=short
    )
    solution.groups = juror_groups(problem.jurors, set(pairs) | set(problem.fixed))
    return solution


def juror_groups(jurors, pairs) -> list[set]:
    """Jurors linked by shared applications, directly or through others; jurors without any
    application are left out. Largest group first."""
    parent = {juror: juror for juror in jurors}

    def find(juror):
        while parent[juror] != juror:
            parent[juror] = parent[parent[juror]]
            juror = parent[juror]
        return juror

    by_app = defaultdict(list)
    for app, juror in pairs:
        by_app[app].append(juror)
    for members in by_app.values():
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    busy = {juror for _app, juror in pairs}
    groups = defaultdict(set)
    for juror in busy:
        groups[find(juror)].add(juror)
    return sorted(groups.values(), key=lambda group: (-len(group), sorted(map(str, group))))


def _connect(problem, solution, costs) -> None:
    """Exchange jurors between applications of different groups until one group is left
    (or no exchange is possible). Fixed pairs are never touched."""
    app_index = {app: i for i, app in enumerate(problem.applications)}
    juror_index = {juror: j for j, juror in enumerate(problem.jurors)}

    def cost(app, juror):
        return int(costs[app_index[app], juror_index[juror]])

    while len(solution.groups) > 1:
        # Link the smallest group to the others: few candidates on one side.
        smallest = solution.groups[-1]
        jurors_on = defaultdict(set)
        for app, juror in solution.pairs | set(problem.fixed):
            jurors_on[app].add(juror)
        ordered = sorted(solution.pairs, key=lambda pair: (str(pair[0]), str(pair[1])))
        inside = [pair for pair in ordered if pair[1] in smallest]
        outside = [pair for pair in ordered if pair[1] not in smallest]
        candidates = []
        # No check that juror_b is already on app_a (or juror_a on app_b) is needed: two
        # jurors on one application are in one group, and these are in different groups.
        for app_a, juror_a in inside:
            for app_b, juror_b in outside:
                # juror_a joins the others on app_b: only a link if there are others.
                if len(jurors_on[app_b]) < 2:
                    continue
                if cost(app_a, juror_b) < 0 or cost(app_b, juror_a) < 0:
                    continue
                delta = (
                    cost(app_a, juror_b)
                    + cost(app_b, juror_a)
                    - cost(app_a, juror_a)
                    - cost(app_b, juror_b)
                )
                candidates.append((delta, len(candidates), app_a, juror_a, app_b, juror_b))
        candidates.sort()
        # The cheapest exchange that leaves fewer groups (one may split a group elsewhere).
        for _delta, _order, app_a, juror_a, app_b, juror_b in candidates[:MAX_TRIES]:
            pairs = solution.pairs - {(app_a, juror_a), (app_b, juror_b)}
            pairs |= {(app_a, juror_b), (app_b, juror_a)}
            groups = juror_groups(problem.jurors, pairs | set(problem.fixed))
            if len(groups) < len(solution.groups):
                break
        else:
            return
        solution.pairs = pairs
        solution.exchanges += 1
        solution.cost = objective(problem, solution.pairs, costs)
        solution.groups = groups
