"""Canonical forms against independent oracles: brute-force kinks of 1-D nets, evaluation at
rational points, exact vs float, folding on bounded domains, float tolerance notes."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogeom import Domain, InvalidInputError, ReLUNet, UnsupportedLayerError
from neurogeom.symmetry import ShallowNet, canonical_form
from neurogeom.symmetry.canonical import orientation_sign

small = st.integers(-3, 3)


@st.composite
def exact_nets(draw: st.DrawFn, *, dims: tuple[int, int] = (1, 3)) -> ShallowNet:
    """Small exact shallow nets, often with shared hyperplanes, dead or constant neurons."""
    m = draw(st.integers(*dims))
    n = draw(st.integers(1, 5))
    k = draw(st.integers(1, 2))
    w = draw(st.lists(st.lists(small, min_size=m, max_size=m), min_size=n, max_size=n))
    b = draw(st.lists(small, min_size=n, max_size=n))
    a = draw(st.lists(st.lists(small, min_size=n, max_size=n), min_size=k, max_size=k))
    if n >= 2 and draw(st.booleans()):
        lam = draw(st.sampled_from([Fraction(-2), Fraction(1, 2), Fraction(3), Fraction(-1)]))
        w[1] = [lam * x for x in w[0]]
        b[1] = lam * b[0]
    c = draw(st.lists(small, min_size=k, max_size=k)) if draw(st.booleans()) else None
    v = (
        draw(st.lists(st.lists(small, min_size=m, max_size=m), min_size=k, max_size=k))
        if draw(st.integers(0, 3)) == 0
        else None
    )
    return ShallowNet(w, b, a, c=c, v=v, exact=True)


def brute_force_kinks_1d(net: ShallowNet) -> dict[Fraction, tuple[Fraction, ...]]:
    """Breakpoints of a 1-D net and the jump of its slope there, by exact evaluation."""
    candidates = sorted({-net.b[i] / net.w[i][0] for i in range(net.width) if net.w[i][0] != 0})
    gaps = [b - a for a, b in itertools.pairwise(candidates)]
    eps = min(gaps, default=Fraction(1)) / 4
    out = {}
    for t in candidates:
        left = (net([t])[...] - net([t - eps])) / eps
        right = (net([t + eps]) - net([t])) / eps
        jump = tuple(right - left)
        if any(j != 0 for j in jump):
            out[t] = jump
    return out


@given(exact_nets(dims=(1, 1)))
def test_1d_kinks_match_brute_force(net: ShallowNet) -> None:
    form = canonical_form(net)
    expected = brute_force_kinks_1d(net)
    got = {-kk.offset / kk.normal[0]: kk.coefficient for kk in form.kinks}
    assert all(kk.normal == (Fraction(1),) for kk in form.kinks)  # first coordinate normalised
    assert got == expected
    # left of every kink the net is the affine part alone
    far = min([*expected, Fraction(0)]) - 10
    assert tuple(net([far])) == tuple(
        sum((lv * far for lv in row), Fraction(0)) + d
        for row, d in zip(form.linear, form.constant, strict=True)
    )


@given(exact_nets(), st.integers(0, 2**32 - 1))
def test_the_form_computes_the_net(net: ShallowNet, seed: int) -> None:
    form = canonical_form(net)
    rng = np.random.default_rng(seed)
    pts = [
        [Fraction(int(rng.integers(-40, 41)), 8) for _ in range(net.n_inputs)] for _ in range(12)
    ]
    assert (form.evaluate(pts) == net.evaluate(pts)).all()
    # distinct hyperplanes with nonzero coefficients
    keys = [(kk.normal, kk.offset) for kk in form.kinks]
    assert len(set(keys)) == len(keys)
    assert all(any(v != 0 for v in kk.coefficient) for kk in form.kinks)
    assert all(orientation_sign(kk.normal, exact=True) == 1 for kk in form.kinks)


@given(exact_nets())
def test_float_form_agrees_with_the_exact_one(net: ShallowNet) -> None:
    exact = canonical_form(net).to_float()
    flt = canonical_form(net.to_float())
    assert flt.width == exact.width
    for p in flt.kinks:  # matched by hyperplane: the order of ties may differ by rounding
        q = min(
            exact.kinks,
            key=lambda kk: (
                np.abs(np.subtract(kk.normal, p.normal)).max() + abs(kk.offset - p.offset)
            ),
        )
        np.testing.assert_allclose(p.normal, q.normal, atol=1e-12)
        np.testing.assert_allclose(p.offset, q.offset, atol=1e-12)
        np.testing.assert_allclose(p.coefficient, q.coefficient, atol=1e-12)
    np.testing.assert_allclose(flt.linear, exact.linear, atol=1e-12)
    np.testing.assert_allclose(flt.constant, exact.constant, atol=1e-12)


# spec §4 oracles: pairs of parameters with the same function, not related by H_n
ORACLE_PAIRS = {
    "flip (oracle 1)": (
        ShallowNet([[1], [1]], [0, -1], [[1, -1]], c=[0], exact=True),
        ShallowNet([[-1], [-1]], [0, 1], [[1, -1]], c=[1], exact=True),
    ),
    "cancelling pair (oracle 2)": (
        ShallowNet([[1], [-1]], [0, 0], [[1, -1]], c=[0], exact=True),
        ShallowNet([[1], [-1]], [5, -5], [[1, -1]], c=[-5], exact=True),
    ),
    "split (oracle 3)": (
        ShallowNet([[1, 2], [2, 4]], [1, 2], [[3, 1]], c=[0], exact=True),
        ShallowNet([["1/2", 1], [9, 9]], ["1/2", 9], [[10, 0]], c=[0], exact=True),
    ),
    "|x| with a skip term (oracle 4)": (
        ShallowNet([[1], [-1]], [0, 0], [[1, 1]], c=[0], exact=True),
        ShallowNet([[1]], [0], [[2]], c=[0], v=[[-1]], exact=True),
    ),
}

LOOK_ALIKES = {
    "|x| vs x": (
        ShallowNet([[1], [-1]], [0, 0], [[1, 1]], exact=True),
        ShallowNet([[1], [-1]], [0, 0], [[1, -1]], exact=True),
    ),
    "oracle 1 without the +1": (
        ShallowNet([[1], [1]], [0, -1], [[1, -1]], c=[0], exact=True),
        ShallowNet([[-1], [-1]], [0, 1], [[1, -1]], c=[0], exact=True),
    ),
    "same kinks, differ by 2x - 1": (
        ShallowNet([[1], [1]], [0, -1], [[1, 1]], exact=True),
        ShallowNet([[-1], [-1]], [0, 1], [[1, 1]], exact=True),
    ),
}


@pytest.mark.parametrize("name", sorted(ORACLE_PAIRS))
@pytest.mark.parametrize("exact", [True, False])
def test_spec_oracle_pairs_have_one_canonical_form(name: str, exact: bool) -> None:
    f, g = ORACLE_PAIRS[name]
    if not exact:
        f, g = f.to_float(), g.to_float()
    cf, cg = canonical_form(f), canonical_form(g)
    assert cf.equals(cg)
    if exact:
        assert cf.kinks_key() == cg.kinks_key() and cf.linear == cg.linear


@pytest.mark.parametrize("name", sorted(LOOK_ALIKES))
@pytest.mark.parametrize("exact", [True, False])
def test_look_alikes_have_different_forms(name: str, exact: bool) -> None:
    f, g = LOOK_ALIKES[name]
    if not exact:
        f, g = f.to_float(), g.to_float()
    assert not canonical_form(f).equals(canonical_form(g))


def test_cancelling_pair_is_affine_and_named() -> None:
    form = canonical_form(ORACLE_PAIRS["cancelling pair (oracle 2)"][0])
    assert form.kinks == ()
    assert form.linear == ((Fraction(1),),) and form.constant == (Fraction(0),)
    assert form.cancelled == ((0, 1),)


def test_dead_and_constant_neurons_are_named() -> None:
    net = ShallowNet(
        [[1, 0], [2, 1], [0, 0], [0, 0]], [0, 1, 3, -2], [[0, 1, 2, 5]], c=[1], exact=True
    )
    form = canonical_form(net)
    assert form.dead == (0,)
    assert form.constant_neurons == (2, 3)
    assert form.constant == (Fraction(1 + 2 * 3),)  # 5 σ(-2) = 0
    assert [kk.neurons for kk in form.kinks] == [(1,)]


@pytest.mark.parametrize("exact", [True, False])
def test_hyperplanes_missing_the_domain_fold_into_the_affine_part(exact: bool) -> None:
    # σ(x) + σ(x - 10) + σ(x + 10) on [-1, 1]: one kink, σ(x - 10) = 0, σ(x + 10) = x + 10
    net = ShallowNet([[1], [1], [1]], [0, -10, 10], [[1, 1, 1]], c=[0], exact=True)
    if not exact:
        net = net.to_float()
    form = canonical_form(net, domain=(-1, 1))
    assert form.width == 1
    assert [term for _, term in form.outside] == ["zero on the domain", "affine on the domain"]
    assert float(form.linear[0][0]) == 1.0 and float(form.constant[0]) == 10.0
    pts = np.linspace(-1, 1, 9)[:, None]
    np.testing.assert_allclose(
        np.asarray(form.evaluate(pts), dtype=float), np.asarray(net.evaluate(pts), dtype=float)
    )
    assert canonical_form(net).width == 3  # on R^1 all three are kinks


def test_polytope_domain_uses_lps() -> None:
    # the triangle x, y >= 0, x + y <= 1: the kink x + y = 2 misses it
    tri = Domain.polytope([[-1, 0], [0, -1], [1, 1]], [0, 0, 1])
    net = ShallowNet([[1, 1], [1, -1]], [-2, 0], [[3, 1]], c=[0], exact=True)
    for form in (canonical_form(net, domain=tri), canonical_form(net.to_float(), domain=tri)):
        assert form.width == 1
        assert form.outside == (((0,), "zero on the domain"),)


def test_near_coincident_float_hyperplanes_are_noted_not_certified() -> None:
    close = ShallowNet([[1.0, 2.0], [1.0 + 3e-10, 2.0]], [0.5, 0.5], [[1.0, 1.0]], c=[0.0])
    form = canonical_form(close)
    assert form.width == 1 and not form.certified
    assert any("near-coincident" in note for note in form.notes)
    apart = ShallowNet([[1.0, 2.0], [1.001, 2.0]], [0.5, 0.5], [[1.0, 1.0]], c=[0.0])
    far = canonical_form(apart)
    assert far.width == 2 and far.certified
    exact = canonical_form(close.to_exact())
    assert exact.width == 2 and exact.certified  # exactly they are two hyperplanes


def test_negligible_coefficients_are_dropped_with_a_note_in_the_band() -> None:
    net = ShallowNet([[1.0], [2.0]], [0.0, 1.0], [[1.0, 1e-11]], c=[0.0])
    form = canonical_form(net)  # 1e-11 * 2 is 2e-11 of the slope scale 1: inside the band
    assert form.width == 1 and not form.certified
    tiny = canonical_form(net.replace(a=[[1.0, 1e-16]]))
    assert tiny.width == 1 and tiny.certified


def test_orientation_rule_is_tolerance_aware() -> None:
    assert orientation_sign([1e-17, -1.0], exact=False) == -1
    assert orientation_sign([0.5, -1.0], exact=False) == 1  # 0.5 >= |u| / (2 sqrt 2)
    assert orientation_sign([0.3, -1.0], exact=False) == -1  # 0.3 is below it
    assert orientation_sign([Fraction(0), Fraction(-1, 3)], exact=True) == -1


def test_json_has_the_contract_keys_and_exact_rationals() -> None:
    form = canonical_form(ShallowNet([[2, 4]], [1], [["1/3"]], c=[0], exact=True))
    doc = json.loads(json.dumps(form.to_dict()))
    assert set(doc) >= {"hyperplanes", "affine"}
    assert doc["hyperplanes"] == [
        {"normal": [1, 2], "offset": "1/2", "coefficient": ["2/3"], "neurons": [0], "signs": [1]}
    ]
    assert doc["affine"] == {"linear": [[0, 0]], "constant": [0]}


def test_bad_arguments() -> None:
    net = ShallowNet([[1.0]], [0.0], [[1.0]])
    with pytest.raises(InvalidInputError, match="tol"):
        canonical_form(net, tol=0.0)
    with pytest.raises(InvalidInputError, match="tol"):
        canonical_form(net, tol=-1e-3)
    with pytest.raises(InvalidInputError, match="2 coordinates but the net has 1"):
        canonical_form(net, domain=([0, 0], [1, 1]))
    with pytest.raises(UnsupportedLayerError, match="shallow"):
        canonical_form(ReLUNet([[[1.0]], [[1.0]], [[1.0]]]))
