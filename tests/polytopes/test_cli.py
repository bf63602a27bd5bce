"""``neurogeom polytope volume|mixed-volume``: the installed program and in-process runs."""

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

EXE = shutil.which("neurogeom") or str(Path(sys.executable).parent / "neurogeom")
SEPARATE_STDERR = (
    {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}
)


def ok_json(*args):
    proc = subprocess.run(
        [EXE, *map(str, args), "--json"], capture_output=True, text=True, env=os.environ.copy()
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def invoke(*args):
    return CliRunner(**SEPARATE_STDERR).invoke(main, [str(a) for a in args])


def bad(result, *needles):
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("neurogeom: error:"), err
    for n in needles:
        assert n.lower() in err.lower(), (n, err)


def write(tmp_path, data, name="p.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_polytope_volume(tmp_path):
    f = write(tmp_path, {"polytopes": [[[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]]})
    d = ok_json("polytope", "volume", f)
    assert d["dimension"] == 3 and d["volume"] == "1/6" and d["normalized_volume"] == 1
    f = write(tmp_path, {"polytopes": [[[0, 0], [2, 4]]]})
    d = json.loads(invoke("polytope", "volume", f, "--json").stdout)
    assert d["normalized_volume"] == 2 and d["dimension"] == 1 and d["volume"] == "2*sqrt(5)"
    f = write(tmp_path, '{"polytopes": [[[0, 0], [0.1, 0], [0, "1/2"]]]}')
    assert json.loads(invoke("polytope", "volume", f, "--json").stdout)["volume"] == "1/40"


def test_polytope_mixed_volume(tmp_path):
    s = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    f = write(
        tmp_path,
        {"polytopes": [s, [[2 * v for v in p] for p in s], [[3 * v for v in p] for p in s]]},
    )
    d = ok_json("polytope", "mixed-volume", f, "-q")
    assert d["mixed_volume"] == 6 and d["complete"] is True
    for method in ("polarization", "mixed-cells"):
        res = invoke("polytope", "mixed-volume", f, "--method", method, "-q", "--json")
        assert res.exit_code == 0 and json.loads(res.stdout)["mixed_volume"] == 6
    text = invoke("polytope", "mixed-volume", f, "-q").stdout
    assert "= 6" in text


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ({"polytopes": [[[0, 0], [1]]]}, "vertex [1] has 1 coordinates"),
        ({"polytopes": [[]]}, "empty"),
        ({"polytopes": []}, "non-empty"),
        ({"polytopes": [[[0, "a"]]]}, "vertex [0][1]"),
        ({"polytopes": [[[0, 0]], [[0, 0, 1]]]}, "different dimensions"),
        ({"vertices": []}, '"polytopes"'),
        ("{not json", "not a JSON file"),
    ],
)
def test_polytope_bad_files(tmp_path, content, needle):
    f = write(tmp_path, content)
    bad(invoke("polytope", "volume", f), needle)


def test_mixed_volume_wrong_count(tmp_path):
    f = write(tmp_path, {"polytopes": [[[0, 0], [1, 0]]]})
    bad(invoke("polytope", "mixed-volume", f), "needs exactly 2 polytopes")


def test_mixed_volume_time_limit(tmp_path):
    cyc = [[[int((i - j) % 5 < k) for i in range(5)] for j in range(5)] for k in range(1, 5)] + [
        [[1] * 5, [0] * 5]
    ]
    f = write(tmp_path, {"polytopes": cyc})
    res = invoke("polytope", "mixed-volume", f, "--time-limit", "1e-6", "-q", "--json")
    assert res.exit_code == 3 and json.loads(res.stdout)["complete"] is False
