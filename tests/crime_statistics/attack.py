"""The attacker: everything a table publishes, read as linear constraints, and the smallest and largest
value each hidden count can take (scipy.optimize.linprog; counts non-negative, relaxed to reals).

A publication is a list of figure rows as the CSV, JSON and API give them (month, area_id (None: all
areas), category, count, suppressed, suppression). What the attacker knows:
* a published cell or total: its value;
* a total of all areas: the sum of the areas' cells;
* a cell labelled "small_count" ("< t"): it lies between 1 and t - 1 (0 is always shown);
* any other hidden cell: it is at least 0;
* several publications (a month published, then corrected): a cell whose value did not change is the
  same unknown in each (the attacker is assumed to know which cells a correction changed).
"""
from __future__ import annotations

from collections import defaultdict

from scipy.optimize import linprog


def intervals(publications, threshold: int, same=None) -> dict:
    """{(publication index, month, area_id, category): (low, high)} for every hidden area cell.

    ``same(index, month, area_id, category)`` names the unknown behind a cell in a publication (cells
    with the same name are the same number); by default each publication's cells are its own."""
    same = same or (lambda index, month, area, category: (index, month, area, category))
    blocks = defaultdict(lambda: {"vars": {}, "bounds": {}, "eq": []})
    for index, rows in enumerate(publications):
        groups = defaultdict(dict)
        for row in rows:
            groups[(row["month"], row["category"])][row["area_id"]] = row
        for (month, category), cells in groups.items():
            block = blocks[(month, category)]
            names = {}
            for area, row in cells.items():
                if area is None:
                    continue
                name = same(index, month, area, category)
                names[area] = name
                block["vars"].setdefault(name, len(block["vars"]))
                if not row["suppressed"]:
                    block["bounds"][name] = (row["count"], row["count"])
                elif row.get("suppression") == "small_count":
                    low, high = block["bounds"].get(name, (0, None))
                    block["bounds"][name] = (max(low, 1), threshold - 1 if high is None else min(high, threshold - 1))
                else:
                    block["bounds"].setdefault(name, (0, None))
            total = cells.get(None)
            if total is not None and not total["suppressed"]:
                block["eq"].append(([names[a] for a in names], total["count"]))
    result = {}
    for (month, category), block in blocks.items():
        n = len(block["vars"])
        hidden = [name for name in block["vars"] if block["bounds"].get(name, (0, None))[0] != block["bounds"].get(
            name, (0, None))[1]]
        if not hidden:
            continue
        bounds = [block["bounds"].get(name, (0, None)) for name in block["vars"]]
        a_eq, b_eq = [], []
        for members, value in block["eq"]:
            row = [0.0] * n
            for name in members:
                row[block["vars"][name]] = 1.0
            a_eq.append(row)
            b_eq.append(value)
        for name in hidden:
            c = [0.0] * n
            c[block["vars"][name]] = 1.0
            low = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
            c[block["vars"][name]] = -1.0
            high = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
            assert low.status in (0, 3) and high.status in (0, 3), (month, category, low.message, high.message)
            lo = low.fun if low.status == 0 else float("-inf")
            hi = -high.fun if high.status == 0 else float("inf")
            result[(name, month, category)] = (lo, hi)
    return result


def narrowest(publications, threshold: int, width: int, same=None) -> list:
    """The hidden cells the attacker can place in an interval narrower than the protection."""
    required = max(0, min(width, threshold - 2))
    return [(key, interval) for key, interval in intervals(publications, threshold, same).items()
            if interval[1] - interval[0] < required - 1e-6]
