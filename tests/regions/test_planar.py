"""The planar engine (2 inputs on a box): its exact maps are the network's, and in exact mode it
measures cells (rational polygons and areas) only when volumes are asked for.

The maps are checked cell by cell against :meth:`ReLUNet.local_affine_map` (layer-by-layer
composition, no code shared with the engine's per-root products), for several outputs, ReLU and
leaky ReLU; the areas against the box's area, exactly.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from neurogeom import ReLUNet
from neurogeom.regions import enumerate_regions


@pytest.mark.parametrize("slope", [0, "1/10"])
@pytest.mark.parametrize("arch", [[2, 6, 5, 3], [2, 5, 4, 4, 2]])
def test_exact_maps_are_the_networks_maps(random_net, arch, slope):
    base = random_net(arch, 7)
    net = ReLUNet(base.weights, base.biases, negative_slope=slope).to_exact()
    res = enumerate_regions(net, domain=(-2, 2), exact=True, point_connected=False, progress=False)
    assert res.method == "split" and res.activation_regions > 10
    for cell in res.cells:
        want = net.local_affine_map(np.array(cell.pattern, dtype=bool))
        assert [list(row) for row in cell.matrix] == want.matrix.tolist()
        assert list(cell.offset) == want.offset.tolist()
        assert all(type(v) is Fraction for row in cell.matrix for v in row)


def test_exact_areas_only_when_asked(random_net):
    net = random_net([2, 7, 6, 1], 2)
    plain = enumerate_regions(net, domain=(-2, 2), exact=True, progress=False)
    assert all(c.volume is None for c in plain.cells)
    measured = enumerate_regions(net, domain=(-2, 2), exact=True, volumes=True, progress=False)
    assert sum(c.volume for c in measured.cells) == 16  # exactly
    assert all(c.volume > 0 and len(c.vertices) >= 3 for c in measured.cells)
    assert [c.pattern for c in plain.cells] == [c.pattern for c in measured.cells]
    assert plain.linear_regions == measured.linear_regions
    # float mode measures every cell anyway (it costs next to nothing there)
    floats = enumerate_regions(net, domain=(-2, 2), progress=False)
    assert sum(c.volume for c in floats.cells) == pytest.approx(16.0, rel=1e-12)


NASTY = [
    # decimal weights (not float64 numbers), a leaky slope that is not one either, and weights
    # of very different sizes: the float maps' error bounds must hold on every root
    (
        [
            [["1/10", "-2/3"], ["7/3", "1/7"], ["-5/11", "1/10"]],
            [["1/3", "-1/10", "2"], ["1", "1", "1"]],
            [["3/7", "-1/9"], ["1", "2"]],
            [["1", "-1"]],
        ],
        "1/10",
    ),
    (
        [
            [["1e-9", "1"], ["1", "-1e9"], ["1/3", "1/3"]],
            [["1e6", "-1e-6", "1/3"], ["1/7", "1", "-1"]],
            [["1", "1"]],
        ],
        0,
    ),
]


@pytest.mark.parametrize("seed", range(4))
def test_exact_mode_float_maps_stay_within_their_error_bounds(monkeypatch, random_net, seed):
    """Exact mode certifies signs from float maps composed in float64, with bounds on their
    error: every root's float map is within its bound of the exact one (checked exactly)."""
    import flint

    from neurogeom.regions import _planar

    if seed < len(NASTY):
        weights, slope = NASTY[seed]
        net = ReLUNet(weights, negative_slope=slope, exact=True)
    else:
        base = random_net([2, 6, 6, 5, 1], seed)
        net = ReLUNet(base.weights, base.biases, negative_slope="1/3").to_exact()
    layers = []
    real = _planar._Engine._layer

    def record(self, layer, prev, roots, bits):
        lay = real(self, layer, prev, roots, bits)
        layers.append(lay)
        return lay

    monkeypatch.setattr(_planar._Engine, "_layer", record)
    res = enumerate_regions(net, domain=(-3, 3), exact=True, point_connected=False, progress=False)
    assert res.activation_regions > 3 and len(layers) == len(net.hidden_widths)

    def q(value):
        f = Fraction(value)
        return flint.fmpq(f.numerator, f.denominator)

    for lay in layers:
        n_roots, width = lay.cf.shape
        roots = np.arange(n_roots)
        for j in range(width):
            aq, cq = lay.exact.rows(roots, j)
            for r in range(n_roots):
                assert abs(q(lay.cf[r, j]) - cq[r]) <= q(lay.err_c[r, j])
                for k in range(2):
                    err = abs(q(lay.af[r, j, k]) - aq[r, k])
                    assert err <= q(lay.err_a[r, j, k])
