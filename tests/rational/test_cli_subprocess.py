"""``neurogeom rational`` and ``neurogeom analyze`` on rational nets as the installed program
(subprocess): bad input exits 2 with one line and no traceback, a cut table exits 3, the report
gets its rational section and picture."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from neurogeom import RationalNet
from neurogeom.nets.io import save

EXE = shutil.which("neurogeom") or str(Path(sys.executable).parent / "neurogeom")


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [EXE, *map(str, args)], capture_output=True, text=True, env=os.environ.copy(), timeout=120
    )


def bad(proc, *needles) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("neurogeom: error:"), err
    assert "Traceback" not in proc.stdout + proc.stderr
    for n in needles:
        assert n.lower() in err.lower(), (n, err)


MEMBER = ("rational", "member", "--arch")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        # an architecture with a zero width
        (("rational", "dim", "2", "0", "1"), ["width 1 (hidden layer 1) is 0"]),
        ((*MEMBER, "2,0,1", "--numerators", "x1", "--denominator", "x1"), ["is 0"]),
        # malformed polynomials, named by their role
        (
            (*MEMBER, "2,2,1", "--numerators", "x1+*x2", "--denominator", "x1*x2"),
            ["numerator 1", "unexpected '*'"],
        ),
        (
            (*MEMBER, "2,2,1", "--numerators", "x1", "--denominator", "x1*y"),
            ["denominator", "unknown variable 'y'"],
        ),
        # wrong degrees for the architecture (as a tuple of forms)
        (
            (*MEMBER, "2,2,1", "--numerators", "x1^2", "--denominator", "x1*x2", "--kind", "tuple"),
            ["must be a form of degree 1"],
        ),
        # a denominator that vanishes identically, written as 0 or as a cancelling sum
        ((*MEMBER, "2,2,1", "--numerators", "x1", "--denominator", "x1 - x1"), ["identically"]),
    ],
    ids=["dim-zero-width", "member-zero-width", "numerator", "denominator", "degree", "q-zero"],
)
def test_bad_input_exits_2_with_one_line(args, needles) -> None:
    bad(run(*args), *needles)


def test_net_files_with_a_zero_width_or_a_vanishing_denominator(tmp_path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text(
        json.dumps(
            {
                "format": "neurogeom-net",
                "version": 1,
                "activation": "rational",
                "layers": [{"weight": [[], []]}, {"weight": [[1, 1]]}],
            }
        ),
        encoding="utf-8",
    )
    bad(run("rational", "expand", empty), "empty shape")
    # hidden neuron 0 of layer 1 computes 1/x - 1/x = 0: the denominator vanishes identically
    zero = RationalNet([[[1], [1]], [[1, -1], [1, 2]], [[1, 1]]], exact=True)
    save(zero, tmp_path / "zero.json")
    bad(run("rational", "expand", tmp_path / "zero.json"), "identically zero")


def test_dim_json_and_a_table_cut_by_the_time_limit() -> None:
    proc = run("rational", "dim", "3", "2", "1", "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert (d["dimension"], d["ambient_dimension"], d["fills"]) == (6, 8, False)
    assert d["certified"] is True
    proc = run(
        "rational", "dim", "--table", "--max-width", "6", "--max-depth", "4",
        "--time-limit", "0.5", "--json", "-q",
    )  # fmt: skip
    assert proc.returncode == 3, proc.stderr
    d = json.loads(proc.stdout)
    assert d["complete"] is False and 0 < d["computed"] < d["architectures"] == 9288


@pytest.mark.parametrize(
    ("net", "fills"),
    [
        # one input (the in-process tests of the section cover more nets; this is the program)
        pytest.param(
            RationalNet([[[1], [2]], [[1, -1]]], [[-1, 4], [0]], exact=True),
            True,
            marks=pytest.mark.slow,
        ),
        (RationalNet([[[1, 1], [1, -1], [2, 1]], [[1, 2, -1]]], exact=True), True),  # 2 inputs
    ],
    ids=["one-input", "two-inputs"],
)
def test_analyze_adds_the_rational_section_with_a_picture(net, fills, tmp_path) -> None:
    pytest.importorskip("matplotlib")
    save(net, tmp_path / "net.json")
    proc = run("analyze", tmp_path / "net.json", "--out", tmp_path / "out", "-q")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    sec = report["sections"]["rational"]
    assert sec["status"] == "ok"
    labels = {item["label"]: item["value"] for item in sec["items"]}
    dim = sec["data"]["dimension"]
    # the values shown are the library's (the section adds nothing of its own)
    from neurogeom.rational import dimension, expand
    from neurogeom.rational.expansion import net_has_biases

    ref = dimension(net.architecture, bias=net_has_biases(net), seed=0)
    assert labels["dimension of the neurovariety"] == dim["dimension"] == ref.dimension
    assert labels["expected dimension"] == ref.expected_dimension
    assert labels["ambient dimension"] == ref.ambient_dimension
    assert labels["fills"] is fills
    assert labels["degrees of this network's P and Q"] == list(expand(net).degrees)
    assert sec["figures"] == ["rational.png"]
    assert (tmp_path / "out" / "rational.png").read_bytes().startswith(b"\x89PNG")
