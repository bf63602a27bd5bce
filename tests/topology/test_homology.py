"""Quotient and representation homology: known quotients, both engines, both backends."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neurogeom import InvalidInputError, ReLUNet
from neurogeom.topology import homology as homology_module
from neurogeom.topology import (
    layerwise_homology,
    overlap_decomposition,
    persistence,
    quotient_homology,
    representation,
    representation_homology,
    rips_edges,
    sample_circle,
    sample_figure_eight,
    sample_shells,
)

ENGINES = ["gudhi", "gf2"]


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    if request.param == "gudhi":
        pytest.importorskip("gudhi")
    return request.param


def grid_torus(a: int = 8, b: int = 16, major: float = 2.0) -> np.ndarray:
    th, ph = np.meshgrid(2 * np.pi * (np.arange(b) + 0.5) / b, 2 * np.pi * (np.arange(a) + 0.5) / a)
    th, ph = th.ravel(), ph.ravel()
    ring = major + np.cos(ph)
    return np.column_stack([ring * np.cos(th), ring * np.sin(th), np.sin(ph)])


def test_point_clouds_with_known_betti_numbers(engine) -> None:
    assert quotient_homology(sample_circle(48, evenly=True), engine=engine).betti == (1, 1)
    assert quotient_homology(sample_figure_eight(60, evenly=True), engine=engine).betti == (1, 2)
    x, _ = sample_shells(200, (1.0, 2.0), seed=0)
    assert quotient_homology(x, scale=0.5, engine=engine).betti == (2, 2)
    torus = quotient_homology(grid_torus(), scale=1.5, maxdim=2, engine=engine, max_scale=1.5)
    assert torus.betti == (1, 2, 1)


def test_the_torus_needs_tetrahedra() -> None:
    n, pairs, lengths = rips_edges(grid_torus(), 1.5)
    triangles_only = homology_module._flag_simplices(n, pairs, lengths, 2)
    bars = persistence(triangles_only, maxdim=2, engine="gf2")
    assert sum(1 for b, d in bars[2] if b <= 1.5 < d) > 1  # β2 comes out wrong


def test_engines_give_the_same_barcodes() -> None:
    pytest.importorskip("gudhi")
    rng = np.random.default_rng(0)
    for _ in range(4):
        x = rng.normal(size=(30, 2))
        labels = rng.integers(0, 22, size=30)
        for backend in ("metric", "cone"):
            a = quotient_homology(x, labels, scale=0.6, backend=backend, engine="gudhi")
            b = quotient_homology(x, labels, scale=0.6, backend=backend, engine="gf2")
            assert a.betti == b.betti and a.simplices == b.simplices
            for da, db in zip(a.bars, b.bars, strict=True):
                assert np.allclose(np.array(da, float), np.array(db, float))


def test_quotient_metric_chains_distances() -> None:
    n, pairs, lengths = rips_edges([[0.0], [1.0], [2.0], [3.0]], 2.5, labels=[0, 1, 1, 2])
    assert n == 3 and pairs.tolist() == [[0, 1], [0, 2], [1, 2]]
    assert lengths.tolist() == [1.0, 2.0, 1.0]


def test_class_formats_agree(circle48, engine) -> None:
    mirror = [(k, 23 - k) for k in range(12)]
    labels = np.arange(48)
    for a, b in mirror:
        labels[b] = a
    by_classes = quotient_homology(circle48, mirror, scale=0.2, engine=engine)
    by_labels = quotient_homology(circle48, labels, scale=0.2, engine=engine)
    by_list = quotient_homology(circle48, labels.tolist(), scale=0.2, engine=engine)
    assert by_classes.betti == by_labels.betti == by_list.betti
    assert by_classes.vertices == by_labels.vertices == 36


def test_gluing_everything_is_a_point(circle48, engine) -> None:
    h = quotient_homology(circle48, [tuple(range(48))], scale=0.2, engine=engine)
    assert h.betti == (1, 0) and h.vertices == 1
    cone = quotient_homology(circle48, [tuple(range(48))], scale=0.2, engine=engine, backend="cone")
    assert cone.betti == (1, 0)


@pytest.mark.parametrize("mode", ["partner", "polyhedron", "hull"])
def test_quotient_equals_image_for_hand_built_nets(ref, circle48, engine, mode) -> None:
    for net in (ref.injective(), ref.fold()):
        res = layerwise_homology(net, circle48, scale=0.2, mode=mode, engine=engine, cone=False)
        for item in res.layers:
            assert item.quotient.betti == item.representation.betti
    t = np.linspace(0, 1, 31).reshape(-1, 1)
    res = layerwise_homology(ref.wrap(), t, scale=0.05, mode=mode, engine=engine)
    assert res.input.betti == (1, 0)
    assert res.layers[-1].quotient.betti == (1, 1) == res.layers[-1].representation.betti
    y = representation(ref.wrap(), t, 2)
    assert representation_homology(y, scale=0.15, engine=engine).betti == (1, 1)


def test_torus_through_an_injective_net(engine) -> None:
    eye = np.eye(3)
    net = ReLUNet([np.vstack([eye, -eye]), np.hstack([eye, -eye])])
    x = grid_torus()
    dec = overlap_decomposition(net, x, scale=1.5)
    assert all(item.classes == () for item in dec.layers)
    for item in dec.layers:
        h = quotient_homology(x, item, scale=1.5, maxdim=2, engine=engine, max_scale=1.5)
        assert h.betti == (1, 2, 1)


def test_representation_counts_coinciding_points_once(engine) -> None:
    y = np.repeat(sample_circle(30, evenly=True), 3, axis=0)
    h = representation_homology(y, engine=engine)
    assert h.betti == (1, 1) and h.vertices == 30


def test_betti_at_and_json(circle48, engine) -> None:
    h = quotient_homology(circle48, scale=0.2, engine=engine, max_scale=1.0)
    assert h.betti_at(0.1) == (48, 0) and h.betti_at(0.2) == (1, 1)
    with pytest.raises(InvalidInputError, match="beyond"):
        h.betti_at(2.0)
    doc = json.loads(json.dumps(h.to_dict()))
    assert doc["betti"] == [1, 1] and doc["bars"][0][0][1] is None


def test_layerwise_json(ref, circle48) -> None:
    res = layerwise_homology(ref.fold(), circle48, scale=0.2, engine="gf2")
    doc = json.loads(json.dumps(res.to_dict(bars=True)))
    assert doc["input_betti"] == [1, 1]
    last = doc["layers"][-1]
    assert {"layer", "regions", "overlap_classes", "betti"} <= set(last)
    assert last["betti"] == [1, 0] and last["quotient"]["backend"] == "metric"


def test_bad_arguments(circle48, monkeypatch) -> None:
    with pytest.raises(InvalidInputError, match="backend"):
        quotient_homology(circle48, backend="cw")
    with pytest.raises(InvalidInputError, match="engine"):
        quotient_homology(circle48, engine="ripser")
    with pytest.raises(InvalidInputError, match="maxdim"):
        quotient_homology(circle48, maxdim=-1)
    with pytest.raises(InvalidInputError, match="scale"):
        quotient_homology(circle48, scale=0)
    with pytest.raises(InvalidInputError, match="outside"):
        quotient_homology(circle48, [(0, 99)])
    with pytest.raises(InvalidInputError, match="shares"):
        quotient_homology(circle48, [(0, 1), (1, 2)])
    monkeypatch.setattr(homology_module, "GF2_MAX_SIMPLICES", 100)
    with pytest.raises(InvalidInputError, match="gudhi"):
        quotient_homology(circle48, scale=0.5, engine="gf2")
