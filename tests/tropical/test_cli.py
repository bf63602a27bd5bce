"""``neurogeom tropical``: the installed program as a subprocess, JSON contract, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = Path(sys.executable).with_name("neurogeom")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [str(PROGRAM)] if PROGRAM.exists() else [sys.executable, "-m", "neurogeom.cli"]
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, timeout=120, env=os.environ.copy()
    )


def test_json_contract_and_expression() -> None:
    res = run("tropical", "sectors", "--exact", "--regions", "--radius", "--json", "-q")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    out = doc["outputs"][0]
    assert (out["numerator_monomials"], out["denominator_monomials"]) == (4, 2)
    assert out["numerator"] == "max(0, 3*x2, 2*x1, 2*x1 + 3*x2)"
    assert doc["linear_regions"] == 6 and doc["linear_regions_point_connected"] == 5
    assert doc["effective_radius"] == 0.0 and doc["exact"] is True


def test_prune_and_text() -> None:
    res = run("tropical", "max2", "--prune", "-q")
    assert res.returncode == 0, res.stderr
    assert "f1(x) = max(" in res.stdout and "pruned after every layer" in res.stdout
    doc = json.loads(run("tropical", "max2", "--prune", "--json", "-q").stdout)
    assert doc["pruned"] is True and doc["monomials"] == 6


def test_large_net_is_refused_with_its_size(tmp_path) -> None:
    layers = [{"weight": [[1, -2], [3, 1], [-1, 1], [2, 2]], "bias": [0, 1, -1, 2]}]
    layers += [{"weight": [[1, -1, 2, 1]] * 4, "bias": [0, 1, 2, 3]}] * 3
    layers += [{"weight": [[1, 1, 1, 1]], "bias": [0]}]
    doc = {"format": "neurogeom-net", "version": 1, "activation": "relu", "layers": layers}
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(doc))
    res = run("tropical", str(path), "--max-monomials", "50", "-q")
    assert res.returncode == 3
    assert "monomials" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["no_such_net"], "neither a file nor a bundled example"),
        (["max2", "--max-monomials", "0"], "max-monomials"),
        (["max2", "--time-limit", "-1"], "time-limit"),
    ],
)
def test_bad_input_exit_2(args, needle) -> None:
    res = run("tropical", *args)
    assert res.returncode == 2, (res.stdout, res.stderr)
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1 and needle in err
    assert "Traceback" not in res.stderr


def test_maxout_rank_0_and_sigmoid_files_exit_2(tmp_path) -> None:
    maxout = {
        "format": "neurogeom-net",
        "version": 1,
        "activation": "maxout",
        "layers": [
            {"weight": [[1], [2]], "bias": [0, 0], "maxout": 0},
            {"weight": [[1]], "bias": [0]},
        ],
    }
    sigmoid = {
        "format": "neurogeom-net",
        "version": 1,
        "activation": "sigmoid",
        "layers": [{"weight": [[1]], "bias": [0]}, {"weight": [[1]], "bias": [0]}],
    }
    for name, doc, needle in (("m.json", maxout, "maxout"), ("s.json", sigmoid, "sigmoid")):
        path = tmp_path / name
        path.write_text(json.dumps(doc))
        res = run("tropical", str(path))
        assert res.returncode == 2, res.stderr
        assert needle in res.stderr.lower() and len(res.stderr.strip().splitlines()) == 1


def test_report_section(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    from neurogeom.core.budget import Budget
    from neurogeom.data import example_path
    from neurogeom.nets.io import load
    from neurogeom.report.registry import SectionContext
    from neurogeom.report.sections.tropical import SECTION

    net = load(example_path("sectors"), exact=True)
    assert SECTION.applies(net) is None
    res = SECTION.compute(SectionContext(net, "sectors", True, Budget.start(time_limit=60), False))
    assert res.status == "ok"
    assert res.data["monomials_before_pruning"] == 6
    assert res.data["monomials_after_pruning"] == 6
    assert res.data["effective_radius"] == 0.0
    assert [f.name for f in res.figures] == ["tropical_newton"]
    for item in res.items:
        value = res.data
        for part in item.key.split("."):
            value = value[part]
        assert value == item.value
