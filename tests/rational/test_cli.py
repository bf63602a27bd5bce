"""``neurogeom rational``: dim, member, expand and fit on the command line (in-process)."""

from __future__ import annotations

import inspect
import json

import numpy as np
import pytest
from click.testing import CliRunner

from neurogeom import RationalNet
from neurogeom.cli import main
from neurogeom.nets.io import load, save

SEPARATE_STDERR = (
    {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}
)


def run(*args):
    return CliRunner(**SEPARATE_STDERR).invoke(main, [str(a) for a in args], catch_exceptions=True)


def ok_json(*args):
    result = run(*args, "--json")
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return json.loads(result.stdout)


def bad(result, *needles):
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("neurogeom: error:"), err
    assert "Traceback" not in result.output
    for n in needles:
        assert n.lower() in err.lower(), (n, err)


def test_dim_contract_keys_and_values() -> None:
    d = ok_json("rational", "dim", "3", "2", "1")
    assert (d["dimension"], d["ambient_dimension"], d["expected_dimension"], d["fills"]) == (
        6,
        8,
        6,
        False,
    )
    assert ok_json("rational", "dim", "2,2,2,2,1")["fills"] is True
    d = ok_json("rational", "dim", "4", "3", "2", "--bias", "--no-float-check")
    assert d["dimension"] == 20 and d["float_check"] is None


def test_dim_text() -> None:
    out = run("rational", "dim", "3", "1", "3", "2").stdout
    assert "dimension             4  (lower bound" in out
    assert "expected dimension    6" in out


def test_dim_table_and_budget() -> None:
    d = ok_json("rational", "dim", "--table", "--max-width", "3", "--max-depth", "3", "-q")
    assert d["complete"] and d["architectures"] == 108 == d["computed"]
    assert any(r["architecture"] == [3, 1, 3, 2] and r["defect"] == 2 for r in d["rows"])
    result = run(
        "rational",
        "dim",
        "--table",
        "--max-width",
        "6",
        "--max-depth",
        "4",
        "--time-limit",
        "0.5",
        "-q",
        "--json",
    )
    assert result.exit_code == 3
    assert json.loads(result.stdout)["complete"] is False


def test_dim_errors() -> None:
    bad(run("rational", "dim", "2", "0", "1"), "width 1 (hidden layer 1) is 0")
    bad(run("rational", "dim"), "give the widths")
    bad(run("rational", "dim", "2", "2", "1", "--table"), "not both")
    bad(run("rational", "dim", "2", "x", "1"), "not an integer")


def test_member_contract_keys() -> None:
    d = ok_json(
        "rational",
        "member",
        "--arch",
        "2,2,1",
        "--numerators",
        "3*x1 + x2",
        "--denominator",
        "x1^2 - x2^2",
    )
    assert d["in_neuromanifold"] is True and d["in_neurovariety"] is True
    assert d["weights"][0]["weight"] == [[1, -1], [1, 1]]
    d = ok_json(
        "rational",
        "member",
        "--arch",
        "2,2,2,2",
        "--numerators",
        "x1^3;x2^3",
        "--denominator",
        "x1*x2",
    )
    assert d["in_neuromanifold"] is False and d["in_neurovariety"] is False
    assert d["weights"] is None
    d = ok_json(
        "rational", "member", "--arch", "2,3,2,1", "--numerators", "x1^5", "--denominator", "x2^4"
    )
    assert d["in_neuromanifold"] is None and d["in_neurovariety"] is None


def test_member_errors() -> None:
    bad(
        run(
            "rational",
            "member",
            "--arch",
            "2,2,1",
            "--numerators",
            "x1;x2",
            "--denominator",
            "x1*x2",
        ),
        "2 numerator(s)",
    )
    bad(
        run("rational", "member", "--arch", "2,2,1", "--numerators", "x1", "--denominator", "0"),
        "identically zero",
    )
    bad(
        run(
            "rational", "member", "--arch", "2,2,1", "--numerators", "x1^^2", "--denominator", "x1"
        ),
        "numerator 1",
    )
    bad(
        run(
            "rational",
            "member",
            "--arch",
            "2,2,1",
            "--numerators",
            "x1^2",
            "--denominator",
            "x1*x2",
            "--kind",
            "tuple",
        ),
        "must be a form of degree 1",
    )
    bad(run("rational", "member", "--numerators", "x1", "--denominator", "x1"), "--arch")


def test_expand(tmp_path) -> None:
    d = ok_json("rational", "expand", "example:shallow")
    assert d["numerators"] == ["3*x1 + x2"] and d["denominator"] == "x1^2 - x2^2"
    net = RationalNet([[[1, 1], [1, -1]], [[2, -1]]], [[1, 0], [0]], exact=True)
    save(net, tmp_path / "net.json")
    d = ok_json("rational", "expand", tmp_path / "net.json", "--method", "direct")
    assert d["bias"] is True and d["degrees"] == {"numerator": 1, "denominator": 2}  # b_L = 0
    closed = ok_json("rational", "expand", tmp_path / "net.json", "--method", "closed")
    assert closed["numerators"] == d["numerators"] and closed["denominator"] == d["denominator"]
    out = run("rational", "expand", "example:deep").stdout
    assert "f1 = (-2*x1*x2^2) / (x1^2 - x2^2)" in out


def test_expand_errors(tmp_path) -> None:
    bad(run("rational", "expand", "max2"), "rational network")
    bad(run("rational", "expand", "example:nope"), "unknown example network")
    zero = RationalNet([[[1], [1]], [[1, -1], [1, 2]], [[1, 1]]], exact=True)
    save(zero, tmp_path / "zero.json")
    bad(run("rational", "expand", tmp_path / "zero.json"), "identically zero")
    big = RationalNet([np.ones((6, 6)), np.ones((6, 6)) + np.eye(6), np.ones((1, 6))])
    save(big, tmp_path / "big.json")
    result = run("rational", "expand", tmp_path / "big.json", "--max-terms", "1000")
    assert result.exit_code == 3 and "max_terms" in result.stderr


def test_fit(tmp_path) -> None:
    d = ok_json(
        "rational",
        "fit",
        "example:poles",
        "--hidden",
        "2",
        "-q",
        "--save",
        tmp_path / "fitted.json",
    )
    assert sorted(round(p["location"], 6) for p in d["poles"]) == [-2.0, 1.0]
    assert isinstance(load(tmp_path / "fitted.json"), RationalNet)
    x = np.linspace(0.1, 3, 60)
    table = np.column_stack([x, 2 / x + 1])
    np.savetxt(tmp_path / "d.csv", table, delimiter=",", header="x,y")
    d = ok_json("rational", "fit", tmp_path / "d.csv", "--hidden", "1", "-q")
    assert d["poles"][0]["location"] == pytest.approx(0.0, abs=1e-6)
    np.savez(tmp_path / "d.npz", x=x, y=2 / x + 1)
    d = ok_json("rational", "fit", tmp_path / "d.npz", "--hidden", "1", "-q")
    assert d["poles"][0]["residue"] == pytest.approx([2.0], abs=1e-6)


def test_fit_errors(tmp_path) -> None:
    bad(run("rational", "fit", "example:nope", "-q"), "unknown example data")
    bad(run("rational", "fit", tmp_path / "missing.csv", "-q"), "not a file")
    np.savez(tmp_path / "bad.npz", a=np.zeros(3))
    bad(run("rational", "fit", tmp_path / "bad.npz", "-q"), "arrays named x and y")
    bad(run("rational", "fit", "example:poles", "--hidden", "0", "-q"), "--hidden")
    (tmp_path / "t.csv").write_text("a,b\nx,y\n", encoding="utf-8")
    bad(run("rational", "fit", tmp_path / "t.csv", "-q"), "not a numeric CSV")
