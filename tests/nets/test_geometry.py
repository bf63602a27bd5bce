"""The shared cell geometry (``nets/geometry.py``).

The oracle is a forward pass written here with Fractions: at sampled rational points it gives the
exact pre-activations and the pattern. ``layer_maps`` must reproduce every layer's
pre-activation at every point of the pattern's cell, and ``cell_halfspaces`` must contain exactly
the points with that pattern (strictly, off the hyperplanes; closed, also on them). Also:
``group_hyperplanes`` exact and float against an exact rank test on scaled, negated, duplicated
and near-duplicate rows; ``apply_pattern`` on Fractions, floats, python-flint ``fmpq`` and batch
dimensions; ``compare_maps`` on zero maps, noise and the band; ``output_size`` as a true bound
(the exact maximum of every pattern's map over the cube); ``problem_scale``; pattern strings.
"""

from __future__ import annotations

import itertools
from fractions import Fraction as F
from typing import Any

import flint
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogeom import Domain, ReLUNet
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.rationals import affine_fmpq_mat, to_fraction
from neurogeom.core.tolerances import Tolerances
from neurogeom.nets.geometry import (
    AffineMap,
    ExactGeometries,
    Halfspaces,
    apply_pattern,
    cell_geometry,
    cell_halfspaces,
    compare_maps,
    exact_layer_homs,
    group_exact_rows,
    group_hyperplanes,
    hom_to_affine,
    hom_with_pattern,
    layer_maps,
    output_size,
    pattern_from_string,
    pattern_string,
    problem_scale,
    sign_rows,
    stacked_forms,
    zero_rows,
)


# -- the oracle ----------------------------------------------------------------------------------
def forward(net: ReLUNet, x: list[F]) -> list[list[F]]:
    """Exact pre-activations of every layer at ``x`` (the output last)."""
    exact = net.to_exact()
    slope = F(exact.negative_slope)
    h = [F(v) for v in x]
    out = []
    for layer, (w, b) in enumerate(exact.layers):
        z = [
            sum((F(wij) * hj for wij, hj in zip(row, h, strict=True)), F(bi))
            for row, bi in zip(w, b, strict=True)
        ]
        out.append(z)
        if layer < exact.n_layers - 1:
            h = [zi if zi > 0 else slope * zi for zi in z]
    return out


def pattern_of(pres: list[list[F]]) -> list[bool]:
    return [z > 0 for layer in pres[:-1] for z in layer]


def random_net(
    rng: np.random.Generator, arch: list[int], *, exact: bool, slope: Any = 0
) -> ReLUNet:
    ws = [rng.integers(-3, 4, size=(o, i)).tolist() for i, o in itertools.pairwise(arch)]
    bs = [rng.integers(-2, 3, size=o).tolist() for o in arch[1:]]
    if len(arch) > 2 and arch[1] > 1:  # a duplicated neuron and a dead one
        ws[0][1] = list(ws[0][0])
        bs[0][1] = bs[0][0]
    if len(arch) > 2 and arch[1] > 2:
        ws[0][2] = [0] * arch[0]
    net = ReLUNet(ws, bs, negative_slope=slope, exact=True)
    return net if exact else net.to_float()


def points(rng: np.random.Generator, n: int, d: int, denominator: int = 4) -> list[list[F]]:
    return [[F(int(v), denominator) for v in row] for row in rng.integers(-12, 13, size=(n, d))]


def compose(net: ReLUNet, pattern: list[bool]) -> list[tuple[list[list[F]], list[F]]]:
    """Every layer's pre-activation map on the cell of any pattern (realised or not), composed
    here with Fractions."""
    exact = net.to_exact()
    slope = F(exact.negative_slope)
    d = exact.n_inputs
    m = [[F(int(i == j)) for j in range(d)] for i in range(d)]
    c = [F(0)] * d
    start = 0
    out = []
    for layer, (w, b) in enumerate(exact.layers):
        m = [
            [sum((F(wk) * m[k][j] for k, wk in enumerate(row)), F(0)) for j in range(d)]
            for row in w
        ]
        c = [
            sum((F(wk) * c[k] for k, wk in enumerate(row)), F(bi))
            for row, bi in zip(w, b, strict=True)
        ]
        out.append((m, c))
        if layer < exact.n_layers - 1:
            k = [1 if pattern[start + i] else slope for i in range(len(c))]
            m = [[k[i] * v for v in row] for i, row in enumerate(m)]
            c = [k[i] * v for i, v in enumerate(c)]
            start += len(c)
    return out


ARCHS = [[2, 3, 1], [2, 4, 3, 1], [3, 3, 2, 2], [1, 3, 3, 1], [2, 3, 2, 2, 1]]
SLOPES = [0, F(1, 4), -1, F(5, 2)]


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize("slope", SLOPES, ids=str)
@pytest.mark.parametrize("arch", ARCHS, ids=str)
def test_layer_maps_give_every_preactivation_on_the_cell(arch, slope, exact):
    rng = np.random.default_rng(len(arch) * 7 + arch[1])
    net = random_net(rng, arch, exact=exact, slope=slope)
    sample = points(rng, 40, arch[0])
    for x in sample:
        pres = forward(net, x)
        pattern = pattern_of(pres)
        maps = layer_maps(net, pattern)
        assert len(maps) == net.n_layers
        for m, (matrix, offset) in zip(maps, compose(net, pattern), strict=True):
            if exact:
                assert m.matrix.tolist() == matrix and m.offset.tolist() == offset
                assert all(type(v) is F for v in [*m.matrix.flat, *m.offset])
            else:
                assert m.matrix == pytest.approx(np.array(matrix, dtype=float), abs=1e-12)
        for m, z in zip(maps, pres, strict=True):
            assert m.exact == exact
            got = m(x)
            if exact:
                assert got.tolist() == z
            else:
                assert got == pytest.approx([float(v) for v in z], abs=1e-9)
        # a prefix of the pattern gives the first layers' maps
        for depth in range(1, net.n_layers):
            width = sum(net.hidden_widths[: depth - 1])
            part = layer_maps(net, pattern[:width], depth=depth)
            assert len(part) == depth
            for m, full in zip(part, maps, strict=False):
                assert m.equals(full)


@pytest.mark.parametrize("slope", [0, F(1, 3)], ids=str)
@pytest.mark.parametrize("arch", [[2, 5, 4, 1], [3, 4, 4, 4, 2]], ids=str)
def test_exact_layer_homs_of_a_float_net_match_fraction_composition(arch, slope):
    """Weights from float64 (a few hundred bits after composing): the python-flint composition
    equals the Fraction one, for every depth, and ``layer_maps`` converts it to Fractions."""
    rng = np.random.default_rng(sum(arch))
    ws = [rng.normal(size=(o, i)) for i, o in itertools.pairwise(arch)]
    bs = [rng.normal(size=o) for o in arch[1:]]
    net = ReLUNet(ws, bs, negative_slope=slope).to_exact()
    for _ in range(5):
        pattern = rng.random(net.n_hidden) < 0.5
        want = compose(net, pattern.tolist())
        homs = exact_layer_homs(net, pattern)
        assert len(homs) == net.n_layers
        for hom, (matrix, offset) in zip(homs, want, strict=True):
            rows = [[F(int(v.p), int(v.q)) for v in row] for row in hom.tolist()]
            assert [r[:-1] for r in rows[:-1]] == matrix
            assert [r[-1] for r in rows[:-1]] == offset
            assert rows[-1] == [0] * net.n_inputs + [1]
        for depth in range(1, net.n_layers + 1):
            part = exact_layer_homs(net, pattern, depth=depth)
            assert [m.tolist() for m in part] == [m.tolist() for m in homs[:depth]]


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize("arch", ARCHS, ids=str)
def test_cell_halfspaces_hold_exactly_the_points_of_the_pattern(arch, exact):
    """A point lies strictly inside the cell of ``p`` iff its pattern is ``p`` and it is on no
    hyperplane of a neuron whose form is not constant on the cell; with pattern ``p`` it lies in
    the closed cell. (Floats: points on a hyperplane are left out, rounding decides them.)"""
    rng = np.random.default_rng(100 + len(arch) * 7 + arch[1])
    net = random_net(rng, arch, exact=exact, slope=F(1, 3))
    sample = points(rng, 60, arch[0])
    oracle = [(x, forward(net, x)) for x in sample]
    for x, pres in oracle[:15]:
        pattern = pattern_of(pres)
        cell = cell_halfspaces(net, pattern)
        assert cell.exact == exact
        forms = [row for m, _ in compose(net, pattern)[:-1] for row in m]
        moving = [any(v != 0 for v in row) for row in forms]
        if exact:
            assert cell.contains(x)  # closed: x itself, even on a hyperplane
        for y, pres_y in oracle:
            same = pattern_of(pres_y) == pattern
            zs = [z for layer in pres_y[:-1] for z in layer]
            on_plane = any(z == 0 and m for z, m in zip(zs, moving, strict=True))
            if exact:
                if same:
                    assert cell.contains(y)
                assert cell.contains(y, strict=True) == (same and not on_plane)
            elif not any(z == 0 for z in zs):
                assert cell.contains(y) == cell.contains(y, strict=True) == same


def test_cell_halfspaces_tag_rows_and_add_the_domain():
    net = ReLUNet([[[1, 0], [0, 0], [0, 1], [1, 0]], [[1, 1, 1, 1]]], [[0, 1, -1, 0], [0]])
    pattern = [True, True, False, True]
    hs = cell_halfspaces(net, pattern, domain=Domain.box(-1, 2, dim=2))
    # neuron 1 is constant (no row); 0 and 3 are the same form, each with its own row
    assert hs.neuron.tolist() == [0, 2, 3, -1, -2, -3, -4]
    assert hs.a.tolist() == [[-1, 0], [0, 1], [-1, 0], [1, 0], [0, 1], [-1, 0], [0, -1]]
    assert hs.b.tolist() == [0, 1, 0, 2, 2, 1, 1]
    assert hs.contains([0.5, 1]) and not hs.contains([3, 0])
    assert hs.without([0, 3]).neuron.tolist() == [2, -1, -2, -3, -4]
    unit = hs.to_float(normalize=True)
    assert np.allclose(np.linalg.norm(unit.a, axis=1), 1.0)
    # depth: the first layer only; a prefix pattern is enough
    deep = ReLUNet([[[1], [-1]], [[1, 1]], [[1]]], exact=True)
    assert len(cell_halfspaces(deep, [True, False], depth=1)) == 2
    assert cell_halfspaces(deep, [True, False], depth=1).neuron.tolist() == [0, 1]
    assert len(cell_halfspaces(deep, [True, False, True])) == 3


def test_cell_geometry_bundles_rows_forms_and_the_output_map():
    net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]], exact=True)
    for pattern, expected in [([True, True, False], [1, 0]), ([False, False, True], [0, 1])]:
        geo = cell_geometry(net, pattern, domain=Domain.box(-1, 1, dim=2))
        assert geo.pattern.tolist() == pattern
        assert geo.output.matrix.tolist() == [expected] and geo.output.offset.tolist() == [0]
        assert geo.forms.matrix.tolist() == [[1, -1], [0, 1], [0, -1]]
        assert len(geo.halfspaces) == 3 + 4
    with pytest.raises(InvalidInputError, match="pattern must have length 3"):
        cell_geometry(net, [True, False])


@pytest.mark.parametrize("slope", [0, F(1, 4)], ids=str)
@pytest.mark.parametrize("arch", ARCHS, ids=str)
def test_exact_cell_rows_in_python_flint_decide_like_the_fraction_rows(arch, slope):
    """``cell_geometry``'s ``hom`` (python-flint ``[a, -b]``) is the Fraction rows, row for row:
    ``contains`` gives the same answer with and without it, strict or closed, on all rows or a
    mask, at points inside, outside and on the hyperplanes (integer nets put many there)."""
    rng = np.random.default_rng(sum(arch) + 3)
    net = random_net(rng, arch, exact=True, slope=slope)
    domain = Domain.box(-2, 3, dim=arch[0])
    sample = points(rng, 30, arch[0], denominator=2)
    for x in sample[:10]:
        pattern = pattern_of(forward(net, x))
        for dom in (None, domain):
            rows = cell_geometry(net, pattern, domain=dom).halfspaces
            assert rows.hom is not None
            ints = [[F(int(v.p), int(v.q)) for v in row] for row in rows.hom.tolist()]
            assert [r[:-1] for r in ints] == rows.a.tolist()
            assert [-r[-1] for r in ints] == rows.b.tolist()
            plain = Halfspaces(rows.a, rows.b, rows.neuron)
            mask = rng.random(len(rows.b)) < 0.5
            for y in sample:
                for strict in (False, True):
                    assert rows.contains(y, strict=strict) == plain.contains(y, strict=strict)
                    assert rows.contains(y, strict=strict, rows=mask) == plain.contains(
                        y, strict=strict, rows=mask
                    )
            assert rows.contains(x) or dom is not None  # x may lie outside the box


@pytest.mark.parametrize("slope", [0, F(1, 4)], ids=str)
@pytest.mark.parametrize("arch", ARCHS, ids=str)
def test_lazy_exact_cell_geometry_reads_as_the_fraction_composition(arch, slope):
    """An exact cell's rows and forms are kept in python-flint until read; every way of reading
    them (``a``/``b``, ``forms``, one ``form(j)``, ``constant_forms``, ``to_float``, grouping
    from the flint rows) gives the forms composed here with Fractions, signed by the pattern,
    zero-normal rows dropped and the domain's rows last, for realised and unrealised patterns."""
    rng = np.random.default_rng(sum(arch) * 11 + int(slope * 4))
    net = random_net(rng, arch, exact=True, slope=slope)
    domain = Domain.box(-2, 3, dim=arch[0])
    for pattern in (rng.random((6, net.n_hidden)) < 0.5).tolist():
        hidden = compose(net, pattern)[:-1]
        forms = [(row, c) for m, cs in hidden for row, c in zip(m, cs, strict=True)]
        want_a, want_b, want_neuron = [], [], []
        for j, (row, c) in enumerate(forms):
            if any(row):
                sign = -1 if pattern[j] else 1
                want_a.append([sign * v for v in row])
                want_b.append(-sign * c)
                want_neuron.append(j)
        want_a += domain.a.tolist()
        want_b += domain.b.tolist()
        want_neuron += [-1 - k for k in range(len(domain.b))]
        for order in ("rows first", "forms first"):
            geo = cell_geometry(net, pattern, domain=domain)
            if order == "forms first":
                for j, (row, c) in enumerate(forms):
                    a_j, c_j = geo.form(j)
                    assert a_j.tolist() == row and c_j == c
                assert geo.constant_forms().tolist() == [
                    not any(row) and c == 0 for row, c in forms
                ]
                floats = geo.halfspaces.to_float()  # from the flint rows, before a/b exist
                assert floats.a.tolist() == [[float(v) for v in r] for r in want_a]
                assert floats.b.tolist() == [float(v) for v in want_b]
            assert geo.halfspaces.exact and len(geo.halfspaces) == len(want_b)
            assert geo.halfspaces.neuron.tolist() == want_neuron
            assert geo.halfspaces.a.tolist() == want_a
            assert geo.halfspaces.b.tolist() == want_b
            assert geo.forms.matrix.tolist() == [row for row, _ in forms]
            assert geo.forms.offset.tolist() == [c for _, c in forms]
        fractions = group_hyperplanes(geo.forms.matrix, geo.forms.offset)
        flint_rows = group_exact_rows(geo.forms_hom)
        assert flint_rows.group.tolist() == fractions.group.tolist()
        assert flint_rows.orientation.tolist() == fractions.orientation.tolist()


@pytest.mark.parametrize("slope", [0, F(1, 4)], ids=str)
@pytest.mark.parametrize("arch", ARCHS, ids=str)
def test_exact_geometries_in_turn_match_cells_built_alone(arch, slope):
    """Cells built in turn share forms between neighbours with the same bits before the last
    hidden layer (the same flint matrix) and otherwise read exactly like cells built alone, in
    any order of prefixes (a prefix left and come back to)."""
    rng = np.random.default_rng(sum(arch) * 7 + int(slope * 4))
    net = random_net(rng, arch, exact=True, slope=slope)
    domain = Domain.box(-2, 3, dim=arch[0])
    last = sum(net.hidden_widths[:-1])
    first = (rng.random(last) < 0.5).tolist()
    prefixes = [first, [not b for b in first], (rng.random(last) < 0.5).tolist()]
    patterns = []
    for prefix in [*prefixes, prefixes[0]]:
        for tail in (rng.random((3, net.n_hidden - last)) < 0.5).tolist():
            patterns.append(prefix + tail)
    geometries = ExactGeometries(net, domain)
    built = [geometries(p) for p in patterns]
    for i, (p, geo) in enumerate(zip(patterns, built, strict=True)):
        alone = cell_geometry(net, p, domain=domain)
        assert geo.output.matrix.tolist() == alone.output.matrix.tolist()
        assert geo.output.offset.tolist() == alone.output.offset.tolist()
        assert geo.halfspaces.a.tolist() == alone.halfspaces.a.tolist()
        assert geo.halfspaces.b.tolist() == alone.halfspaces.b.tolist()
        assert geo.halfspaces.neuron.tolist() == alone.halfspaces.neuron.tolist()
        assert geo.forms.matrix.tolist() == alone.forms.matrix.tolist()
        assert geo.forms.offset.tolist() == alone.forms.offset.tolist()
        if i % 3:  # the same prefix as the cell before
            assert geo.forms_hom is built[i - 1].forms_hom
    # one hidden layer: every cell has the same forms; otherwise a prefix left is rebuilt
    assert (built[-1].forms_hom is built[0].forms_hom) == (last == 0)


# -- affine maps, sign rows, zero rows -------------------------------------------------------------
def test_affine_maps_compose_and_compare():
    m = AffineMap.identity(2, exact=True).then([[1, -1], [2, 0]], [3, "1/2"]).then([[1, 1]], [0])
    assert m.shape == (1, 2) and m.exact
    assert m(["1/2", 2]).tolist() == [F(1, 2) - 2 + 3 + 1 + F(1, 2)]
    matrix, offset = m
    assert matrix.tolist() == [[3, -1]] and offset.tolist() == [F(7, 2)]
    assert m.to_float().matrix.dtype == np.float64
    assert m.to_float().equals(AffineMap(np.array([[3.0, -1.0]]), np.array([3.5])))
    assert not m.equals(AffineMap.identity(2, exact=True))
    fl = AffineMap.identity(3, exact=False)
    assert fl.to_float() is fl and fl([1.0, 2.0, 3.0]).tolist() == [1.0, 2.0, 3.0]


def test_sign_rows_and_zero_rows():
    forms = AffineMap(
        np.array([[1, 2], [0, 0], [-3, 0]], dtype=object), np.array([5, 1, 2], dtype=object)
    )
    rows = sign_rows(forms, [True, True, False], [7, 8, 9])
    # active: -a x <= c; inactive: a x <= -c; the zero form gives no row
    assert rows.a.tolist() == [[-1, -2], [-3, 0]] and rows.b.tolist() == [5, -2]
    assert rows.neuron.tolist() == [7, 9]
    assert zero_rows(forms.matrix).tolist() == [False, True, False]
    fl = np.array([[1e-20, 0.0], [1.0, 0.0], [0.0, 0.0]])
    assert zero_rows(fl).tolist() == [False, False, True]
    assert zero_rows(fl, scale=10.0, tol=1e-18).tolist() == [True, False, True]


# -- apply_pattern ---------------------------------------------------------------------------------
def _expected(matrix, offset, active, slope):
    m = np.empty_like(matrix)
    c = np.empty_like(offset)
    for idx in np.ndindex(*active.shape):
        k = 1 if active[idx] else slope
        m[idx] = [v * k for v in matrix[idx]]
        c[idx] = offset[idx] * k
    return m, c


@pytest.mark.parametrize("kind", ["float", "fraction", "fmpq"])
@pytest.mark.parametrize("batch", [(), (3,), (2, 2)])
def test_apply_pattern_keeps_active_rows_and_scales_the_others(kind, batch):
    rng = np.random.default_rng(5)
    shape = (*batch, 4, 3)
    ints = rng.integers(-9, 10, size=shape)
    offs = rng.integers(-9, 10, size=shape[:-1])
    active = rng.integers(0, 2, size=shape[:-1]).astype(bool)
    if kind == "float":
        matrix, offset, slope = ints / 7.0, offs / 7.0, 0.25
    elif kind == "fraction":
        to = np.vectorize(lambda v: F(int(v), 7), otypes=[object])
        matrix, offset, slope = to(ints), to(offs), F(1, 4)
    else:
        to = np.vectorize(lambda v: flint.fmpq(int(v), 7), otypes=[object])
        matrix, offset, slope = to(ints), to(offs), flint.fmpq(1, 4)
    got_m, got_c = apply_pattern(matrix, offset, active, slope)
    want_m, want_c = _expected(matrix, offset, active, slope)
    assert got_m.shape == shape and got_c.shape == shape[:-1]
    assert got_m.tolist() == want_m.tolist() and got_c.tolist() == want_c.tolist()
    if kind != "float":
        python_type = F if kind == "fraction" else flint.fmpq
        assert all(type(v) is python_type for v in [*got_m.flat, *got_c.flat])
    # relu: slope 0 kills inactive rows
    zero_m, zero_c = apply_pattern(matrix, offset, active, 0)
    assert all(v == 0 for v in zero_m[~active].flat) and all(v == 0 for v in zero_c[~active])
    assert zero_m[active].tolist() == matrix[active].tolist()


@pytest.mark.parametrize("slope", [0, F(1, 4), F(-3, 2)], ids=str)
def test_hom_with_pattern_and_hom_to_affine_match_apply_pattern(slope):
    rng = np.random.default_rng(9)
    to = np.vectorize(lambda v: F(int(v), 7), otypes=[object])
    matrix, offset = to(rng.integers(-9, 10, size=(5, 3))), to(rng.integers(-9, 10, size=5))
    active = rng.integers(0, 2, size=5).astype(bool)
    hom = affine_fmpq_mat(matrix, offset)
    got = hom_to_affine(hom_with_pattern(hom, active, slope))
    want_m, want_c = apply_pattern(matrix, offset, active, slope)
    assert got.matrix.tolist() == want_m.tolist() and got.offset.tolist() == want_c.tolist()
    assert all(type(v) is F for v in [*got.matrix.flat, *got.offset])
    back = hom_to_affine(hom)  # the input is left as it was
    assert back.matrix.tolist() == matrix.tolist() and back.offset.tolist() == offset.tolist()


def test_exact_then_composes_like_fractions_with_any_exact_weights():
    rng = np.random.default_rng(4)
    base = AffineMap(
        np.array([[F(float(v)) for v in row] for row in rng.normal(size=(3, 2))], dtype=object),
        np.array([F(float(v)) for v in rng.normal(size=3)], dtype=object),
    )
    w_float, b_float = rng.normal(size=(2, 3)), rng.normal(size=2)
    for w, b in [(w_float, b_float), ([[1, "1/3", 0], [2, 0, -1]], ["1/2", 0])]:
        got = base.then(w, b)
        wq = np.array([[to_fraction(v) for v in row] for row in np.asarray(w, dtype=object)])
        bq = np.array([to_fraction(v) for v in np.asarray(b, dtype=object)], dtype=object)
        want_m = [[sum((wq[i, k] * base.matrix[k, j] for k in range(3)), F(0)) for j in range(2)]
                  for i in range(2)]  # fmt: skip
        want_c = [sum((wq[i, k] * base.offset[k] for k in range(3)), bq[i]) for i in range(2)]
        assert got.matrix.tolist() == want_m and got.offset.tolist() == want_c
        assert all(type(v) is F for v in [*got.matrix.flat, *got.offset])


# -- group_hyperplanes -----------------------------------------------------------------------------
def _same_plane(r1: list[F], r2: list[F]) -> int:
    """Exactly: 0 if the rows (a, c) define different hyperplanes, else the sign of r2 / r1."""
    k = next(i for i, v in enumerate(r1) if v != 0)
    ratio = r2[k] / r1[k]
    if ratio == 0 or any(b != ratio * a for a, b in zip(r1, r2, strict=True)):
        return 0
    return 1 if ratio > 0 else -1


def _scaled_rows(rng: np.random.Generator, n: int, d: int):
    """Rows built from a few base hyperplanes by scaling (positive and negative), plus zero rows."""
    bases = [[F(int(v)) for v in rng.integers(-4, 5, size=d + 1)] for _ in range(3)]
    bases = [b for b in bases if any(b[:d])] or [[F(1)] + [F(0)] * d]
    rows = []
    for _ in range(n):
        if rng.random() < 0.15:
            rows.append([F(0)] * d + [F(int(rng.integers(-2, 3)))])
            continue
        base = bases[int(rng.integers(len(bases)))]
        k = F(int(rng.choice([1, 2, 3, -1, -2, 7])), int(rng.choice([1, 3, 10])))
        rows.append([k * v for v in base])
    return rows


@pytest.mark.parametrize("seed", range(6))
def test_group_hyperplanes_exact_and_float_match_an_exact_rank_test(seed):
    rng = np.random.default_rng(seed)
    d = 2 + seed % 2
    rows = _scaled_rows(rng, 10, d)
    exact_a = np.array([r[:d] for r in rows], dtype=object)
    exact_c = np.array([r[d] for r in rows], dtype=object)
    hom = affine_fmpq_mat(exact_a, exact_c)  # the rows in python-flint, and one extra row
    for a, c, rows_q in [
        (exact_a, exact_c, None),
        (exact_a, exact_c, hom),
        (exact_a.astype(float), exact_c.astype(float), None),
    ]:
        groups = group_hyperplanes(a, c, hom=rows_q)
        if rows_q is not None:
            plain = group_hyperplanes(a, c)
            assert groups.group.tolist() == plain.group.tolist()
            assert groups.orientation.tolist() == plain.orientation.tolist()
        members = groups.members()
        for j, row in enumerate(rows):
            if not any(row[:d]):
                assert groups.group[j] == -1
                continue
            rep = int(groups.group[j])
            assert rep in members and j in members[rep]
            assert rep in groups.representatives.tolist()
            assert _same_plane(rows[rep], row) == groups.orientation[j]
        for r1, r2 in itertools.combinations(members, 2):
            assert _same_plane(rows[r1], rows[r2]) == 0
        assert np.all(groups.gap <= 1e-15)  # these rows are equal up to rounding


def test_group_hyperplanes_merges_float_rows_within_the_tolerance_and_reports_the_gap():
    a = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 2.0], [1.0, 1.0]])
    c = np.array([1.0, 1.0 + 1e-12, 2.0, 1.0 + 1e-3])
    groups = group_hyperplanes(a, c)
    assert groups.group.tolist() == [0, 0, 0, 3]
    assert 0 < groups.gap[1] <= 1e-9 and groups.gap[2] == 0 and groups.gap[3] == 0
    assert group_hyperplanes(a, c, tol=1e-14).group.tolist() == [0, 1, 0, 3]
    assert group_hyperplanes(a, c, tol=Tolerances(rel=1e-2)).group.tolist() == [0, 0, 0, 0]
    # exactly, 1e-12 apart is apart
    exact = group_hyperplanes(
        a.astype(object), np.array([F(1), F(1) + F(1, 10**12), F(2), F(1)], object)
    )
    assert exact.group.tolist() == [0, 1, 0, 0]


# -- compare_maps ----------------------------------------------------------------------------------
def _fmap(matrix, offset):
    return AffineMap(np.array(matrix, dtype=float), np.array(offset, dtype=float))


def test_compare_maps_exact_is_exact():
    one = AffineMap(np.array([[F(1, 3)]], object), np.array([F(0)], object))
    other = AffineMap(np.array([[F(1, 3) + F(1, 10**40)]], object), np.array([F(0)], object))
    assert compare_maps(one, one, size=1.0, extent=1.0, tol=Tolerances()) == (
        compare_maps(one, one, size=1.0, extent=1.0, tol=Tolerances())
    )
    same = compare_maps(one, one, size=1.0, extent=1.0, tol=Tolerances())
    assert (same.equal, same.certain, same.gap) == (True, True, 0.0)
    apart = compare_maps(one, other, size=1.0, extent=1.0, tol=Tolerances())
    assert (apart.equal, apart.certain, apart.gap) == (False, True, float("inf"))


@pytest.mark.parametrize(
    ("second", "extent", "equal", "certain"),
    [
        # rel 2^-30, band 2^10, size 2^3: zero up to 2^-27, unsure from 2^-37 to 2^-17
        (([[0.0, 0.0]], [2.0**-40]), 1.0, True, True),  # noise on a zero map
        (([[2.0**-45, 0.0]], [0.0]), 2.0**4, True, True),
        (([[0.0, 0.0]], [2.0**-28]), 1.0, True, False),  # inside the band, below the threshold
        (([[2.0**-30, 0.0]], [0.0]), 2.0**3, True, False),  # the threshold itself: zero
        (([[2.0**-29, 0.0]], [2.0**-30]), 2.0**2, False, False),  # 2^-27 + 2^-30: above it
        (([[0.0, 0.0]], [2.0**-18]), 1.0, False, False),
        (([[0.0, 0.0]], [2.0**-17]), 1.0, False, True),  # the band's upper edge
        (([[1.0, 0.0]], [0.0]), 1.0, False, True),
    ],
)
def test_compare_maps_in_float_against_the_size(second, extent, equal, certain):
    tol = Tolerances(rel=2.0**-30, band=2.0**10)
    zero = _fmap([[0.0, 0.0]], [0.0])
    got = compare_maps(zero, _fmap(*second), size=8.0, extent=extent, tol=tol)
    gap = np.abs(second[0]).max() * extent + abs(second[1][0])
    assert (got.equal, got.certain, got.gap) == (equal, certain, gap)
    assert compare_maps(_fmap(*second), zero, size=8.0, extent=extent, tol=tol) == got


def test_compare_maps_mixes_exact_and_float_and_handles_a_zero_size():
    exact = AffineMap(np.array([[F(1, 10)]], object), np.array([F(0)], object))
    rounded = _fmap([[0.1]], [0.0])
    got = compare_maps(exact, rounded, size=1.0, extent=1.0, tol=Tolerances())
    assert got.equal and got.certain and got.gap == 0.0
    zero = _fmap([[0.0]], [0.0])
    assert compare_maps(zero, zero, size=0.0, extent=0.0, tol=Tolerances()).equal
    assert not compare_maps(
        zero, _fmap([[0.0]], [1e-300]), size=0.0, extent=1.0, tol=Tolerances()
    ).equal


# -- scales ----------------------------------------------------------------------------------------
def _exact_max_over_cube(matrix: list[list[F]], offset: list[F], extent: F) -> F:
    """max over |x|_inf <= extent of |M x + c|_inf = max_i |c_i| + extent * sum_j |M_ij|."""
    return max(
        abs(c) + extent * sum(abs(v) for v in row) for row, c in zip(matrix, offset, strict=True)
    )


@pytest.mark.parametrize("slope", SLOPES, ids=str)
@pytest.mark.parametrize("arch", ARCHS, ids=str)
def test_output_size_bounds_every_local_map_on_the_cube(arch, slope):
    rng = np.random.default_rng(len(arch) + arch[1])
    net = random_net(rng, arch, exact=False, slope=slope)
    for extent in (F(1, 2), F(3)):
        bound = output_size(net, float(extent))
        worst = F(0)
        for pattern in itertools.product([False, True], repeat=net.n_hidden):
            worst = max(worst, _exact_max_over_cube(*compose(net, list(pattern))[-1], extent))
        assert worst <= F(bound) * (1 + F(1, 10**12))
        assert bound > 0


def test_output_size_by_hand():
    net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]], [[0.0, 2.0], [3.0]])
    assert output_size(net, 1.0) == 7.0  # (1 + 0) + (1 + 2) + 3
    assert output_size(net, 0.0) == 5.0
    leaky = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]], [[0.0, 2.0], [3.0]], negative_slope=-2)
    assert output_size(leaky, 1.0) == 2 * 1 + 2 * 3 + 3  # slopes up to |s| = 2


@pytest.mark.parametrize(
    ("weights", "biases", "domain", "scale"),
    [
        ([[[3.0, 4.0]], [[1.0]]], [[10.0], [0.0]], Domain.whole(2), 2.0),  # |10| / |(3, 4)|
        ([[[3.0, 4.0]], [[1.0]]], [[10.0], [0.0]], Domain.box(-5, 5, dim=2), 5.0),
        ([[[1.0, 0.0], [0.0, 0.0]], [[1.0, 1.0]]], [[-7.0, 100.0], [0.0]], Domain.whole(2), 7.0),
        ([[[1.0, 1.0]], [[1.0]]], [[0.0], [0.0]], Domain.whole(2), 1.0),  # through 0: no scale
        ([[[0.0, 0.0]], [[1.0]]], [[0.0], [0.0]], Domain.whole(2), 1.0),
        ([[[1.0, 1.0]], [[1.0]]], [[0.0], [0.0]], Domain.box(0, "1/4", dim=2), 0.25),
        (
            [[[1.0], [2.0]], [[1.0, 1.0]]],
            [[-3.0, 1.0], [0.0]],
            Domain.polytope([[1], [-1]], [9, 0]),
            9.0,
        ),
    ],
)
def test_problem_scale(weights, biases, domain, scale):
    assert problem_scale(ReLUNet(weights, biases), domain) == pytest.approx(scale, rel=1e-12)
    exact = ReLUNet(weights, biases).to_exact()
    assert problem_scale(exact, domain) == pytest.approx(scale, rel=1e-12)


def test_problem_scale_does_not_change_when_net_and_domain_scale_together():
    net = ReLUNet([[[1.0, 2.0], [-3.0, 1.0]], [[1.0, 1.0]]], [[5.0, -1.0], [0.0]])
    base = problem_scale(net, Domain.box(-2, 2, dim=2))
    for k in (1e-3, 1.0, 1e3):
        scaled = ReLUNet([[[1.0, 2.0], [-3.0, 1.0]], [[1.0, 1.0]]], [[5.0 * k, -1.0 * k], [0.0]])
        assert problem_scale(scaled, Domain.box(-2 * k, 2 * k, dim=2)) == pytest.approx(base * k)


# -- pattern strings ------------------------------------------------------------------------------
@settings(max_examples=50, deadline=None)
@given(st.lists(st.booleans(), max_size=40))
def test_pattern_strings_round_trip(bits):
    text = pattern_string(bits)
    assert set(text) <= {"0", "1"} and len(text) == len(bits)
    back = pattern_from_string(text)
    assert back.dtype == bool and back.tolist() == bits
    assert pattern_string(np.array(bits, dtype=bool)) == text
    assert pattern_string([int(b) for b in bits]) == text


def test_pattern_strings_of_empty_patterns():
    assert pattern_string([]) == ""
    assert pattern_from_string("").shape == (0,)


def test_halfspaces_contain_exactly():
    hs = Halfspaces(np.array([[F(1), F(1)]], object), np.array([F(1)], object), np.array([0]))
    assert hs.contains(["1/10", "9/10"]) and not hs.contains([0.1, 0.9])  # 0.1 + 0.9 > 1 exactly
    assert not hs.contains(["1/10", "9/10"], strict=True)
    empty = Halfspaces(np.zeros((0, 2)), np.zeros(0), np.zeros(0, dtype=np.int64))
    assert empty.contains([1e300, 0.0], strict=True) and len(empty) == 0


@pytest.mark.parametrize(
    ("arch", "slope"),
    [([3, 5, 4, 2], 0.0), ([2, 6, 1], 0.25), ([4, 1], 0.0), ([2, 3, 3, 3, 1], 0.1)],
)
def test_stacked_forms_are_the_layer_maps_of_each_cell(arch, slope):
    """The batched forms and output maps of many patterns equal layer_maps cell by cell
    (leaky slopes and a net without hidden layers included)."""
    rng = np.random.default_rng(len(arch))
    weights = [rng.normal(size=(b, a)) for a, b in itertools.pairwise(arch)]
    biases = [rng.normal(size=b) for b in arch[1:]]
    net = ReLUNet(weights, biases, negative_slope=slope)
    patterns = rng.random((40, net.n_hidden)) < 0.5
    hidden, output = stacked_forms(net, patterns)
    assert hidden.shape == (40, net.n_hidden, arch[0] + 1)
    assert output.shape == (40, arch[-1], arch[0] + 1)
    for k, pattern in enumerate(patterns):
        maps = layer_maps(net, pattern)
        rows = [np.column_stack([m.matrix, m.offset]) for m in maps]
        want = np.concatenate([*rows[:-1], np.zeros((0, arch[0] + 1))])
        np.testing.assert_allclose(hidden[k], want, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(output[k], rows[-1], rtol=1e-12, atol=1e-12)
