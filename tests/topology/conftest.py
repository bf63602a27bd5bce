"""Hand-built networks whose representations are known (spec §7) and the circle sample, handed
out as fixtures: ``ref`` holds the nets (``ref.fold()``, ...) and the XOR data (``ref.xor``)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from neurogeom import ReLUNet
from neurogeom.topology import sample_circle

PLUS_MINUS = [[1, 0], [0, 1], [-1, 0], [0, -1]]


def injective() -> ReLUNet:
    """OV1: the identity through [I; -I]."""
    return ReLUNet([PLUS_MINUS, [[1, 0, -1, 0], [0, 1, 0, -1]]])


def fold() -> ReLUNet:
    """OV2: (x, y) -> (|x|, y)."""
    return ReLUNet([PLUS_MINUS, [[1, 0, 1, 0], [0, 1, 0, -1]]])


def projection() -> ReLUNet:
    """OV3: (x, y) -> x (rank 1)."""
    return ReLUNet([[[1, 0], [-1, 0]], [[1, -1]]])


def xor_rank() -> ReLUNet:
    """OV4, the 'rank solution'."""
    return ReLUNet([[[-1, 1], [1, -1]], [[2, 2]]], [[-0.5, -0.5], [0]])


def xor_overlap() -> ReLUNet:
    """OV4, the 'overlap solution' with the added readout [[1, 1]]."""
    return ReLUNet(
        [[[2, 1], [1, 2], [-2, -1], [-1, -2]], [[1, -1, 0, 0], [0, 0, 1, -1]], [[1, 1]]],
        [[-0.5, -0.5, 2.5, 2.5], [0, 0], [0]],
    )


def wrap() -> ReLUNet:
    """[0, 1] -> the triangle (0,0) -> (1,0) -> (0,1) -> (0,0): the ends meet, a loop."""
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    slopes = 3 * np.diff(corners, axis=0)  # velocity on each third
    kinks = np.diff(slopes, axis=0, prepend=np.zeros((1, 2)))
    return ReLUNet([[[1.0], [1.0], [1.0]], kinks.T], [[0.0, -1 / 3, -2 / 3], corners[0]])


XOR = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])


@pytest.fixture
def circle48() -> np.ndarray:
    """θ_k = 2π(k + ½)/48, the reference sample."""
    return sample_circle(48, evenly=True)


@pytest.fixture
def ref() -> SimpleNamespace:
    """The reference nets and the XOR points."""
    return SimpleNamespace(
        injective=injective,
        fold=fold,
        projection=projection,
        xor_rank=xor_rank,
        xor_overlap=xor_overlap,
        wrap=wrap,
        xor=XOR.copy(),
    )
