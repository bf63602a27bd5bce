"""Exact certificates of gluings and pairs of regions whose images meet without samples."""

from __future__ import annotations

import itertools
import json
import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogeom import ReLUNet
from neurogeom.topology import (
    MODES,
    RankDeficiencyWarning,
    certify_gluings,
    meeting_regions,
    overlap_decomposition,
    sample_circle,
)


def random_net(seed: int, widths=(2, 4, 4, 2)) -> ReLUNet:
    rng = np.random.default_rng(seed)
    ws = [rng.normal(size=(b, a)) for a, b in itertools.pairwise(widths)]
    bs = [rng.normal(size=b) * 0.5 for b in widths[1:]]
    return ReLUNet(ws, bs)


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RankDeficiencyWarning)
        return fn(*args, **kwargs)


@settings(max_examples=10)
@given(st.integers(0, 10_000), st.sampled_from(MODES))
def test_float_gluings_are_certified_exactly(seed, mode) -> None:
    net = random_net(seed)
    x = sample_circle(24, seed=seed)
    dec = quiet(overlap_decomposition, net, x, mode=mode, scale=0.3)
    verdicts = certify_gluings(net, x, dec)
    assert set(verdicts) == {layer.layer for layer in dec.layers}
    for layer in dec.layers:
        assert len(verdicts[layer.layer]) == len(layer.gluings)
        assert all(verdicts[layer.layer])


def test_certificates_of_the_reference_cases(ref, circle48) -> None:
    dec = overlap_decomposition(ref.xor_overlap(), ref.xor, mode="polyhedron", box=100)
    verdicts = certify_gluings(ref.xor_overlap(), ref.xor, dec)
    assert verdicts[3] and all(verdicts[3])  # the readout gluing zero slack rejects is exact
    dec = overlap_decomposition(ref.fold(), circle48, scale=0.2)
    assert all(certify_gluings(ref.fold(), circle48, dec)[2])


@settings(max_examples=5)
@given(st.integers(0, 10_000))
def test_glued_region_pairs_meet(seed) -> None:
    net = random_net(seed, (2, 4, 4, 2))
    x = sample_circle(24, seed=seed)
    dec = quiet(overlap_decomposition, net, x, mode="polyhedron")
    for layer in dec.layers:
        met = {(m.first, m.second) for m in meeting_regions(net, x, layer.layer)}
        for g in layer.gluings:
            pair = tuple(sorted((int(layer.region_of[g.point]), g.region)))
            assert pair in met
        for m in meeting_regions(net, x, layer.layer):
            ra, rb = layer.regions[m.first], layer.regions[m.second]
            za, zb = np.array(m.first_point), np.array(m.second_point)
            assert np.allclose(ra.matrix @ za + ra.offset, rb.matrix @ zb + rb.offset, atol=1e-7)


def test_meetings_of_the_reference_nets(ref, circle48) -> None:
    assert meeting_regions(ref.injective(), circle48, 2) == ()
    meets = meeting_regions(ref.fold(), circle48, 2)
    assert len(meets) == 4 and json.dumps([m.to_dict() for m in meets])
