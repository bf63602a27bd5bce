"""Samplers: shapes, radii, seeds, no global random state, bad arguments."""

from __future__ import annotations

import numpy as np
import pytest

from neurogeom.core.errors import InvalidInputError
from neurogeom.topology import (
    sample_circle,
    sample_figure_eight,
    sample_shells,
    sample_sphere,
    sample_torus,
)

SAMPLERS = [
    lambda seed: sample_circle(30, seed=seed, noise=0.01),
    lambda seed: sample_sphere(30, dim=3, seed=seed),
    lambda seed: sample_torus(30, seed=seed),
    lambda seed: sample_figure_eight(30, seed=seed),
    lambda seed: sample_shells(10, (1, 2, 3), seed=seed)[0],
]


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_seeded_float_arrays_and_no_global_state(sampler) -> None:
    np.random.seed(123)  # noqa: NPY002
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    a, b = sampler(7), sampler(7)
    assert a.dtype == np.float64 and a.ndim == 2 and a.shape[0] == 30
    assert (a == b).all()
    assert not np.array_equal(a, sampler(8))
    assert (np.random.get_state()[1] == before).all()  # noqa: NPY002


def test_geometry() -> None:
    x = sample_circle(48, evenly=True, radius=2.0, center=(1, 1))
    assert np.allclose(np.linalg.norm(x - 1, axis=1), 2.0)
    assert np.abs(x - 1).min() > 1e-3  # no point on the axes through the centre
    s = sample_sphere(50, dim=1)
    assert s.shape == (50, 2) and np.allclose(np.linalg.norm(s, axis=1), 1)
    e = sample_figure_eight(41, evenly=True, radius=0.5)
    d = np.minimum(
        np.abs(np.linalg.norm(e - [0.5, 0], axis=1) - 0.5),
        np.abs(np.linalg.norm(e - np.array([-0.5, 0]), axis=1) - 0.5),
    )
    assert np.allclose(d, 0) and (e[:, 0] < 0).sum() == 21
    t = sample_torus(4000, seed=1)
    # area-uniform: more points on the outer half of the tube than on the inner half
    rho = np.hypot(t[:, 0], t[:, 1])
    assert (rho > 2).sum() > 1.5 * (rho < 2).sum()
    x, shell = sample_shells(20, (1.0, 1.5), dim=2, seed=0)
    assert x.shape == (40, 3) and np.allclose(np.linalg.norm(x, axis=1), np.where(shell, 1.5, 1))


@pytest.mark.parametrize(
    "call",
    [
        lambda: sample_circle(0),
        lambda: sample_circle(3.5),
        lambda: sample_circle(3, radius=-1),
        lambda: sample_circle(3, noise=-1),
        lambda: sample_sphere(3, dim=0),
        lambda: sample_torus(3, major=1, minor=2),
        lambda: sample_figure_eight(1),
        lambda: sample_shells(3, ()),
        lambda: sample_circle(3, seed=1.5),
    ],
)
def test_bad_arguments(call) -> None:
    with pytest.raises(InvalidInputError):
        call()
