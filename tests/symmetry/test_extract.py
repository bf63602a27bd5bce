"""Black-box extraction: random shallow nets up to input dimension 10 and width 64 are recovered
and verified equivalent; queries are counted independently; budgets and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from neurogeom import InvalidInputError, ReLUNet, UnsupportedLayerError
from neurogeom.symmetry import ShallowNet, are_equivalent, extract_shallow
from neurogeom.symmetry.extract import DEFAULT_EXTRACTION_TOL


def gaussian(m: int, n: int, k: int, seed: int) -> ShallowNet:
    rng = np.random.default_rng(seed)
    return ShallowNet(
        rng.normal(size=(n, m)) / np.sqrt(m),
        rng.normal(size=n) * 0.5,
        rng.normal(size=(k, n)) / np.sqrt(n),
        c=rng.normal(size=k),
    )


class Counter:
    """A black box that counts the points it is asked about."""

    def __init__(self, net: ShallowNet) -> None:
        self.net = net
        self.points = 0

    def __call__(self, x: np.ndarray) -> np.ndarray:
        self.points += len(x)
        return self.net.evaluate(x)


@pytest.mark.parametrize(
    ("m", "n", "k", "seed"),
    [(1, 3, 1, 0), (2, 8, 1, 1), (3, 12, 2, 2), (5, 16, 1, 3), (4, 10, 3, 4)],
)
def test_small_nets_are_recovered_and_verified(m: int, n: int, k: int, seed: int) -> None:
    hidden = gaussian(m, n, k, seed)
    box = Counter(hidden)
    res = extract_shallow(box, m, seed=seed)
    assert res.complete and res.width == n
    assert res.queries == box.points  # every query is counted
    verdict = are_equivalent(res.net, hidden, tol=DEFAULT_EXTRACTION_TOL)
    assert verdict.verdict == "equivalent"
    assert extract_shallow(hidden, seed=seed).verdict == "equivalent"


@pytest.mark.slow
@pytest.mark.parametrize(("m", "n", "k"), [(10, 32, 1), (10, 64, 1), (8, 48, 2), (10, 64, 2)])
@pytest.mark.parametrize("seed", [0, 1])
def test_nets_up_to_dimension_10_and_width_64(m: int, n: int, k: int, seed: int) -> None:
    hidden = gaussian(m, n, k, seed + 100)
    res = extract_shallow(hidden, seed=seed)
    assert res.complete and res.width == n and res.verdict == "equivalent"
    assert res.queries / n < 400


def test_structure_of_the_hidden_net_is_recovered_as_its_function() -> None:
    # duplicates, a dead neuron and a skip term: the canonical form is what can be recovered
    rng = np.random.default_rng(5)
    w, b = rng.normal(size=(6, 3)), rng.normal(size=6)
    a, v = rng.normal(size=(2, 6)), rng.normal(size=(2, 3))
    w[1], b[1] = 2 * w[0], 2 * b[0]
    a[:, 5] = 0
    hidden = ShallowNet(w, b, a, v=v)
    res = extract_shallow(hidden, seed=1)
    assert res.width == 4 and res.verdict == "equivalent"


def test_a_callable_and_hyperplanes_through_the_origin() -> None:
    res = extract_shallow(lambda x: np.abs(x[:, 0] - x[:, 1]) + np.maximum(x[:, 0] + 1, 0), 2)
    assert res.complete and res.width == 2 and res.verdict is None
    offsets = sorted(abs(kk.offset) for kk in res.form.kinks)
    assert offsets[0] < 1e-9 and abs(offsets[1] - 1) < 1e-9
    relu = ReLUNet([[[1.0, 2.0], [3.0, -1.0]], [[1.0, 1.0]]])
    assert extract_shallow(relu).verdict == "equivalent"
    leaky = ReLUNet([[[1.0, 2.0], [3.0, -1.0]], [[1.0, 1.0]]], negative_slope=0.25)
    assert extract_shallow(leaky).verdict == "equivalent"


def test_a_small_budget_gives_a_partial_result() -> None:
    res = extract_shallow(gaussian(3, 8, 1, 0), max_queries=60)
    assert not res.complete and res.queries <= 60
    assert res.to_dict()["complete"] is False


def test_bad_input() -> None:
    net = gaussian(2, 3, 1, 0)
    for bad in (0, -5, True, 2.5):
        with pytest.raises(InvalidInputError, match="query budget must be a positive integer"):
            extract_shallow(net, max_queries=bad)
    with pytest.raises(InvalidInputError, match="n_inputs must be a positive integer"):
        extract_shallow(lambda x: x.sum(axis=1))
    with pytest.raises(InvalidInputError, match="radius"):
        extract_shallow(net, radius=0)
    with pytest.raises(InvalidInputError, match="tol"):
        extract_shallow(net, tol=0.0)
    with pytest.raises(InvalidInputError, match="finite outputs of shape"):
        extract_shallow(lambda x: np.full((len(x), 1), np.nan), 2)
    with pytest.raises(InvalidInputError, match="callable oracle"):
        extract_shallow("not a net")
    with pytest.raises(UnsupportedLayerError, match="shallow"):
        extract_shallow(ReLUNet([[[1.0]], [[1.0]], [[1.0]]]))


def test_json_reports_queries_and_the_form() -> None:
    doc = extract_shallow(gaussian(2, 4, 1, 3), seed=0).to_dict()
    assert doc["verified"] is True and doc["width"] == 4
    assert doc["queries"] > 0 and doc["queries_per_neuron"] == doc["queries"] / 4
    assert len(doc["hyperplanes"]) == 4 and set(doc["affine"]) == {"linear", "constant"}
