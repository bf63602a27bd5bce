"""``neurogeom symmetry ...``: the contract's JSON keys, answers on the bundled nets, bad input
(exit 2, one line), budgets (exit 3), written files."""

from __future__ import annotations

import inspect
import json
import subprocess
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

from neurogeom.cli import main
from neurogeom.nets.io import load, save
from neurogeom.nets.relu import ReLUNet
from neurogeom.symmetry import are_equivalent

SEPARATE_STDERR = (
    {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}
)


def cli_subprocess(*args: object) -> subprocess.CompletedProcess:
    """Run the installed ``neurogeom`` program, as users do."""
    exe = Path(sysconfig.get_path("scripts")) / "neurogeom"
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, timeout=120)


def run(*args: object):
    return CliRunner(**SEPARATE_STDERR).invoke(main, [str(a) for a in args])


def ok_json(*args: object) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return json.loads(result.stdout)


def bad(result, *needles: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("neurogeom: error:"), result.stderr
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle.lower() in lines[0].lower(), (needle, lines[0])


def test_canonical_of_max2() -> None:
    # max(x, y) = σ(x - y) + y: one kink, the pair σ(y) - σ(-y) cancels to the affine y
    doc = ok_json("symmetry", "canonical", "max2", "--exact")
    assert doc["hyperplanes"] == [
        {"normal": [1, -1], "offset": 0, "coefficient": [1], "neurons": [0], "signs": [1]}
    ]
    assert doc["affine"] == {"linear": [[0, 1]], "constant": [0]}
    assert doc["cancelled_groups"] == [[1, 2]]
    assert doc["symmetries"]["hidden_symmetries"] is True
    assert doc["minimal_width"] == {
        "width": 3,
        "minimal": True,
        "construction": "1 cancelling pair(s)",
    }
    text = run("symmetry", "canonical", "max2")
    assert text.exit_code == 0 and "1 kink hyperplane" in text.stdout


def test_canonical_on_a_box_folds_kinks() -> None:
    doc = ok_json("symmetry", "canonical", "abs", "--box", "1", "2", "--exact")
    assert doc["hyperplanes"] == [] and doc["affine"] == {"linear": [[1]], "constant": [0]}


def test_equivalent_answers_with_a_witness(tmp_path: Path) -> None:
    doc = ok_json("symmetry", "equivalent", "sectors", "max2", "-q")
    assert doc["equivalent"] is False and len(doc["witness"]) == 2
    twin = tmp_path / "twin.json"
    # |x| written as 2σ(x) - σ(x) + σ(-x) ... a different parameterisation of abs
    save(ReLUNet([[[1], [1], [-1]], [[2, -1, 1]]], exact=True), twin)
    doc = ok_json("symmetry", "equivalent", "abs", twin, "--exact")
    assert doc["equivalent"] is True and doc["witness"] is None
    doc = ok_json("symmetry", "equivalent", "rg2", "rg2", "--box", "-1", "1", "-q")
    assert doc["equivalent"] is True and doc["method"] == "regions"


def test_dim_reports_dimension_and_parameters() -> None:
    doc = ok_json("symmetry", "dim", "sectors")
    assert doc["functional_dimension"] == 10 and doc["parameters"] == 13 and doc["certified"]
    svd = ok_json("symmetry", "dim", "sectors", "--method", "svd")
    assert svd["functional_dimension"] == 10 and svd["gap"] is not None


def test_extract_recovers_and_writes_the_net(tmp_path: Path) -> None:
    target = tmp_path / "recovered.json"
    doc = ok_json("symmetry", "extract", "sectors", "--out", target)
    assert doc["verified"] is True and doc["width"] == 3 and doc["queries"] > 0
    recovered = load(target)
    original = load(Path(__file__).parents[2] / "src/neurogeom/data/sectors.json")
    assert are_equivalent(recovered, original, tol=1e-6).equivalent


def test_extract_out_of_queries_exits_3_with_partial_json() -> None:
    result = run("symmetry", "extract", "sectors", "--max-queries", "20", "--json")
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert doc["complete"] is False and doc["queries"] <= 20


def test_align_writes_the_aligned_net(tmp_path: Path) -> None:
    target = tmp_path / "aligned.json"
    doc = ok_json("symmetry", "align", "rg1", "rg1", "--exact", "--out", target)
    assert doc["equal"] is True and doc["permutations"] == [[0, 1]]
    assert load(target, exact=True) == load(
        Path(__file__).parents[2] / "src/neurogeom/data/rg1.json", exact=True
    )


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["canonical", "two_moons"], ["needs a shallow net", "2 hidden layers"]),
        (["extract", "two_moons"], ["needs a shallow net", "For deep nets use"]),
        (["equivalent", "abs", "max2"], ["1 and 2 inputs"]),
        (["align", "max2", "rg2"], ["different architectures", "2-3-1", "2-2-1-1"]),
        (["canonical", "abs", "--tol", "0"], ["--tol", "0<x<1"]),
        (["canonical", "abs", "--tol", "-1e-3"], ["--tol"]),
        (["extract", "abs", "--max-queries", "0"], ["--max-queries", "x>=1"]),
        (["dim", "abs", "--method", "qr"], ["--method"]),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], needles: list[str]) -> None:
    bad(run("symmetry", *args), *needles)


@pytest.mark.parametrize("command", ["canonical", "equivalent", "dim", "extract", "align"])
def test_help_has_an_example(command: str) -> None:
    result = run("symmetry", command, "--help")
    assert result.exit_code == 0
    assert f"neurogeom symmetry {command}" in result.stdout


# -- the bad input, through the installed program (exit 2, one line, no traceback) -------
@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("shapes")
    nets = {
        "one_out": ReLUNet([[[1.0, 2.0], [-1.0, 1.0]], [[1.0, -2.0]]]),
        "two_out": ReLUNet([[[1.0, 2.0], [-1.0, 1.0]], [[1.0, -2.0], [1.0, 1.0]]]),
    }
    for name, net in nets.items():
        save(net, folder / f"{name}.json")
    return {name: folder / f"{name}.json" for name in nets}


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["equivalent", "abs", "max2"], ["1 and 2 inputs"]),
        (["equivalent", "one_out", "two_out"], ["1 and 2 outputs"]),
        (["align", "one_out", "two_out"], ["different architectures", "2-2-1", "2-2-2"]),
        (["canonical", "two_moons"], ["needs a shallow net", "2 hidden layers", "deep nets use"]),
        (["equivalent", "sectors", "sectors", "--tol", "0"], ["--tol", "0<x<1"]),
        (["align", "rg1", "rg1", "--tol", "-0.5"], ["--tol", "0<x<1"]),
        (["extract", "abs", "--max-queries", "0"], ["--max-queries", "x>=1"]),
    ],
)
def test_subprocess_bad_input_exits_2_with_one_line(
    args: list[str], needles: list[str], shapes: dict[str, Path]
) -> None:
    proc = cli_subprocess("symmetry", *(str(shapes.get(a, a)) for a in args), "--json")
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("neurogeom: error:"), proc.stderr
    for needle in needles:
        assert needle.lower() in lines[0].lower(), (needle, lines[0])


def test_subprocess_float_equivalence_it_cannot_decide_is_undecided(tmp_path: Path) -> None:
    # a 1e-11 change of one bias: between rel/band and rel of the default tolerance
    f = ReLUNet([[[1.0, 2.0], [-1.0, 1.0]], [[1.0, -2.0]]], [[0.5, -0.25], [0.0]])
    g = ReLUNet([[[1.0, 2.0], [-1.0, 1.0]], [[1.0, -2.0]]], [[0.5 + 1e-11, -0.25], [0.0]])
    save(f, tmp_path / "f.json")
    save(g, tmp_path / "g.json")
    proc = cli_subprocess(
        "symmetry", "equivalent", tmp_path / "f.json", tmp_path / "g.json", "--json"
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["verdict"] == "undecided" and doc["equivalent"] is None and doc["witness"] is None
    assert doc["evidence"] and "not at rel/band" in doc["evidence"][0]
    exact = cli_subprocess(
        "symmetry", "equivalent", tmp_path / "f.json", tmp_path / "g.json", "--exact", "--json"
    )
    doc = json.loads(exact.stdout)
    assert doc["verdict"] == "not equivalent" and doc["witness"] is not None
