"""Checkpoints of the search engine (``regions/_checkpoint.py``) and resuming from them.

A saved state reads back bit for bit (floats in hex, rationals as strings); a checkpoint of
another network, domain, arithmetic or tolerance, a malformed file or another format version is
refused with one clear line; a search resumed any number of times finds every cell exactly once;
Ctrl-C (in the library and in the program) keeps the checkpoint and says where it is.
"""

from __future__ import annotations

import json
import os
import signal
import time
from fractions import Fraction

import numpy as np
import pytest

from neurogeom import Domain, InvalidInputError, ReLUNet, save
from neurogeom.core.tolerances import Tolerances
from neurogeom.regions import Note, enumerate_regions
from neurogeom.regions._checkpoint import fingerprint, load_checkpoint, save_checkpoint
from neurogeom.regions._engine import FacetHints, FoundCell
from neurogeom.regions._search import Node, SearchState, Task


# -- the file --------------------------------------------------------------------------------------
def _state() -> SearchState:
    third = np.array([Fraction(1, 3), Fraction(-2, 7)], dtype=object)
    state = SearchState(
        pending=[
            Task(Node(1, np.array([True, False]), np.array([0.1, -1e-300]), 0.25, None)),
            Task(Node(0, np.zeros(0, dtype=bool), np.array([np.pi, 2.0**60]), 1e-12, third)),
        ],
        cells=[
            FoundCell(np.array([True, True, False]), np.array([1 / 3, 2 / 3]), 0.5, third),
            FoundCell(
                np.array([False, False, True]),
                np.array([-0.0, 5e-324]),
                0.0,
                None,
                facets=FacetHints(((2,),), ((0, 1),)),
            ),
        ],
        nodes=17,
    )
    state.add_notes([Note("thin cell", "a thin one", ("101",), (0, 2), 3.5e-10)])
    return state


def test_a_saved_state_reads_back_exactly(tmp_path):
    path = tmp_path / "s.ckpt"
    state = _state()
    save_checkpoint(path, state, "key")
    back = load_checkpoint(path, "key")
    assert back.nodes == 17
    assert list(back.notes.values()) == list(state.notes.values())
    assert len(back.pending) == len(state.pending)
    for got, want in zip(back.pending, state.pending, strict=True):
        assert got.node.depth == want.node.depth
        assert got.node.prefix.tolist() == want.node.prefix.tolist()
        assert got.node.point.tobytes() == want.node.point.tobytes()  # bit for bit
        assert got.node.radius == want.node.radius
        if want.node.exact_point is None:
            assert got.node.exact_point is None
        else:
            assert got.node.exact_point.tolist() == want.node.exact_point.tolist()
    for got, want in zip(back.cells, state.cells, strict=True):
        assert got.pattern.tolist() == want.pattern.tolist()
        assert got.point.tobytes() == want.point.tobytes()
        assert got.radius == want.radius
        assert (got.exact_point is None) == (want.exact_point is None)
        assert got.facets == want.facets  # what the search learnt of its facets, or None
        if want.exact_point is not None:
            assert all(isinstance(v, Fraction) for v in got.exact_point)
            assert got.exact_point.tolist() == want.exact_point.tolist()
    doc = json.loads(path.read_text())
    assert doc["format"] == "neurogeom-regions-checkpoint"
    assert doc["complete"] is False
    save_checkpoint(path, SearchState(), "key")
    assert json.loads(path.read_text())["complete"] is True


def test_a_missing_checkpoint_means_a_fresh_start(tmp_path):
    assert load_checkpoint(tmp_path / "none.ckpt", "key") is None


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(format="something else"), "not a neurogeom checkpoint"),
        (lambda d: d.update(version=1), "another version of the format"),
        (lambda d: d.pop("pending"), "malformed"),
        (lambda d: d["cells"][0].update(pattern=3), "malformed"),
        (lambda d: d["cells"][0].update(point=["0x1.8p+1", "zz"]), "malformed"),
        (lambda d: d.update(fingerprint="other"), "another network, domain or tolerance"),
    ],
)
def test_bad_checkpoints_are_refused_in_one_line(tmp_path, edit, message):
    path = tmp_path / "s.ckpt"
    save_checkpoint(path, _state(), "key")
    doc = json.loads(path.read_text())
    edit(doc)
    path.write_text(json.dumps(doc))
    with pytest.raises(InvalidInputError, match=message) as info:
        load_checkpoint(path, "key")
    assert "\n" not in str(info.value)
    path.write_text("[1, 2]")
    with pytest.raises(InvalidInputError, match="malformed"):
        load_checkpoint(path, "key")


def test_the_fingerprint_names_everything_that_determines_the_answer():
    net = ReLUNet([[[1, 2], [3, -1]], [[1, 1]]], [[0, "1/2"], [0]])
    box = Domain.box(-1, 1, dim=2)
    key = fingerprint(net, box, exact=True, tol=Tolerances())
    # equal values give the same key (the search passes the net in its working arithmetic)
    same = ReLUNet([[[1, 2], [3, -1]], [[1, 1]]], [[0, 0.5], [0]]).to_exact()
    assert fingerprint(same, Domain.box("-1", 1.0, dim=2), exact=True, tol=Tolerances()) == key
    others = [
        fingerprint(net * 2, box, exact=True, tol=Tolerances()),
        fingerprint(net, Domain.box(-1, 2, dim=2), exact=True, tol=Tolerances()),
        fingerprint(net, Domain.whole(2), exact=True, tol=Tolerances()),
        fingerprint(net, box, exact=False, tol=Tolerances()),
        fingerprint(net, box, exact=True, tol=Tolerances(rel=1e-8)),
        fingerprint(net, box, exact=True, tol=Tolerances(band=10.0)),
    ]
    assert len({key, *others}) == len(others) + 1


# -- resuming a search ---------------------------------------------------------------------------
@pytest.mark.slow
def test_checkpoint_resumes_without_loss_or_double_count(tmp_path, search_net, search_net_cells):
    net, full = search_net, search_net_cells
    ckpt = tmp_path / "search.ckpt"
    seen = 0
    for _ in range(200):
        res = enumerate_regions(
            net,
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
    again = enumerate_regions(net, method="search", checkpoint=ckpt, progress=False, volumes=False)
    assert again.counts() == full.counts()


def test_checkpoint_of_another_problem_is_refused(tmp_path, search_net):
    ckpt = tmp_path / "c.ckpt"
    enumerate_regions(search_net, method="search", checkpoint=ckpt, progress=False, volumes=False)
    with pytest.raises(InvalidInputError, match="another network"):
        enumerate_regions(search_net * 2, method="search", checkpoint=ckpt, progress=False)
    ckpt.write_text("{not json")
    with pytest.raises(InvalidInputError, match="malformed"):
        enumerate_regions(search_net, method="search", checkpoint=ckpt, progress=False)


# -- Ctrl-C ----------------------------------------------------------------------------------------
def _interrupt_after(monkeypatch, n_nodes: int) -> None:
    """Make the search raise KeyboardInterrupt (as Ctrl-C does) after ``n_nodes`` nodes."""
    from neurogeom.regions import _search

    real = _search.Searcher.process
    count = [0]

    def process(self, task, out=None):
        count[0] += 1
        if count[0] > n_nodes:
            raise KeyboardInterrupt
        return real(self, task, out)

    monkeypatch.setattr(_search.Searcher, "process", process)


def test_ctrl_c_keeps_the_checkpoint_and_resuming_finishes(monkeypatch, tmp_path, random_net):
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


def test_cli_ctrl_c_says_where_the_search_is_kept_and_exits_130(monkeypatch, tmp_path, random_net):
    import inspect

    from click.testing import CliRunner

    from neurogeom.cli import main

    # click < 8.2 mixes stderr into the output unless told not to
    runner = CliRunner(
        **({"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {})
    )
    net_file = tmp_path / "net.json"
    save(random_net([3, 8, 6, 1], 8), net_file)
    ckpt = tmp_path / "run.ckpt"
    _interrupt_after(monkeypatch, 5)
    result = runner.invoke(main, ["regions", str(net_file), "--checkpoint", str(ckpt), "-q"])
    assert result.exit_code == 130
    assert f"saved in {ckpt}" in result.stderr and "resume" in result.stderr
    result = runner.invoke(main, ["regions", str(net_file), "-q"])
    assert result.exit_code == 130
    assert "--checkpoint" in result.stderr  # says how to make it resumable next time


@pytest.mark.slow
def test_a_real_ctrl_c_exits_130_without_a_traceback(tmp_path, random_net, terminal):
    net_file = tmp_path / "big.json"
    save(random_net([6, 10, 10, 1], 7), net_file)
    ckpt = tmp_path / "big.ckpt"
    proc, reader = terminal.start(["regions", str(net_file), "--checkpoint", str(ckpt), "--json"])
    terminal.read(reader, until="cells")  # the search has started
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    err = terminal.read(reader)
    out, _ = proc.communicate(timeout=120)
    os.close(reader)
    assert proc.returncode == 130, err
    assert out == ""
    assert "Traceback" not in err
    assert f"saved in {ckpt}" in err
    assert json.loads(ckpt.read_text())["format"] == "neurogeom-regions-checkpoint"
