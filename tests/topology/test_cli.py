"""``neurogeom homology``: the installed program (subprocess) and in-process bad-input checks."""

from __future__ import annotations

import inspect
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from neurogeom import RationalNet, ReLUNet
from neurogeom.cli import main
from neurogeom.nets.io import save
from neurogeom.topology import sample_circle

SEPARATE_STDERR = (
    {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}
)
PROGRAM = Path(sys.executable).with_name("neurogeom")


def program(*args, cwd=None) -> subprocess.CompletedProcess:
    cmd = [str(PROGRAM)] if PROGRAM.exists() else [sys.executable, "-m", "neurogeom"]
    return subprocess.run(
        [*cmd, *map(str, args)], capture_output=True, text=True, env=os.environ.copy(), cwd=cwd
    )


def run(*args):
    return CliRunner(**SEPARATE_STDERR).invoke(main, [str(a) for a in args], catch_exceptions=True)


def bad(result, *needles) -> None:
    code = getattr(result, "exit_code", None)
    code = result.returncode if code is None else code
    assert code == 2, (code, result.stdout, result.stderr)
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("neurogeom: error:"), err
    assert "Traceback" not in result.stdout + result.stderr
    for n in needles:
        assert n.lower() in err.lower(), (n, err)


@pytest.fixture
def fold_net(tmp_path, ref) -> Path:
    target = tmp_path / "fold.json"
    save(ref.fold(), target)
    return target


def test_program_json_contract(tmp_path, fold_net, circle48) -> None:
    np.save(tmp_path / "circle.npy", circle48)
    out = program("homology", fold_net, tmp_path / "circle.npy", "--scale", "0.2", "--json", "-q")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["input_betti"] == [1, 1] and doc["mode"] == "partner"
    assert [
        (d["layer"], d["regions"], d["overlap_classes"], d["betti"]) for d in doc["layers"]
    ] == [
        (1, 4, 0, [1, 1]),
        (2, 4, 24, [1, 0]),
    ]
    assert doc["layers"][1]["betti_cone"] == [1, 23]


def test_program_formats_modes_and_text(tmp_path, fold_net, circle48) -> None:
    np.savetxt(tmp_path / "c.csv", circle48, delimiter=",", header="x,y")
    np.savez(tmp_path / "c.npz", x=circle48)
    a = program(
        "homology",
        fold_net,
        tmp_path / "c.csv",
        "--mode",
        "polyhedron",
        "--scale",
        "0.2",
        "--json",
        "-q",
        "--details",
        "--layer",
        "2",
        "--engine",
        "gf2",
    )
    assert a.returncode == 0, a.stderr
    doc = json.loads(a.stdout)
    assert doc["layers"][1]["classes"] == [list(range(24)), list(range(24, 48))]
    assert doc["engine"] == "gf2" and "bars" in doc["layers"][1]["quotient"]
    b = program("homology", fold_net, tmp_path / "c.npz", "--scale", "0.2", "-q")
    assert b.returncode == 0 and "Betti X/O" in b.stdout and "(1, 0)" in b.stdout


def test_plot(tmp_path, fold_net, circle48) -> None:
    pytest.importorskip("matplotlib")
    np.save(tmp_path / "c.npy", circle48)
    result = run("homology", fold_net, tmp_path / "c.npy", "--plot", tmp_path / "p.png", "-q")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
    bad(run("homology", fold_net, tmp_path / "c.npy", "--plot", tmp_path / "p.xyz"), "format")


def test_time_limit_exit_3(tmp_path) -> None:
    rng = np.random.default_rng(0)
    widths = (2, 32, 32, 32, 2)
    ws = [rng.normal(size=(o, i)) for i, o in itertools.pairwise(widths)]
    save(ReLUNet(ws, [rng.normal(size=o) for o in widths[1:]]), tmp_path / "big.json")
    np.save(tmp_path / "x.npy", sample_circle(3000, evenly=True))
    out = program(
        "homology",
        tmp_path / "big.json",
        tmp_path / "x.npy",
        "--time-limit",
        "0.01",
        "--json",
        "-q",
        "--mode",
        "polyhedron",
    )
    assert out.returncode == 3, out.stderr
    assert json.loads(out.stdout)["complete"] is False


def test_bad_input_in_process(tmp_path, fold_net, circle48) -> None:
    def data(name, arr):
        np.save(tmp_path / name, np.asarray(arr, dtype=float))
        return tmp_path / name

    bad(run("homology", fold_net, data("wide.npy", np.ones((5, 3)))), "3 column")
    nan = circle48.copy()
    nan[3, 1] = np.nan
    bad(run("homology", fold_net, data("nan.npy", nan)), "NaN or inf", "row 3")
    inf = circle48.copy()
    inf[5, 0] = np.inf
    bad(run("homology", fold_net, data("inf.npy", inf)), "NaN or inf")
    bad(run("homology", fold_net, data("empty.npy", np.zeros((0, 2)))), "empty")
    bad(run("homology", fold_net, data("one.npy", [[0.0, 1.0]])), "one point")
    bad(run("homology", fold_net, data("dup.npy", [[0, 1], [1, 0], [0, 1]])), "duplicate")
    bad(run("homology", fold_net, data("ok.npy", circle48), "--layer", "3"), "out of range")
    bad(run("homology", fold_net, data("ok.npy", circle48), "--layer", "0"), "input")
    bad(run("homology", fold_net, tmp_path / "missing.npy"), "no such data file")
    (tmp_path / "text.csv").write_text("a,b\nc,d\n")
    bad(run("homology", fold_net, tmp_path / "text.csv"), "numeric")
    bad(run("homology", fold_net, "example:nothing"), "unknown example")
    bad(run("homology", fold_net, data("ok.npy", circle48), "--box", "a", "b"), "box")
    bad(run("homology", fold_net, data("ok.npy", circle48), "--box", "0", "1"), "box")
    save(RationalNet([[[1.0, 0.0]], [[1.0]]]), tmp_path / "rational.json")
    bad(run("homology", tmp_path / "rational.json", tmp_path / "ok.npy"), "ReLU")
    bad(run("homology", fold_net, tmp_path / "ok.npy", "--mode", "paper"), "mode")


def test_program_bad_input_is_one_line(tmp_path, fold_net) -> None:
    np.save(tmp_path / "dup.npy", np.array([[0.0, 1.0], [0.0, 1.0], [2.0, 2.0]]))
    bad(program("homology", fold_net, tmp_path / "dup.npy"), "duplicate")
