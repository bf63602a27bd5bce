"""The ``neurogeom`` command line: ``--version``, ``--help``, ``info`` and ``regions``.

Most tests run the CLI in-process with :class:`click.testing.CliRunner` (click >= 8.2 keeps
stderr apart: ``result.stdout`` is the JSON, ``result.stderr`` the one-line message); a few run a
real ``python -m neurogeom.cli`` subprocess to check exit codes and that no traceback escapes.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sysconfig
from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner

from neurogeom import ReLUNet
from neurogeom._version import __version__
from neurogeom.cli import main
from neurogeom.data import example_path
from neurogeom.nets.io import load, save

# click < 8.2 mixes stderr into stdout unless told not to (8.2 always keeps them apart and
# dropped the argument); the tests read result.stderr
SEPARATE_STDERR = (
    {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}
)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
COUNT_KEYS = (
    "activation_regions",
    "linear_regions",
    "linear_regions_point_connected",
    "bounded_regions",
)


def run(*args: str):
    """Invoke the CLI in-process (an unexpected exception is kept in ``result.exception``)."""
    return CliRunner(**SEPARATE_STDERR).invoke(main, [str(a) for a in args], catch_exceptions=True)


def ok_json(*args: str) -> dict:
    """Run a command that must succeed with ``--json`` and return its one JSON object."""
    result = run(*args, "--json")
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return json.loads(result.stdout)


def counts(doc: dict) -> tuple[int, ...]:
    return tuple(doc[k] for k in COUNT_KEYS)


def assert_bad_input(result, *needles: str) -> str:
    """Exit status 2, one line on stderr naming the problem, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    err = result.stderr.strip()
    assert "Traceback" not in result.output
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("neurogeom: error:"), err
    for needle in needles:
        assert needle.lower() in err.lower(), (needle, err)
    return err


def write_json(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return path


def random_net(arch: list[int], seed: int) -> ReLUNet:
    """A small exact net with small integer weights (same answers in float and exact mode)."""
    rng = np.random.default_rng(seed)
    ws = [rng.integers(-3, 4, size=(arch[i + 1], arch[i])).tolist() for i in range(len(arch) - 1)]
    bs = [rng.integers(-2, 3, size=arch[i + 1]).tolist() for i in range(len(arch) - 1)]
    return ReLUNet(ws, bs, exact=True)


def cli_subprocess(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``neurogeom`` program, as users do."""
    exe = Path(sysconfig.get_path("scripts")) / "neurogeom"
    return subprocess.run(
        [str(exe), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


# -- version and help ------------------------------------------------------------------------------
def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout
    assert "neurogeom" in result.stdout


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, cmd in sorted(group.commands.items()):
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _all_commands(cmd, (*prefix, name))


COMMANDS = [path for path, _ in _all_commands(main)]


def test_the_contract_commands_exist():
    assert {("info",), ("regions",), ("analyze",)} <= set(COMMANDS)


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_main_help_lists_commands_and_examples(flag):
    result = run(flag)
    assert result.exit_code == 0
    for name in ("info", "regions", "analyze"):
        assert name in result.stdout
    assert "Example" in result.stdout
    assert "neurogeom regions sectors --exact" in result.stdout


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_help_mentions_an_example(path):
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout, result.stdout
    assert f"neurogeom {' '.join(path)}" in result.stdout, result.stdout


def test_regions_help_documents_every_option():
    out = run("regions", "--help").stdout
    for opt in (
        "--box",
        "--exact",
        "--method",
        "--max-regions",
        "--time-limit",
        "--checkpoint",
        "--workers",
        "--tol",
        "--plot",
        "--cells",
        "--json",
        "--quiet",
    ):
        assert opt in out, opt


def test_unknown_command_and_missing_argument_are_usage_errors():
    assert run("bogus").exit_code == 2
    result = run("regions")
    assert result.exit_code == 2
    assert "NET" in result.stderr


# -- info ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "architecture", "parameters"),
    [("max2", [2, 3, 1], 13), ("two_moons", [2, 12, 12, 1], 205), ("tent3", [1, 2, 2, 2, 1], 19)],
)
def test_info_json_of_bundled_examples(name, architecture, parameters):
    doc = ok_json("info", name)
    assert doc["architecture"] == architecture
    assert doc["parameters"] == parameters
    assert doc["activation"] == "relu"


def test_info_text():
    result = run("info", "max2")
    assert result.exit_code == 0
    assert "2-3-1" in result.stdout
    assert "13" in result.stdout


def test_info_accepts_a_path_to_a_bundled_file():
    assert ok_json("info", example_path("sectors"))["architecture"] == [2, 3, 1]


MAX2 = load(example_path("max2"), exact=True)


def _expect_max2(doc: dict) -> None:
    assert doc["architecture"] == [2, 3, 1]
    assert doc["parameters"] == 13
    assert doc["activation"] == "relu"


def test_info_of_a_json_file_written_by_save(tmp_path):
    target = tmp_path / "net.json"
    save(MAX2, target)
    _expect_max2(ok_json("info", target))


def test_info_of_an_npz_file(tmp_path):
    target = tmp_path / "net.npz"
    save(MAX2, target)
    _expect_max2(ok_json("info", target))
    raw = tmp_path / "raw.npz"
    np.savez(raw, W0=np.eye(2), b0=np.zeros(2), W1=np.ones((1, 2)), b1=np.zeros(1))
    doc = ok_json("info", raw)
    assert doc["architecture"] == [2, 2, 1]
    assert doc["parameters"] == 9


def test_info_of_a_torch_file(tmp_path):
    torch = pytest.importorskip("torch")
    target = tmp_path / "net.pt"
    save(MAX2, target)
    _expect_max2(ok_json("info", target))
    # a plain state_dict of an nn.Sequential, written by torch itself
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    sd = tmp_path / "model.pth"
    torch.save(model.state_dict(), sd)
    doc = ok_json("info", sd)
    assert doc["architecture"] == [3, 4, 2]
    assert doc["parameters"] == 3 * 4 + 4 + 4 * 2 + 2
    assert doc["activation"] == "relu"


def test_info_of_an_onnx_file(tmp_path):
    pytest.importorskip("onnx")
    target = tmp_path / "net.onnx"
    save(MAX2, target)
    _expect_max2(ok_json("info", target))


def test_regions_of_saved_files_match_the_bundled_net(tmp_path):
    pytest.importorskip("onnx")
    for suffix in (".json", ".npz", ".onnx"):
        target = tmp_path / f"max2{suffix}"
        save(MAX2, target)
        assert counts(ok_json("regions", target, "-q")) == (4, 2, 2, 0), suffix


# -- regions: known answers ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sectors", (6, 6, 5, 0)),
        ("max2", (4, 2, 2, 0)),
        ("tent3", (10, 10, 10, 8)),
        ("rg2", (5, 3, 3, 0)),
        ("rg1", (4, 4, 4, 0)),
        ("abs", (2, 2, 2, 0)),
    ],
)
def test_regions_known_answers(name, expected):
    doc = ok_json("regions", name, "-q")
    assert counts(doc) == expected
    assert doc["domain"]["kind"] == "space"
    assert doc["complete"] is True
    for key in COUNT_KEYS:
        assert isinstance(doc[key], int)
        assert key in doc["counting"]


def test_tent3_activation_equals_linear():
    doc = ok_json("regions", "tent3", "-q")
    assert doc["activation_regions"] == doc["linear_regions"] == 10


@pytest.mark.parametrize(("name", "expected"), [("sectors", (6, 6, 5, 0)), ("rg2", (5, 3, 3, 0))])
def test_regions_exact(name, expected):
    doc = ok_json("regions", name, "--exact", "-q")
    assert counts(doc) == expected
    assert doc["exact"] is True
    assert doc["certified"] is True


def test_regions_text_output_states_each_definition():
    result = run("regions", "sectors", "--exact", "-q")
    assert result.exit_code == 0
    out = result.stdout
    assert "activation regions" in out
    assert "facet-connected) 6" in out
    assert "point-connected) 5" in out
    assert "exact" in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


def test_regions_json_is_one_object_on_stdout_and_nothing_on_stderr():
    result = run("regions", "max2", "--json", "-q")
    assert result.exit_code == 0
    assert isinstance(json.loads(result.stdout), dict)
    assert result.stderr == ""


# -- regions: domains ------------------------------------------------------------------------------
def test_regions_on_a_box():
    doc = ok_json("regions", "max2", "--box", "-1", "1", "-q")
    assert counts(doc) == (4, 2, 2, 2)
    assert doc["domain"] == {"kind": "box", "dim": 2, "lower": [-1, -1], "upper": [1, 1]}


def test_regions_on_a_box_1d():
    doc = ok_json("regions", "tent3", "--box", "0", "1", "-q")
    assert counts(doc) == (8, 8, 8, 8)  # Telgarsky: 8 pieces on [0, 1]


def test_regions_on_a_box_given_as_vectors():
    doc = ok_json("regions", "max2", "--box", "-1,-2", "1,2", "-q")
    assert doc["domain"]["kind"] == "box"
    assert doc["domain"]["lower"] == [-1, -2]
    assert doc["domain"]["upper"] == [1, 2]
    assert counts(doc) == (4, 2, 2, 2)


def test_regions_box_corners_are_exact_rationals():
    doc = ok_json("regions", "max2", "--box", "1/2", "1", "--exact", "-q")
    assert doc["domain"]["lower"] == ["1/2", "1/2"]
    assert counts(doc) == (2, 2, 2, 2)  # y > 0 on the box: only x = y splits it


@pytest.mark.parametrize("name", ["sectors", "rg2", "max2"])
def test_search_and_split_agree_on_a_box(name):
    a = ok_json("regions", name, "--box", "-1", "1", "--method", "search", "-q")
    b = ok_json("regions", name, "--box", "-1", "1", "--method", "split", "-q")
    assert a["method"] == "search"
    assert b["method"] == "split"
    assert counts(a) == counts(b)


@pytest.mark.parametrize("exact", [False, True])
def test_search_and_split_agree_on_a_random_net(tmp_path, exact):
    target = tmp_path / "rand.json"
    save(random_net([2, 5, 4, 1], seed=7), target)
    flags = ["--exact"] if exact else []
    a = ok_json("regions", target, "--box", "-2", "2", "--method", "search", "-q", *flags)
    b = ok_json("regions", target, "--box", "-2", "2", "--method", "split", "-q", *flags)
    assert counts(a) == counts(b)
    assert a["activation_regions"] > 1


def test_method_split_without_a_box_is_refused():
    result = run("regions", "max2", "--method", "split", "-q")
    assert_bad_input(result, "split", "box")


def test_method_split_on_a_1d_net_agrees_with_search():
    split = ok_json("regions", "tent3", "--box", "-1", "1", "--method", "split", "-q")
    search = ok_json("regions", "tent3", "--box", "-1", "1", "--method", "search", "-q")
    assert split["activation_regions"] == search["activation_regions"] == 9


def test_method_split_on_a_4d_net_is_refused(tmp_path):
    from neurogeom import ReLUNet, save

    path = tmp_path / "four.json"
    save(ReLUNet([[[1, 0, 0, 0]], [[1]]]), path)
    result = run("regions", str(path), "--box", "-1", "1", "--method", "split", "-q")
    assert_bad_input(result, "split", "1 to 3 inputs")


# -- regions: details, plots, budgets, checkpoints -------------------------------------------------
def test_cells_option_includes_cells_regions_and_adjacency():
    doc = ok_json("regions", "max2", "--cells", "-q")
    for key in ("cells", "regions", "adjacency", "point_regions"):
        assert key in doc
    assert len(doc["cells"]) == doc["activation_regions"] == 4
    assert len(doc["regions"]) == doc["linear_regions"] == 2
    assert len(doc["point_regions"]) == doc["linear_regions_point_connected"]
    n = len(doc["cells"])
    for i, j in doc["adjacency"]:
        assert 0 <= i < n and 0 <= j < n and i != j
    assert len(doc["adjacency"]) == 4  # the four sectors around the origin form a cycle
    for cell in doc["cells"]:
        assert 0 <= cell["region"] < len(doc["regions"])
        assert set(cell["pattern"]) <= {"0", "1"} and len(cell["pattern"]) == 3
    assert sorted(c for r in doc["regions"] for c in r["cells"]) == list(range(n))


def test_cells_are_left_out_by_default():
    doc = ok_json("regions", "max2", "-q")
    assert "cells" not in doc and "adjacency" not in doc


def test_exact_cells_carry_rational_points():
    doc = ok_json("regions", "sectors", "--exact", "--cells", "-q")
    assert doc["certified"] is True
    for cell in doc["cells"]:
        for v in cell["point"]:
            assert isinstance(v, int) or (isinstance(v, str) and "/" in v), v


def test_plot_writes_a_png_for_a_2d_net(tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "max2.png"
    doc = ok_json("regions", "max2", "--box", "-1", "1", "--plot", target, "-q")
    assert counts(doc) == (4, 2, 2, 2)
    assert target.read_bytes()[:8] == PNG_MAGIC
    assert [p.name for p in tmp_path.iterdir()] == ["max2.png"]  # no temporary file left


def test_plot_of_a_net_on_the_whole_plane(tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "sectors.png"
    result = run("regions", "sectors", "--plot", target, "-q")
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:8] == PNG_MAGIC


def test_plot_of_a_1d_net_is_refused_clearly(tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "abs.png"
    assert_bad_input(run("regions", "abs", "--plot", target, "-q"), "2 inputs")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_plot_into_a_missing_folder_is_refused(tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "nope" / "p.png"
    assert_bad_input(run("regions", "max2", "--box", "-1", "1", "--plot", target, "-q"), "nope")


def test_plot_with_an_unknown_image_format_is_bad_input(tmp_path):
    pytest.importorskip("matplotlib")
    result = run("regions", "max2", "--box", "-1", "1", "--plot", tmp_path / "p.xyz", "-q")
    assert_bad_input(result, "xyz")
    assert list(tmp_path.iterdir()) == []


def test_max_regions_on_two_moons_gives_partial_counts_and_exit_3():
    result = run("regions", "two_moons", "--max-regions", "2", "--json", "-q")
    assert result.exit_code == 3, (result.stdout, result.stderr, result.exception)
    doc = json.loads(result.stdout)
    assert doc["complete"] is False
    for key in COUNT_KEYS:
        assert isinstance(doc[key], int)
    assert 0 < doc["activation_regions"] <= 2
    assert "Traceback" not in result.output


def test_max_regions_on_a_box_split_engine_gives_exit_3():
    result = run("regions", "sectors", "--box", "-1", "1", "--max-regions", "2", "--json", "-q")
    assert result.exit_code == 3, (result.stdout, result.stderr)
    doc = json.loads(result.stdout)
    assert doc["complete"] is False
    assert doc["method"] == "split"
    assert 0 < doc["activation_regions"] <= 2


def test_max_regions_text_output_says_incomplete():
    result = run("regions", "sectors", "--max-regions", "2", "-q")
    assert result.exit_code == 3
    assert "INCOMPLETE" in result.stdout


def test_time_limit_search_engine_gives_exit_3():
    result = run("regions", "max2", "--time-limit", "1e-9", "--json", "-q")
    assert result.exit_code == 3, (result.stdout, result.stderr, result.exception)
    assert json.loads(result.stdout)["complete"] is False


def test_time_limit_is_honoured_on_a_box():
    result = run("regions", "two_moons", "--box", "-3", "3", "--time-limit", "1e-9", "--json", "-q")
    assert result.exit_code == 3, (result.exit_code, result.stderr)
    assert json.loads(result.stdout)["complete"] is False


def test_checkpoint_is_written_and_reused(tmp_path, monkeypatch):
    from neurogeom.regions import _search as search

    ckpt = tmp_path / "sectors.ckpt"
    first = ok_json("regions", "sectors", "--checkpoint", ckpt, "-q")
    assert counts(first) == (6, 6, 5, 0)
    doc = json.loads(ckpt.read_text())
    assert doc["format"] == "neurogeom-regions-checkpoint"
    assert doc["complete"] is True
    assert len(doc["cells"]) == 6

    def no_search(*args, **kwargs):
        raise AssertionError("a finished checkpoint must be reused, not searched again")

    monkeypatch.setattr(search.Searcher, "process", no_search)
    second = ok_json("regions", "sectors", "--checkpoint", ckpt, "-q")
    assert counts(second) == counts(first)


def test_checkpoint_resumes_an_interrupted_search(tmp_path):
    ckpt = tmp_path / "tent3.ckpt"
    result = run("regions", "tent3", "--checkpoint", ckpt, "--max-regions", "3", "--json", "-q")
    assert result.exit_code == 3
    assert json.loads(ckpt.read_text())["complete"] is False
    doc = ok_json("regions", "tent3", "--checkpoint", ckpt, "-q")
    assert counts(doc) == (10, 10, 10, 8)
    assert doc["complete"] is True


def test_checkpoint_of_another_net_is_refused(tmp_path):
    ckpt = tmp_path / "x.ckpt"
    ok_json("regions", "max2", "--checkpoint", ckpt, "-q")
    assert_bad_input(run("regions", "sectors", "--checkpoint", ckpt, "-q"), "checkpoint")


def test_malformed_checkpoint_is_refused(tmp_path):
    ckpt = write_json(tmp_path / "bad.ckpt", "garbage")
    assert_bad_input(run("regions", "sectors", "--checkpoint", ckpt, "-q"), "malformed")


def test_checkpoint_with_split_is_refused(tmp_path):
    result = run(
        "regions",
        "max2",
        "--box",
        "-1",
        "1",
        "--method",
        "split",
        "--checkpoint",
        tmp_path / "c.ckpt",
        "-q",
    )
    assert_bad_input(result, "checkpoint")


def test_workers():
    doc = ok_json("regions", "tent3", "--workers", "2", "-q")
    assert counts(doc) == (10, 10, 10, 8)


def test_regions_of_a_rational_net_is_refused(tmp_path):
    target = write_json(
        tmp_path / "rat.json",
        {
            "activation": "rational",
            "layers": [{"weight": [[1, 0], [0, 1]], "bias": [1, 1]}, {"weight": [[1, 1]]}],
        },
    )
    assert ok_json("info", target)["activation"] == "rational"
    assert_bad_input(run("regions", target, "-q"), "rational")


# -- bad input -------------------------------------------------------------------------------------
GOOD_LAYERS = [{"weight": [[1, -1], [0, 1]], "bias": [0, 0]}, {"weight": [[1, 1]], "bias": [0]}]

BAD_FILES = {
    "malformed.json": ("{layers: [}", ["malformed.json", "JSON"]),
    "truncated.json": ('{"format": "neurogeom-net", "layers": [{"weight": [[1', ["truncated"]),
    "empty.json": ("", ["empty.json", "JSON"]),
    "nolayers.json": ({"format": "neurogeom-net", "activation": "relu"}, ["layers"]),
    "nan.json": ('{"layers": [{"weight": [[NaN, 1]], "bias": [0]}]}', ["NaN", "finite"]),
    "nanstr.json": ({"layers": [{"weight": [["nan", 1]], "bias": [0]}]}, ["layer 0", "finite"]),
    "chain.json": (
        {"layers": [{"weight": [[1, 2]], "bias": [0]}, {"weight": [[1, 2]], "bias": [0]}]},
        ["layer 1", "columns"],
    ),
    "activation.json": ({"activation": "tanh", "layers": GOOD_LAYERS}, ["tanh", "activation"]),
    "list.json": ([1, 2], ["object"]),
}


@pytest.mark.parametrize("command", ["info", "regions"])
@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_network_files(tmp_path, name, command):
    content, needles = BAD_FILES[name]
    target = write_json(tmp_path / name, content)
    assert_bad_input(run(command, target, "-q" if command == "regions" else "--json"), *needles)


def test_missing_file(tmp_path):
    target = tmp_path / "nope.json"
    assert_bad_input(run("info", target), "no such file", "nope.json")
    assert_bad_input(run("regions", "not_an_example", "-q"), "not_an_example")


def test_unknown_suffix(tmp_path):
    target = write_json(tmp_path / "net.txt", {"layers": GOOD_LAYERS})
    err = assert_bad_input(run("info", target), "suffix", ".txt")
    assert ".json" in err  # says what is supported


def test_a_folder_is_not_a_network(tmp_path):
    assert_bad_input(run("info", tmp_path), "folder")


def test_garbage_bytes_named_pt(tmp_path):
    pytest.importorskip("torch")
    target = tmp_path / "garbage.pt"
    target.write_bytes(b"garbage bytes, not a torch file\n")
    assert_bad_input(run("info", target), "garbage.pt")


def test_garbage_bytes_named_pt_are_called_corrupt(tmp_path):
    pytest.importorskip("torch")
    target = tmp_path / "garbage.pt"
    target.write_bytes(b"garbage bytes, not a torch file\n")
    err = assert_bad_input(run("info", target), "garbage.pt")
    assert "pickled model" not in err
    assert "corrupt" in err or "not a readable" in err


def test_truncated_torch_file(tmp_path):
    pytest.importorskip("torch")
    good = tmp_path / "good.pt"
    save(MAX2, good)
    bad = tmp_path / "bad.pt"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert_bad_input(run("info", bad), "bad.pt")


def test_pickled_torch_module_is_refused(tmp_path):
    torch = pytest.importorskip("torch")
    target = tmp_path / "whole.pt"
    torch.save(torch.nn.Sequential(torch.nn.Linear(2, 1)), target)
    assert_bad_input(run("info", target), "whole.pt", "state_dict")


def test_onnx_with_a_conv_node_is_refused(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 3, 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 1, 1])
    w = numpy_helper.from_array(np.ones((1, 1, 3, 3), dtype=np.float32), "w")
    node = helper.make_node("Conv", ["x", "w"], ["y"], name="conv0")
    model = helper.make_model(helper.make_graph([node], "g", [x], [y], [w]))
    target = tmp_path / "conv.onnx"
    onnx.save(model, str(target))
    assert_bad_input(run("info", target), "conv0", "Conv", "not supported")
    assert_bad_input(run("regions", target, "-q"), "Conv")


def test_corrupt_onnx_and_npz(tmp_path):
    for name in ("bad.onnx", "bad.npz"):
        target = tmp_path / name
        target.write_bytes(b"garbage bytes, not a network\n")
        assert_bad_input(run("info", target), name)


def test_npz_with_broken_shapes(tmp_path):
    target = tmp_path / "bad.npz"
    np.savez(target, W0=np.eye(2), b0=np.zeros(2), W1=np.ones((1, 3)), b1=np.zeros(1))
    assert_bad_input(run("info", target), "W1")


BAD_OPTIONS = [
    (["--box", "1", "0"], ["box", "empty"]),
    (["--box", "a", "b"], ["box", "'a'"]),
    (["--box", "-inf", "inf"], ["box", "finite"]),
    (["--box", "-1,-1,-1", "1,1,1"], ["box", "3 coordinates"]),
    (["--workers", "0"], ["workers", "0"]),
    (["--max-regions", "0"], ["--max-regions", "0"]),
    (["--max-regions", "-3"], ["--max-regions", "-3"]),
    (["--time-limit", "0"], ["--time-limit"]),
    (["--time-limit", "nan"], ["--time-limit"]),
    (["--tol", "5"], ["tol", "5"]),
    (["--tol", "0"], ["tol"]),
]


@pytest.mark.parametrize(
    ("options", "needles"), BAD_OPTIONS, ids=[" ".join(o) for o, _ in BAD_OPTIONS]
)
def test_bad_options(options, needles):
    assert_bad_input(run("regions", "max2", "-q", *options), *needles)


@pytest.mark.parametrize(
    "options",
    [
        ["--max-regions", "x"],
        ["--workers", "two"],
        ["--method", "foo"],
        ["--box", "1"],
        ["--tol", "small"],
    ],
)
def test_malformed_options_are_usage_errors(options):
    result = run("regions", "max2", "-q", *options)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr.strip()


# -- real processes --------------------------------------------------------------------------------
#: One invocation with --json per command that has the option (a new command must add its own).
JSON_EXAMPLES = {
    ("info",): ["info", "two_moons"],
    ("regions",): ["regions", "max2", "--box", "-1", "1", "--exact", "-q"],
    ("tropical",): ["tropical", "max2", "--prune", "-q"],
    ("analyze",): ["analyze", "abs", "--out", "{tmp}/report", "-q"],
    ("rational", "dim"): ["rational", "dim", "3", "2", "1"],
    ("rational", "member"): [
        *("rational", "member", "--arch", "2,2,1", "--numerators", "3*x1 + x2"),
        *("--denominator", "x1^2 - x2^2"),
    ],
    ("rational", "expand"): ["rational", "expand", "example:deep"],
    ("rational", "fit"): ["rational", "fit", "example:poles", "--hidden", "2", "-q"],
    ("homology",): ["homology", "two_moons", "example:circle48", "-q"],
    ("symmetry", "canonical"): ["symmetry", "canonical", "max2", "--exact"],
    ("symmetry", "equivalent"): ["symmetry", "equivalent", "sectors", "max2", "-q"],
    ("symmetry", "dim"): ["symmetry", "dim", "max2"],
    ("symmetry", "extract"): ["symmetry", "extract", "abs"],
    ("symmetry", "align"): ["symmetry", "align", "rg1", "rg1", "--exact"],
    ("depth",): ["depth", "--max", "8", "--weights", "integer", "-q"],
    ("polytope", "volume"): ["polytope", "volume", "{tmp}/polytopes.json"],
    ("polytope", "mixed-volume"): ["polytope", "mixed-volume", "{tmp}/polytopes.json", "-q"],
}
#: The polytope file the ``polytope`` examples read (two triangles in the plane).
POLYTOPES_JSON = '{"polytopes": [[[0, 0], [1, 0], [0, 1]], [[0, 0], [2, 0], [0, 2]]]}'


def _has_json_option(cmd: click.Command) -> bool:
    return any("--json" in p.opts for p in cmd.params if isinstance(p, click.Option))


def test_every_json_command_has_a_subprocess_example():
    with_json = {path for path, cmd in _all_commands(main) if _has_json_option(cmd)}
    assert with_json == set(JSON_EXAMPLES)


@pytest.mark.parametrize("path", sorted(JSON_EXAMPLES), ids=" ".join)
def test_json_of_every_command_is_one_object_on_stdout(path, tmp_path):
    args = [a.format(tmp=tmp_path) for a in JSON_EXAMPLES[path]]
    (tmp_path / "polytopes.json").write_text(POLYTOPES_JSON)
    proc = cli_subprocess(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)  # the whole of stdout is one JSON object
    assert isinstance(doc, dict) and doc
    assert "Traceback" not in proc.stderr


def test_subprocess_success_prints_one_json_object():
    proc = cli_subprocess("regions", "sectors", "--exact", "--json", "-q")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert counts(json.loads(proc.stdout)) == (6, 6, 5, 0)


def test_subprocess_bad_input_exits_2_without_traceback(tmp_path):
    target = write_json(tmp_path / "nan.json", '{"layers": [{"weight": [[NaN]], "bias": [0]}]}')
    proc = cli_subprocess("regions", target, "--json", "-q")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "nan.json" in lines[0] and "NaN" in lines[0]


def test_subprocess_garbage_pt_exits_2_without_traceback(tmp_path):
    pytest.importorskip("torch")
    target = tmp_path / "garbage.pt"
    target.write_bytes(b"\x00\x01garbage\xff" * 10)
    proc = cli_subprocess("info", target, "--json")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_subprocess_budget_exits_3_with_partial_json():
    proc = cli_subprocess("regions", "two_moons", "--max-regions", "2", "--json", "-q")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["complete"] is False
    assert all(isinstance(doc[k], int) for k in COUNT_KEYS)
