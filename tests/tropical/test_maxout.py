"""Maxout networks in the tropical form: exact agreement, region counts, the command line."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogeom import MaxoutNet, UnsupportedLayerError, enumerate_regions
from neurogeom.tropical import estimate_monomials, linear_regions, tropicalize, tropicalize_layers

from .test_cli import run

# max(x, -x, x/2 + 1, -2x - 3, 0): pieces -2x - 3 | -x | x/2 + 1 | x, kinks at -3, -2/3, 2
ENVELOPE = MaxoutNet([[[1], [-1], ["1/2"], [-2], [0]], [[1]]], [[0, 0, 1, -3, 0], [0]], ranks=5)


@st.composite
def maxout_nets(draw, n_in=None, depth=None):
    n_in = draw(st.integers(1, 2)) if n_in is None else n_in
    depth = draw(st.integers(1, 2)) if depth is None else depth
    units = [draw(st.integers(1, 2)) for _ in range(depth)]
    ranks = [draw(st.integers(1, 3)) for _ in range(depth)]
    widths = [n_in, *units, 1]
    ws, bs = [], []
    for l in range(depth + 1):
        rows = widths[l + 1] * (ranks[l] if l < depth else 1)
        ws.append([[draw(st.integers(-3, 3)) for _ in range(widths[l])] for _ in range(rows)])
        bs.append([F(draw(st.integers(-4, 4)), 2) for _ in range(rows)])
    return MaxoutNet(ws, bs, ranks=ranks, exact=True)


def _points(n_in: int) -> list[list[F]]:
    vals = [F(-7, 3), F(-1), F(-1, 4), F(0), F(2, 5), F(3, 2), F(4)]
    return [list(p) for p in itertools.islice(itertools.product(vals, repeat=n_in), 40)]


@settings(max_examples=30, deadline=None)
@given(maxout_nets())
def test_tropical_form_equals_the_network_exactly(net) -> None:
    f = tropicalize(net, progress=False)
    pts = _points(net.n_inputs)
    assert f(pts).tolist() == net(pts).tolist()
    assert f.n_monomials <= estimate_monomials(net).total
    layers = tropicalize_layers(net)
    h = np.array(pts, dtype=object)
    for m in layers:
        h = m(h)
    assert h.tolist() == net(pts).tolist()


def test_pruned_and_float_forms_agree() -> None:
    net = MaxoutNet(
        [[[1, 0], [0, 1], [-1, 1], [1, 1]], [[1, -1], [2, 1]], [[1]]],
        [[0, 1, 0, "-1/2"], [0, 1], [0]],
        ranks=[2, 2],
    )
    pts = _points(2)
    exact = net(pts).tolist()
    assert tropicalize(net, prune=True, progress=False)(pts).tolist() == exact
    flt = tropicalize(net.to_float(), progress=False)
    np.testing.assert_allclose(
        flt(np.array(pts, dtype=float)), np.array(exact, dtype=float), atol=1e-12
    )


def _pieces_1d(net: MaxoutNet) -> int:
    """Linear pieces of a 1-input, one-hidden-layer maxout net, exactly.

    Kinks can only sit where two pre-activations of one unit tie; between consecutive such points
    the net is affine, and its slope and value there are read off exact evaluations. Neighbouring
    intervals with the same affine map are one region.
    """
    (w0, b0), rank = net.layers[0], net.ranks[0]
    cuts = set()
    for start in range(0, w0.shape[0], rank):
        for i, j in itertools.combinations(range(start, start + rank), 2):
            if w0[i, 0] != w0[j, 0]:
                cuts.add((b0[j] - b0[i]) / (w0[i, 0] - w0[j, 0]))
    cuts = sorted(cuts)
    if not cuts:
        return 1
    samples = [cuts[0] - 1, *((a + b) / 2 for a, b in itertools.pairwise(cuts)), cuts[-1] + 1]
    maps = []
    for x in samples:
        y0, y1 = net([x])[0], net([x + F(1, 10**9)])[0]
        slope = (y1 - y0) * 10**9
        maps.append((slope, y0 - slope * x))
    return 1 + sum(a != b for a, b in itertools.pairwise(maps))


def test_linear_regions_of_an_envelope_by_hand() -> None:
    res = linear_regions(ENVELOPE, progress=False)
    assert res.linear_regions == 4 == _pieces_1d(ENVELOPE)
    assert ENVELOPE([[-4], [-1], [0], [3]]).ravel().tolist() == [5, 1, 1, 3]


@settings(max_examples=25, deadline=None)
@given(maxout_nets(n_in=1, depth=1))
def test_linear_regions_match_brute_force_1d(net) -> None:
    assert linear_regions(net, exact=True, progress=False).linear_regions == _pieces_1d(net)


def test_enumerate_regions_refuses_maxout() -> None:
    with pytest.raises(UnsupportedLayerError, match=r"not maxout.*tropical"):
        enumerate_regions(ENVELOPE)


# -- command line --------------------------------------------------------------------------------
DOC = {
    "format": "neurogeom-net",
    "version": 1,
    "activation": "maxout",
    "layers": [
        {"weight": [[1], [-1], [2], [-3]], "bias": [0, 0, 1, "-1/2"], "maxout": 2},
        {"weight": [[1, -1]], "bias": [0]},
    ],
}


def test_cli_info_and_tropical(tmp_path) -> None:
    path = tmp_path / "maxout.json"
    path.write_text(json.dumps(DOC))
    res = run("info", str(path), "--json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["architecture"] == [1, 2, 1] and doc["activation"] == "maxout"
    assert doc["maxout_ranks"] == [2] and doc["parameters"] == 11
    text = run("info", str(path))
    assert "architecture  1-2-1" in text.stdout and "maxout ranks  2" in text.stdout
    res = run("tropical", str(path), "--exact", "--regions", "--json", "-q")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    # |x| - max(2x + 1, -3x - 1/2): pieces 2x + 1/2 | -3x - 1 | -x - 1
    assert doc["outputs"][0]["numerator"] == "max(3*x1, 5*x1)"
    assert doc["outputs"][0]["denominator"] == "max(x1 - 1/2, 6*x1 + 1)"
    assert doc["linear_regions"] == 3


def test_cli_exit_2(tmp_path) -> None:
    path = tmp_path / "maxout.json"
    path.write_text(json.dumps(DOC))
    res = run("regions", str(path))
    assert res.returncode == 2
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1 and "maxout" in err and "neurogeom tropical" in err
    bad = json.loads(json.dumps(DOC))
    bad["layers"][0]["maxout"] = 0
    path.write_text(json.dumps(bad))
    for cmd in ("info", "tropical"):
        res = run(cmd, str(path))
        assert res.returncode == 2 and "Traceback" not in res.stderr
        err = res.stderr.strip()
        assert len(err.splitlines()) == 1 and "'maxout' must be a positive integer" in err


def test_report_section_applies_to_maxout() -> None:
    from neurogeom.core.budget import Budget
    from neurogeom.report.registry import SectionContext
    from neurogeom.report.sections.tropical import SECTION

    assert SECTION.applies(ENVELOPE) is None
    res = SECTION.compute(
        SectionContext(ENVELOPE, "envelope", True, Budget.start(time_limit=60), False)
    )
    assert res.status == "ok"
    assert res.data["monomials_after_pruning"] <= res.data["monomials_before_pruning"]
