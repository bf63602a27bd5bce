"""Budgets, checkpoints and parallel workers of the search engine."""

import json

import numpy as np
import pytest

from neurogeom import InvalidInputError, ReLUNet
from neurogeom.regions import enumerate_regions


def random_net(arch, seed):
    rng = np.random.default_rng(seed)
    ws = [rng.normal(size=(arch[i + 1], arch[i])) / np.sqrt(arch[i]) for i in range(len(arch) - 1)]
    bs = [rng.normal(size=arch[i + 1]) * 0.5 for i in range(len(arch) - 1)]
    return ReLUNet(ws, bs)


NET = random_net([3, 8, 6, 1], seed=3)


@pytest.fixture(scope="module")
def full():
    return enumerate_regions(NET, method="search", progress=False, volumes=False)


def test_max_regions_gives_an_incomplete_lower_bound(full):
    part = enumerate_regions(NET, method="search", max_regions=10, progress=False, volumes=False)
    assert not part.complete
    assert 0 < part.activation_regions < full.activation_regions
    assert {c.pattern for c in part.cells} <= {c.pattern for c in full.cells}
    assert part.to_dict()["complete"] is False


def test_time_limit_marks_incomplete():
    part = enumerate_regions(
        random_net([4, 12, 12, 1], 0), time_limit=0.05, progress=False, volumes=False
    )
    assert not part.complete


def test_checkpoint_resumes_without_loss_or_double_count(tmp_path, full):
    ckpt = tmp_path / "search.ckpt"
    seen = 0
    for _ in range(200):
        res = enumerate_regions(
            NET,
            method="search",
            max_regions=seen + 40,
            checkpoint=ckpt,
            progress=False,
            volumes=False,
            point_connected=False,
        )
        patterns = [c.pattern for c in res.cells]
        assert len(patterns) == len(set(patterns))
        seen = res.activation_regions
        if res.complete:
            break
    assert res.complete
    assert sorted(c.pattern for c in res.cells) == sorted(c.pattern for c in full.cells)
    assert json.loads(ckpt.read_text())["complete"] is True
    again = enumerate_regions(NET, method="search", checkpoint=ckpt, progress=False, volumes=False)
    assert again.counts() == full.counts()


def test_checkpoint_of_another_problem_is_refused(tmp_path):
    ckpt = tmp_path / "c.ckpt"
    enumerate_regions(NET, method="search", checkpoint=ckpt, progress=False, volumes=False)
    with pytest.raises(InvalidInputError, match="another network"):
        enumerate_regions(NET * 2, method="search", checkpoint=ckpt, progress=False)
    ckpt.write_text("{not json")
    with pytest.raises(InvalidInputError, match="malformed"):
        enumerate_regions(NET, method="search", checkpoint=ckpt, progress=False)


def test_workers_give_the_same_cells(full):
    par = enumerate_regions(NET, method="search", workers=2, progress=False, volumes=False)
    assert par.complete
    assert sorted(c.pattern for c in par.cells) == sorted(c.pattern for c in full.cells)
    assert par.counts() == full.counts()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "nope"}, "method must be"),
        ({"method": "split"}, "needs a box domain"),
        ({"max_regions": 0}, "max_regions"),
        ({"time_limit": -1}, "time_limit"),
        ({"workers": 0}, "workers"),
        ({"tol": 2.0}, "tol"),
        ({"domain": (1, 0)}, "empty in coordinate 0"),
        ({"domain": ([[1, 0]], [1])}, "columns"),
        ({"domain": "everywhere"}, "domain must be"),
    ],
)
def test_bad_options_are_named(kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        enumerate_regions(NET, progress=False, **kwargs)


def test_rational_net_is_refused():
    from neurogeom import RationalNet, UnsupportedLayerError

    with pytest.raises(UnsupportedLayerError, match="piecewise-linear"):
        enumerate_regions(RationalNet([[[1.0]], [[1.0]]]), progress=False)
