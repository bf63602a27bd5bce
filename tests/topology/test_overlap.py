"""Overlap decomposition: oracles (the published algorithm, the unfiltered search), witnesses,
hand-built nets, budgets and bad input."""

from __future__ import annotations

import itertools
import json
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogeom import InvalidInputError, RationalNet, ReLUNet, UnsupportedLayerError
from neurogeom.topology import (
    MODES,
    RankDeficiencyWarning,
    default_scale,
    overlap_decomposition,
    representation,
    sample_circle,
)
from neurogeom.topology import overlap as overlap_module
from neurogeom.topology._published import published_overlap


def random_net(seed: int, widths=(2, 4, 4, 2)) -> ReLUNet:
    rng = np.random.default_rng(seed)
    ws = [rng.normal(size=(b, a)) for a, b in itertools.pairwise(widths)]
    bs = [rng.normal(size=b) * 0.5 for b in widths[1:]]
    return ReLUNet(ws, bs)


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RankDeficiencyWarning)
        return fn(*args, **kwargs)


@settings(max_examples=4)
@given(st.integers(0, 10_000))
def test_polyhedron_mode_equals_the_published_algorithm_with_tolerant_acceptance(seed) -> None:
    net = random_net(seed, (2, 3, 3, 2))
    x = sample_circle(16, seed=seed)
    ours = quiet(overlap_decomposition, net, x, mode="polyhedron", box=100)
    theirs = published_overlap(net, x, box=100, slack=1e-9)
    assert [tuple(sorted(layer.classes)) for layer in ours.layers] == theirs


@settings(max_examples=15)
@given(st.integers(0, 10_000), st.sampled_from(MODES))
def test_the_candidate_filter_is_safe(seed, mode) -> None:
    net = random_net(seed)
    x = sample_circle(30, seed=seed, noise=0.05)
    filtered = quiet(overlap_decomposition, net, x, mode=mode, scale=0.3)
    original = overlap_module._image_boxes

    def everything(works, mode, scale, margin):
        lo, hi, lps = original(works, mode, scale, margin)
        return np.full_like(lo, -np.inf), np.full_like(hi, np.inf), lps

    overlap_module._image_boxes = everything
    try:
        unfiltered = quiet(overlap_decomposition, net, x, mode=mode, scale=0.3)
    finally:
        overlap_module._image_boxes = original
    for a, b in zip(filtered.layers, unfiltered.layers, strict=True):
        assert a.classes == b.classes
        assert a.candidates <= b.candidates


@settings(max_examples=20)
@given(st.integers(0, 10_000), st.sampled_from(MODES))
def test_every_witness_holds(seed, mode) -> None:
    net = random_net(seed)
    x = sample_circle(40, seed=seed)
    dec = quiet(overlap_decomposition, net, x, mode=mode, scale=0.25)
    for layer in dec.layers:
        y = representation(net, x, layer.layer)
        for g in layer.gluings:
            region = layer.regions[g.region]
            z = np.array(g.preimage)
            assert np.allclose(region.matrix @ z + region.offset, y[g.point], atol=1e-7)
            assert (region.a @ z - region.b).max() <= 1e-7
            assert g.partner in region.points and g.point not in region.points
            assert np.isclose(g.distance, np.linalg.norm(z - x[g.partner]))
            if mode == "partner":
                assert g.distance <= dec.scale
            if mode == "hull":
                xs = x[list(region.points)]
                assert (z >= xs.min(axis=0) - 1e-9).all() and (z <= xs.max(axis=0) + 1e-9).all()
        labels = layer.labels
        for c in layer.classes:
            assert len(set(labels[list(c)].tolist())) == 1


@settings(max_examples=15)
@given(st.integers(0, 10_000))
def test_hull_classes_refine_polyhedron_classes(seed) -> None:
    net = random_net(seed)
    x = sample_circle(30, seed=seed)
    hull = quiet(overlap_decomposition, net, x, mode="hull")
    poly = quiet(overlap_decomposition, net, x, mode="polyhedron")
    for h, p in zip(hull.layers, poly.layers, strict=True):
        for c in h.classes:
            assert len(set(p.labels[list(c)].tolist())) == 1


def test_cumulative_classes_only_grow() -> None:
    net = random_net(3, (2, 8, 8, 2))
    x = sample_circle(60, seed=1)
    dec = quiet(overlap_decomposition, net, x, mode="polyhedron")
    for before, after in zip(dec.layers, dec.layers[1:], strict=False):
        for c in before.classes:
            assert len(set(after.labels[list(c)].tolist())) == 1
    single = quiet(overlap_decomposition, net, x, mode="polyhedron", layer=2, cumulative=False)
    assert [item.layer for item in single.layers] == [2]


def test_wrap_glues_the_ends(ref) -> None:
    t = np.linspace(0, 1, 31).reshape(-1, 1)
    for mode in MODES:
        dec = overlap_decomposition(ref.wrap(), t, mode=mode, scale=0.05)
        last = dec.layer(2)
        assert any({0, 30} <= set(c) for c in last.classes), mode
    y = representation(ref.wrap(), t, 2)
    assert np.allclose(y[0], y[-1]) and np.allclose(y[10], [1, 0]) and np.allclose(y[20], [0, 1])


def test_results_are_json_ready(circle48, ref) -> None:
    dec = overlap_decomposition(ref.fold(), circle48, scale=0.2)
    doc = json.loads(json.dumps(dec.to_dict(details=True)))
    assert doc["mode"] == "partner" and doc["layers"][1]["overlap_classes"] == 24
    assert doc["layers"][1]["gluings"][0]["layer"] == 2
    assert "Region(" in repr(dec.layers[0].regions[0])


def test_time_limit_marks_incomplete(circle48) -> None:
    net = random_net(0, (2, 16, 16, 2))
    dec = overlap_decomposition(net, sample_circle(300, seed=0), time_limit=1e-6)
    assert not dec.complete
    assert not dec.layers[-1].complete


def test_default_scale_and_ties(circle48, ref) -> None:
    assert 0.19 < default_scale(circle48) < 0.2
    dec = overlap_decomposition(ref.injective(), circle48)
    assert dec.scale == default_scale(circle48)
    assert all(layer.ties == () for layer in dec.layers)


def test_bad_options(ref, circle48) -> None:
    with pytest.raises(InvalidInputError, match="out of range"):
        overlap_decomposition(ref.fold(), circle48, layer=3)
    with pytest.raises(InvalidInputError, match="mode"):
        overlap_decomposition(ref.fold(), circle48, mode="paper")
    with pytest.raises(InvalidInputError, match="scale"):
        overlap_decomposition(ref.fold(), circle48, scale=-1)
    with pytest.raises(InvalidInputError, match="box"):
        overlap_decomposition(ref.fold(), circle48, box=0.5)
    with pytest.raises(UnsupportedLayerError, match="ReLU"):
        overlap_decomposition(RationalNet([[[1.0, 0.0]], [[1.0]]]), circle48)


def test_zero_slack_misses_true_overlaps_of_rank_zero_regions() -> None:
    # two regions that both send everything to 0: a true overlap, which the published
    # zero-slack acceptance rejects because its LP vertex violates a facet by rounding
    net = random_net(1, (2, 3, 3, 2))
    x = sample_circle(16, seed=1)
    ours = quiet(overlap_decomposition, net, x, mode="polyhedron", box=100).layer(2)
    zero = [r for r in ours.regions if r.rank == 0 and not r.offset.any()]
    assert len(zero) >= 2
    points = [p for r in zero for p in r.points]
    assert len(set(ours.labels[points].tolist())) == 1
    assert np.allclose(representation(net, x[points], 2), 0)


@pytest.mark.parametrize("mode", MODES)
def test_workers_give_the_serial_answer(mode) -> None:
    net = random_net(11, (2, 6, 6, 1))  # one output: rank-deficient regions, LPs
    x = sample_circle(80, seed=2)
    one = quiet(overlap_decomposition, net, x, mode=mode, scale=0.2)
    two = quiet(overlap_decomposition, net, x, mode=mode, scale=0.2, workers=2)
    assert sum(layer.lps for layer in one.layers) > 0
    for a, b in zip(one.layers, two.layers, strict=True):
        assert a.classes == b.classes and a.lps == b.lps and a.ties == b.ties
        assert [g.to_dict() for g in a.gluings] == [g.to_dict() for g in b.gluings]
    with pytest.raises(InvalidInputError, match="workers"):
        overlap_decomposition(net, x, workers=0)
