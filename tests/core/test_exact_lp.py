"""The exact simplex against HiGHS on random LPs, and on degenerate ones."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogeom.core.exact_lp import exact_interior_point, exact_maximize
from neurogeom.core.lp import LPModel


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(1, 6),
    st.data(),
)
def test_exact_lp_agrees_with_highs(n, m, data):
    ints = st.integers(-4, 4)
    a = [[data.draw(ints) for _ in range(n)] for _ in range(m)]
    b = [data.draw(ints) for _ in range(m)]
    c = [data.draw(ints) for _ in range(n)]
    exact = exact_maximize(c, a, b)
    approx = LPModel(a, None, b).solve(c, maximize=True)
    assert exact.status == approx.status
    if exact.status == "optimal":
        assert float(exact.value) == pytest.approx(approx.value, abs=1e-7)
        x = np.array(exact.x, dtype=object)
        assert all(row @ x <= bi for row, bi in zip(np.array(a, dtype=object), b, strict=True))
        assert sum(ci * xi for ci, xi in zip(c, exact.x, strict=True)) == exact.value


def test_degenerate_vertex_does_not_cycle():
    # many constraints through the optimal vertex (Bland's rule must terminate)
    a = [[1, 1], [1, 2], [2, 1], [1, 0], [0, 1], [3, 3], [-1, 0], [0, -1]]
    b = [2, 3, 3, 1, 1, 6, 0, 0]
    res = exact_maximize([1, 1], a, b)
    assert res.status == "optimal" and res.value == 2


def test_interior_point_of_a_very_thin_strip():
    eps = Fraction(1, 10**30)
    x = exact_interior_point([[1, 0], [-1, 0], [0, 1], [0, -1]], [eps, 0, 1, 1])
    assert x is not None and 0 < x[0] < eps
    assert exact_interior_point([[1, 0], [-1, 0]], [0, 0]) is None
