"""Bad input files and unwritable outputs, through the installed ``neurogeom`` command.

Each case runs the real console script in a subprocess (the one installed beside the running
Python, falling back to ``python -m neurogeom.cli``) and checks what a user sees: exit status 2,
one line on stderr naming the problem, no traceback; or, for files that are read with an
assumption, exit 0 and one warning line.
"""

from __future__ import annotations

import json
import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "neurogeom"
COMMAND = [str(BIN)] if BIN.is_file() else [sys.executable, "-m", "neurogeom.cli"]


def neurogeom(
    *args: object, umask: int = -1, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        umask=umask,
        cwd=cwd,
    )


def bad_input(proc: subprocess.CompletedProcess, *needles: str) -> str:
    """Exit status 2, exactly one line on stderr that names the problem, no traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("neurogeom: error: "), lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder nobody can create files in: read-only for a user; ``/proc`` for root."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    return Path("/proc")  # root may write anywhere on a disk, but no one creates files here


# -- JSON ----------------------------------------------------------------------------------------
def test_json_nested_100000_deep_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    bad_input(neurogeom("info", path), "deep.json", "nested too deeply")


def test_exact_mode_on_a_weight_beyond_float64_says_why(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_text('{"layers": [{"weight": [[1, 1], [1, 1e400]]}, {"weight": [[1, 1]]}]}')
    line = bad_input(
        neurogeom("regions", path, "--exact", "-q"),
        f"{path}: layer 0: weight[1, 1] (about 1e+400) is beyond the float64 range",
        "float64 LPs even in exact mode",
    )
    assert "keep the network exact" not in line


# -- outputs ---------------------------------------------------------------------------------------
def test_report_and_figure_respect_the_umask(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "report"
    proc = neurogeom("analyze", "abs", "--out", out, "-q", umask=0o022)
    assert proc.returncode == 0, proc.stderr
    plot = tmp_path / "max2.png"
    proc = neurogeom("regions", "max2", "--plot", plot, "-q", umask=0o022)
    assert proc.returncode == 0, proc.stderr
    files = [out / "report.json", plot, *out.glob("*.png")]
    assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o644}


def test_a_checkpoint_in_an_unwritable_folder_names_the_checkpoint(tmp_path: Path) -> None:
    target = unwritable_folder(tmp_path) / "ck.json"
    line = bad_input(neurogeom("regions", "max2", "--checkpoint", target, "-q"), str(target))
    assert ".tmp" not in line and ".ck.json." not in line


# -- PyTorch files ---------------------------------------------------------------------------------
class _Payload:
    """Unpickling this would call ``os.getcwd`` (harmless, but code all the same)."""

    def __reduce__(self) -> tuple:
        return (os.getcwd, ())


def test_a_malicious_raw_pickle_is_refused_in_one_line(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    path = tmp_path / "evil.pth"
    path.write_bytes(pickle.dumps({"0.weight": _Payload()}, protocol=4))
    line = bad_input(neurogeom("info", path), "evil.pth", "not a plain state_dict")
    assert "UserWarning" not in line and "corrupt" not in line and "weights_only" not in line


def test_an_empty_pt_file_says_it_is_empty(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    path = tmp_path / "empty.pt"
    path.write_bytes(b"")
    bad_input(neurogeom("info", path), "empty.pt: the file is empty")


def test_a_state_dict_without_bias_counts_real_parameters(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    nn = torch.nn
    model = nn.Sequential(
        nn.Linear(2, 4, bias=False),
        nn.ReLU(),
        nn.Linear(4, 4, bias=False),
        nn.ReLU(),
        nn.Linear(4, 1, bias=False),
    )
    path = tmp_path / "nobias.pt"
    torch.save(model.state_dict(), path)
    proc = neurogeom("info", path, "--activation", "relu", "--json")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert json.loads(proc.stdout)["parameters"] == sum(p.numel() for p in model.parameters()) == 28


def test_a_leaky_state_dict_warns_that_relu_was_assumed(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    nn = torch.nn
    model = nn.Sequential(nn.Linear(2, 3), nn.LeakyReLU(0.2), nn.Linear(3, 1))
    path = tmp_path / "leaky.pt"
    torch.save(model.state_dict(), path)
    proc = neurogeom("info", path, "--json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["activation"] == "relu"
    warning = proc.stderr.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("neurogeom: warning: ")
    assert "leaky.pt" in warning[0] and "assumed ReLU" in warning[0]
    assert "--activation" in warning[0]
    proc = neurogeom("info", path, "--activation", "leaky_relu:0.2", "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    assert json.loads(proc.stdout)["activation"] == "leaky_relu:0.2"
    bad_input(neurogeom("info", path, "--activation", "tanh"), "unknown activation 'tanh'")


def test_checkpoint_dictionaries(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    nn = torch.nn
    sd = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)).state_dict()
    one = tmp_path / "one.pt"
    torch.save({"model": sd, "epoch": 3}, one)
    proc = neurogeom("info", one, "--activation", "relu", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["architecture"] == [2, 3, 1]
    two = tmp_path / "two.pt"
    torch.save({"model": sd, "ema": sd, "epoch": 3}, two)
    bad_input(neurogeom("info", two), "two.pt", "'model', 'ema'")


def test_an_onnx_classifier_ending_in_sigmoid_is_read_with_a_note(tmp_path: Path) -> None:
    onnx = pytest.importorskip("onnx")
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    nodes = [
        helper.make_node("Gemm", ["x", "W"], ["z"], transB=1),
        helper.make_node("Relu", ["z"], ["h"]),
        helper.make_node("Gemm", ["h", "V"], ["l"], transB=1),
        helper.make_node("Sigmoid", ["l"], ["y"], name="prob"),
    ]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.DOUBLE, ["N", 2])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, ["N", 1])],
        [
            numpy_helper.from_array(np.array([[1.0, -1.0], [0.0, 1.0]]), "W"),
            numpy_helper.from_array(np.array([[1.0, 1.0]]), "V"),
        ],
    )
    path = tmp_path / "clf.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    proc = neurogeom("regions", path, "--json", "-q")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["activation_regions"] == 4
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "output_transform='sigmoid'" in lines[0]
