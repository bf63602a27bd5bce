"""The search on a Dask cluster (``client=``, ``--scheduler``): the same cells, patterns and
linear regions as one process, a lost worker loses nothing, and a checkpoint saved while
subtrees are out keeps them pending.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip("dask.distributed")

from neurogeom import save
from neurogeom.regions import enumerate as enumerate_module
from neurogeom.regions import enumerate_regions

BIN = Path(sys.executable).parent / "neurogeom"
COMMAND = [str(BIN)] if BIN.is_file() else [sys.executable, "-m", "neurogeom.cli"]


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes, each under a nanny that restarts it if it dies."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cl:
        yield cl


@pytest.fixture
def client(cluster):
    with distributed.Client(cluster) as c:
        yield c


def _same(a, b) -> None:
    assert a.complete and b.complete
    assert sorted(c.pattern for c in a.cells) == sorted(c.pattern for c in b.cells)
    assert (a.activation_regions, a.linear_regions, a.linear_regions_point_connected) == (
        b.activation_regions,
        b.linear_regions,
        b.linear_regions_point_connected,
    )


@pytest.mark.parametrize("exact", [False, True])
def test_a_cluster_finds_what_one_process_finds(client, random_net, exact):
    net = random_net([3, 6, 5, 4, 1], 5)
    one = enumerate_regions(net, exact=exact, progress=False)
    many = enumerate_regions(net, exact=exact, client=client, progress=False)
    _same(one, many)
    assert many.certified == one.certified


def _dying_subtree(marker, real):
    def run(*args):
        if not os.path.exists(marker):  # the first subtree to start kills its worker
            Path(marker).touch()
            os._exit(1)
        return real(*args)

    return run


@pytest.mark.slow
def test_a_lost_worker_loses_nothing(client, random_net, monkeypatch, tmp_path):
    import cloudpickle

    net = random_net([3, 6, 5, 4, 1], 6)
    one = enumerate_regions(net, progress=False)
    marker = str(tmp_path / "died")
    # the wrapper lives in this test module, which workers cannot import: ship it by value
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        monkeypatch.setattr(
            enumerate_module, "_subtree", _dying_subtree(marker, enumerate_module._subtree)
        )
        many = enumerate_regions(net, client=client, progress=False)
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert os.path.exists(marker)  # a worker did die
    _same(one, many)


def test_checkpoints_keep_subtrees_that_are_out(client, random_net, monkeypatch, tmp_path):
    net = random_net([3, 6, 5, 4, 1], 5)
    total = enumerate_regions(net, progress=False).activation_regions
    saves = []
    real = enumerate_module.save_checkpoint

    def spy(path, state, key):
        saves.append((len(state.cells), len(state.pending)))
        real(path, state, key)

    monkeypatch.setattr(enumerate_module, "save_checkpoint", spy)
    monkeypatch.setattr(enumerate_module, "AUTOSAVE_SECONDS", 0)
    ckpt = tmp_path / "run.ckpt"
    res = enumerate_regions(net, client=client, checkpoint=ckpt, progress=False)
    assert res.activation_regions == total
    mid_run = [(cells, pending) for cells, pending in saves if cells < total]
    assert mid_run  # autosaves happened while subtrees were out
    assert all(pending > 0 for _, pending in mid_run)


def test_client_and_workers_are_exclusive(client, random_net):
    from neurogeom.core.errors import InvalidInputError

    net = random_net([2, 3, 3, 1], 0)
    with pytest.raises(InvalidInputError, match="not both"):
        enumerate_regions(net, client=client, workers=2, progress=False)
    with pytest.raises(InvalidInputError, match=r"dask\.distributed\.Client"):
        enumerate_regions(net, client="tcp://nowhere", progress=False)
    with pytest.warns(RuntimeWarning, match="one hidden layer"):
        enumerate_regions(random_net([3, 4, 1], 0), client=client, progress=False)


def test_the_command_runs_on_a_scheduler(cluster, random_net, tmp_path):
    net = random_net([3, 6, 5, 4, 1], 5)
    path = tmp_path / "net.json"
    save(net, path)
    runs = [
        subprocess.run(
            [*COMMAND, "regions", str(path), "--json", "--quiet", *extra],
            capture_output=True,
            text=True,
            timeout=300,
        )
        for extra in ([], ["--scheduler", cluster.scheduler_address])
    ]
    for proc in runs:
        assert proc.returncode == 0, proc.stderr
    local, remote = (json.loads(p.stdout) for p in runs)
    for key in ("activation_regions", "linear_regions", "linear_regions_point_connected"):
        assert local[key] == remote[key]


@pytest.mark.slow
def test_an_unreachable_scheduler_is_one_line(random_net, tmp_path):
    path = tmp_path / "net.json"
    save(random_net([3, 4, 4, 1], 0), path)
    proc = subprocess.run(
        [*COMMAND, "regions", str(path), "--scheduler", "tcp://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "cannot reach a Dask scheduler" in line
