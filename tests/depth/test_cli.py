"""``neurogeom depth`` and ``neurogeom polytope`` as installed programs (subprocess)."""

from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from neurogeom.cli import main

SEPARATE_STDERR = (
    {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}
)


def invoke(*args):
    res = CliRunner(**SEPARATE_STDERR).invoke(main, [str(a) for a in args])
    return subprocess.CompletedProcess(args, res.exit_code, res.stdout, res.stderr)


EXE = shutil.which("neurogeom") or str(Path(sys.executable).parent / "neurogeom")


def run(*args, check_json=False):
    proc = subprocess.run(
        [EXE, *map(str, args)], capture_output=True, text=True, env=os.environ.copy(), timeout=120
    )
    return proc


def ok_json(*args):
    proc = run(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def bad(proc, *needles):
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("neurogeom: error:"), err
    assert "Traceback" not in proc.stdout + proc.stderr
    for n in needles:
        assert n.lower() in err.lower(), (n, err)


def test_depth_max8_integer():
    d = ok_json("depth", "--max", "8", "--weights", "integer")
    assert d["lower_bound"] == 3 and d["upper_bound"] == 3 and d["verified"] is True
    cert = d["certificate"]
    assert cert["prime"] == 2 and cert["t"] == 2 and cert["restriction"] == [0, 1, 2, 3]
    assert cert["delta"] == 1


@pytest.mark.slow
def test_depth_decimal_and_explain():
    d = ok_json("depth", "--max", "10", "--weights", "decimal", "-q")
    assert d["lower_bound"] == 3
    d = ok_json("depth", "--max", "5", "--weights", "binary", "--explain", "-q")
    assert d["construction"]["computes"] is True
    assert "2 must divide the denominator" in d["construction"]["explanation"]
    text = run("depth", "--max", "8").stdout
    assert "at least 3 hidden layers" in text and "re-verified" in text


def test_depth_of_a_network(tmp_path):
    d = ok_json("depth", "max2", "--weights", "integer")
    assert d["lower_bound"] == 1 and d["upper_bound"] == 1
    d = ok_json("depth", "--function", "F_4")
    assert d["lower_bound"] == 3


def test_depth_bad_input(tmp_path):
    bad(run("depth", "--max", "0"), "--max")
    bad(invoke("depth", "--max", "3", "--weights", "nary:1"), "nary:N")
    bad(invoke("depth", "--max", "3", "--weights", "complex"), "weight class")
    bad(invoke("depth"), "exactly one")
    net = tmp_path / "float.json"
    net.write_text(
        json.dumps(
            {
                "format": "neurogeom-net",
                "version": 1,
                "activation": "relu",
                "layers": [{"weight": [[0.5, 1]], "bias": [0]}, {"weight": [[1]], "bias": [0]}],
            }
        )
    )
    bad(invoke("depth", net, "--weights", "integer"), "not in the weight class integer")
    res = invoke("depth", net, "--weights", "binary", "--json")
    assert json.loads(res.stdout)["lower_bound"] == 1
