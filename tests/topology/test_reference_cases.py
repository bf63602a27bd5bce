"""The spec's reference cases OV1-OV4 (§7), every mode; Betti numbers with both backends pinned
and both persistence engines."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from neurogeom.topology import (
    MODES,
    RankDeficiencyWarning,
    layerwise_homology,
    overlap_decomposition,
    quotient_homology,
)

ENGINES = ["gudhi", "gf2"]


def _engine(engine: str) -> str:
    if engine == "gudhi":
        pytest.importorskip("gudhi")
    return engine


@pytest.mark.parametrize("mode", MODES)
def test_ov1_injective(ref, circle48, mode) -> None:
    dec = overlap_decomposition(ref.injective(), circle48, mode=mode, scale=0.2, box=100)
    for layer in dec.layers:
        assert len(layer.regions) == 4 and layer.classes == ()
        assert all(r.rank == 2 for r in layer.regions)


@pytest.mark.parametrize("mode", MODES)
def test_ov2_fold_classes(ref, circle48, mode) -> None:
    out = overlap_decomposition(ref.fold(), circle48, mode=mode, scale=0.2, box=100).layer(2)
    assert len(out.regions) == 4
    if mode == "partner":  # each point with its mirror image (x -> -x)
        expected = {tuple(sorted((k, 23 - k))) for k in range(12)}
        expected |= {tuple(sorted((24 + k, 47 - k))) for k in range(12)}
        assert set(out.classes) == expected
        for g in out.gluings:
            assert np.allclose(g.preimage, circle48[g.partner], atol=1e-12)
    else:  # whole-set gluing: the upper and the lower half
        assert out.classes == (tuple(range(24)), tuple(range(24, 48)))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("mode", MODES)
def test_ov2_backends_differ(ref, circle48, mode, engine) -> None:
    res = layerwise_homology(
        ref.fold(), circle48, mode=mode, scale=0.2, engine=_engine(engine), box=100
    )
    last = res.layers[-1]
    assert last.quotient.betti == (1, 0) == last.representation.betti  # metric: the arc
    if mode != "partner":
        assert last.cone.betti == (1, 1)  # the cone backend misses the unsampled fold line
    else:  # cones over pairs do not identify edges: the CW quotient keeps loops
        assert last.cone.betti[1] > 1
    assert res.layers[0].quotient.betti == (1, 1) == res.input.betti


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("mode", MODES)
def test_ov3_rank_source(ref, circle48, mode, engine) -> None:
    with pytest.warns(RankDeficiencyWarning, match="rank-deficient"):
        res = layerwise_homology(
            ref.projection(), circle48, mode=mode, scale=0.2, engine=_engine(engine), box=100
        )
    last = res.layers[-1]
    assert last.overlap.classes == ()
    assert last.quotient.betti == (1, 1) and last.cone.betti == (1, 1)
    assert last.representation.betti == (1, 0)  # the hypothesis fails: Φ(M) is an interval
    assert last.overlap.rank_deficient == tuple(range(len(last.overlap.regions)))


def test_ov3_filled_disk_agrees(ref) -> None:
    g = np.linspace(-1, 1, 15) + 1 / 30
    x = np.array([[a, b] for a in g for b in g if a * a + b * b <= 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RankDeficiencyWarning)
        res = layerwise_homology(ref.projection(), x, scale=0.25, mode="polyhedron", box=100)
    assert res.layers[-1].quotient.betti == (1, 0) == res.layers[-1].representation.betti


@pytest.mark.parametrize("mode", MODES)
def test_ov4_xor_rank_solution(ref, mode) -> None:
    with pytest.warns(RankDeficiencyWarning):
        dec = overlap_decomposition(ref.xor_rank(), ref.xor, mode=mode, scale=0.1, box=100)
    hidden, out = dec.layers
    assert hidden.classes == ()  # (0,0) and (1,1) share one rank-0 region: the rank source
    assert hidden.regions[hidden.region_of[0]].rank == 0
    assert hidden.region_of[0] == hidden.region_of[1]
    assert out.classes == ((2, 3),)


@pytest.mark.parametrize("mode", MODES)
def test_ov4_xor_overlap_solution_needs_tolerant_acceptance(ref, mode) -> None:
    dec = overlap_decomposition(ref.xor_overlap(), ref.xor, mode=mode, scale=0.1, box=100)
    first, second, readout = dec.layers
    assert first.classes == ()
    assert second.classes == ((0, 1),)
    assert readout.classes == ((0, 1), (2, 3))


def test_ov4_published_zero_slack_misses_the_readout_gluing(ref) -> None:
    from neurogeom.topology._published import published_overlap

    layers = published_overlap(ref.xor_overlap(), ref.xor)
    assert layers[1] == ((0, 1),)
    assert layers[2] in (((0, 1),), ((0, 1), (2, 3)))  # zero slack may reject (2, 3)


@pytest.mark.parametrize("engine", ENGINES)
def test_engines_agree_on_barcodes(circle48, engine) -> None:
    pytest.importorskip("gudhi")
    mirror = [(k, 23 - k) for k in range(12)]
    for backend in ("metric", "cone"):
        a = quotient_homology(circle48, mirror, scale=0.2, backend=backend, engine="gudhi")
        b = quotient_homology(circle48, mirror, scale=0.2, backend=backend, engine="gf2")
        assert a.betti == b.betti
        assert len(a.bars) == len(b.bars)
        for da, db in zip(a.bars, b.bars, strict=True):
            assert np.allclose(sorted(da), sorted(db))
