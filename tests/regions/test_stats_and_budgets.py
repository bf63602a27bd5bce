"""What an enumeration reports about its own work, and how budgets and interrupts bound it."""

import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sysconfig
import termios
import time
from pathlib import Path

import numpy as np
import pytest

from neurogeom import ReLUNet, save
from neurogeom.core import lp as lp_module
from neurogeom.core.budget import Budget
from neurogeom.regions import enumerate as enumerate_module
from neurogeom.regions import enumerate_regions


def random_net(arch, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    ws = [rng.normal(size=(arch[i + 1], arch[i])) / np.sqrt(arch[i]) for i in range(len(arch) - 1)]
    bs = [rng.normal(size=arch[i + 1]) * 0.5 * scale for i in range(len(arch) - 1)]
    return ReLUNet(ws, bs)


def test_every_lp_is_counted_by_backend(monkeypatch):
    import highspy
    import scipy.optimize

    enumerate_regions(random_net([2, 3, 1], 0), progress=False)  # warm up the HiGHS banner probe
    calls = {"highs": 0, "scipy": 0}
    run, linprog = highspy.Highs.run, scipy.optimize.linprog

    def counted_run(self, *args, **kwargs):
        calls["highs"] += 1
        return run(self, *args, **kwargs)

    def counted_linprog(*args, **kwargs):
        calls["scipy"] += 1
        return linprog(*args, **kwargs)

    monkeypatch.setattr(highspy.Highs, "run", counted_run)
    monkeypatch.setattr(scipy.optimize, "linprog", counted_linprog)
    # a scipy-backed model (the fallback and the benchmark baseline) as well as HiGHS
    model = lp_module.LPModel([[1.0, 1.0]], [0.0], [1.0], backend="scipy")
    before = lp_module.lp_counts()
    model.solve([1.0, 1.0], maximize=True)
    assert (lp_module.lp_counts() - before).scipy == calls["scipy"] == 1
    calls["scipy"] = 0
    res = enumerate_regions(random_net([3, 6, 5, 1], 1), progress=False)
    assert res.stats.lps.highs == calls["highs"] > 0
    assert res.stats.lps.scipy == calls["scipy"]
    assert res.stats.lps.total == calls["highs"] + calls["scipy"] + res.stats.lps.exact


def test_exact_simplex_runs_are_counted():
    # a strip 1e-12 wide only the exact simplex can see
    net = ReLUNet([[[1, 0], [1, 0], [0, 1]], [[1, -2, 1]]], [[0, "-1/1000000000000", 0], [0]])
    res = enumerate_regions(net, exact=True, method="search", progress=False)
    assert res.activation_regions == 6
    assert res.stats.lps.exact > 0


def test_stats_name_the_phases():
    res = enumerate_regions(random_net([2, 5, 1], 2), domain=(-2, 2), progress=False)
    names = [name for name, _ in res.stats.phases]
    assert names == ["cells", "certify", "adjacency", "merge", "point contacts", "volumes"]
    assert res.stats.incomplete_phases == ()
    doc = res.to_dict()["stats"]
    assert set(doc) == {"lps", "nodes", "phases", "incomplete_phases", "seconds"}
    assert doc["lps"]["total"] == res.stats.lps.total


@pytest.mark.parametrize("method", ["search", "split"])
def test_the_time_limit_bounds_every_phase(monkeypatch, method):
    """The deadline passes right after the cells are found: every later phase stops at once
    and says so, instead of running unbounded."""
    net = random_net([2, 8, 8, 1], 3)
    full = enumerate_regions(net, domain=(-3, 3), method=method, progress=False)
    engines = {"search": enumerate_module.SearchEngine, "split": enumerate_module.PlanarEngine}
    real = engines[method].find_cells

    def then_out_of_time(self, problem, budget, progress):
        run = real(self, problem, budget, progress)
        object.__setattr__(budget, "deadline", time.monotonic() - 1)
        return run

    monkeypatch.setattr(engines[method], "find_cells", then_out_of_time)
    res = enumerate_regions(net, domain=(-3, 3), method=method, time_limit=3600, progress=False)
    assert not res.complete
    assert "certify" in res.stats.incomplete_phases
    assert res.activation_regions < full.activation_regions
    assert res.to_dict()["complete"] is False


def _neurogeom() -> str:
    return str(Path(sysconfig.get_path("scripts")) / "neurogeom")


def _start_on_a_terminal(args: list[str]) -> tuple[subprocess.Popen, int]:
    """Start the installed program with stderr on a pseudo-terminal (progress bars are drawn
    only for terminals); return the process and the terminal's reading end."""
    reader, writer = pty.openpty()
    # a fresh pseudo-terminal is 0 columns wide: give it a real size, as terminals have
    fcntl.ioctl(writer, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(
        [_neurogeom(), *args],
        stdout=subprocess.PIPE,
        stderr=writer,
        text=True,
    )
    os.close(writer)
    return proc, reader


def _read_terminal(reader: int, until: str | None = None, timeout: float = 300) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([reader], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(reader, 4096)
        except OSError:  # the program closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if until is not None and until.encode() in seen:
            break
    return seen.decode(errors="replace")


@pytest.mark.slow
def test_progress_bars_of_later_phases_have_totals(tmp_path):
    net = random_net([2, 24, 1], 4)
    net_file = tmp_path / "net.json"
    save(net, net_file)
    n = enumerate_regions(net, domain=(-3, 3), progress=False).activation_regions
    assert n > 200  # long enough for the later phases to draw bars
    proc, reader = _start_on_a_terminal(["regions", str(net_file), "--box", "-3", "3", "--json"])
    err = _read_terminal(reader)
    proc.wait(timeout=300)
    os.close(reader)
    assert proc.returncode == 0, err
    for phase in ("certify", "adjacency", "volumes"):
        assert phase in err
    assert f"/{n}" in err  # bars show their total


def test_budget_validation():
    with pytest.raises(ValueError, match="time_limit"):
        Budget.start(time_limit=float("nan"))
    with pytest.raises(ValueError, match="max_regions"):
        Budget.start(max_items=True)


def test_workers_say_when_they_do_not_apply():
    net = random_net([2, 4, 4, 1], 5)
    with pytest.warns(RuntimeWarning, match="split engine"):
        enumerate_regions(net, domain=(-1, 1), workers=2, progress=False)
    with pytest.warns(RuntimeWarning, match="one hidden layer"):
        enumerate_regions(random_net([3, 5, 1], 6), workers=2, progress=False)


def _interrupt_after(monkeypatch, n_nodes: int) -> None:
    """Make the search raise KeyboardInterrupt (as Ctrl-C does) after ``n_nodes`` nodes."""
    from neurogeom.regions import _search

    real = _search.Searcher.process
    count = [0]

    def process(self, task):
        count[0] += 1
        if count[0] > n_nodes:
            raise KeyboardInterrupt
        return real(self, task)

    monkeypatch.setattr(_search.Searcher, "process", process)


def test_ctrl_c_keeps_the_checkpoint_and_resuming_finishes(monkeypatch, tmp_path):
    net = random_net([3, 8, 6, 1], 8)
    full = enumerate_regions(net, progress=False, volumes=False)
    ckpt = tmp_path / "run.ckpt"
    with monkeypatch.context() as m:
        _interrupt_after(m, 5)
        with pytest.raises(KeyboardInterrupt):
            enumerate_regions(net, checkpoint=ckpt, progress=False)
    doc = json.loads(ckpt.read_text())
    assert doc["complete"] is False and doc["pending"]
    again = enumerate_regions(net, checkpoint=ckpt, progress=False, volumes=False)
    assert again.complete
    assert sorted(c.pattern for c in again.cells) == sorted(c.pattern for c in full.cells)


def test_cli_ctrl_c_says_where_the_search_is_kept_and_exits_130(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from neurogeom.cli import main

    net_file = tmp_path / "net.json"
    save(random_net([3, 8, 6, 1], 8), net_file)
    ckpt = tmp_path / "run.ckpt"
    _interrupt_after(monkeypatch, 5)
    result = CliRunner().invoke(main, ["regions", str(net_file), "--checkpoint", str(ckpt), "-q"])
    assert result.exit_code == 130
    assert f"saved in {ckpt}" in result.stderr and "resume" in result.stderr
    result = CliRunner().invoke(main, ["regions", str(net_file), "-q"])
    assert result.exit_code == 130
    assert "--checkpoint" in result.stderr  # says how to make it resumable next time


@pytest.mark.slow
def test_a_real_ctrl_c_exits_130_without_a_traceback(tmp_path):
    net_file = tmp_path / "big.json"
    save(random_net([6, 10, 10, 1], 7), net_file)
    ckpt = tmp_path / "big.ckpt"
    proc, reader = _start_on_a_terminal(
        ["regions", str(net_file), "--checkpoint", str(ckpt), "--json"]
    )
    _read_terminal(reader, until="cells")  # the search has started
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    err = _read_terminal(reader)
    out, _ = proc.communicate(timeout=120)
    os.close(reader)
    assert proc.returncode == 130, err
    assert out == ""
    assert "Traceback" not in err
    assert f"saved in {ckpt}" in err
    assert json.loads(ckpt.read_text())["format"] == "neurogeom-regions-checkpoint"
