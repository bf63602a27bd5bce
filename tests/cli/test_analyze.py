"""``neurogeom analyze``: the report folder (report.html, report.json, figures) and its failure
modes."""

from __future__ import annotations

import inspect
import json
import pathlib
import subprocess

import pytest
from click.testing import CliRunner

from neurogeom._version import __version__
from neurogeom.cli import main
from neurogeom.data import example_path

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


def run(*args):
    return CliRunner(**SEPARATE_STDERR).invoke(main, [str(a) for a in args])


def counts(doc: dict) -> tuple[int, ...]:
    return tuple(doc[k] for k in COUNT_KEYS)


def read_report(folder: pathlib.Path) -> dict:
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


def data(report: dict, key: str) -> dict:
    """The JSON data of one section of a report."""
    return report["sections"][key]["data"]


def installed(*args) -> subprocess.CompletedProcess:
    """Run the installed ``neurogeom`` program."""
    import sysconfig

    exe = pathlib.Path(sysconfig.get_path("scripts")) / "neurogeom"
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_analyze_without_a_net_reports_on_two_moons(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    result = run("analyze", "--quiet")
    assert result.exit_code == 0, (result.output, result.exception)
    out = tmp_path / "neurogeom-report"
    assert sorted(p.name for p in out.iterdir()) == [
        "cell_volumes.png",
        "regions.png",
        "report.html",
        "report.json",
        "topology_barcodes.png",
        "topology_overlap.png",
        "tropical_newton.png",
    ]
    report = read_report(out)
    assert report["neurogeom"] == __version__
    assert report["complete"] is True
    assert report["source"].endswith("two_moons.json")
    info = data(report, "info")
    assert info["architecture"] == [2, 12, 12, 1]
    assert info["parameters"] == 205
    assert info["activation"] == "relu"
    assert report["sections"]["regions"]["figures"] == ["regions.png", "cell_volumes.png"]
    regions = data(report, "regions")
    whole, box = regions["whole_space"], regions["box"]
    assert whole["domain"]["kind"] == "space"
    assert box["domain"] == {"kind": "box", "dim": 2, "lower": [-3, -3], "upper": [3, 3]}
    for section in (whole, box):
        assert section["complete"] is True
        a, lin, point, bounded = counts(section)
        assert a >= lin >= point >= 1
        assert 0 <= bounded <= lin
    assert counts(box)[3] == counts(box)[1]  # on a box every region is bounded
    volumes = regions["cell_volumes"]
    assert volumes["cells"] == box["activation_regions"] == sum(volumes["histogram"]["counts"])
    assert volumes["box"] == 36 and volumes["total"] == pytest.approx(36)  # the cells tile it
    assert 0 < volumes["smallest"] <= volumes["median"] <= volumes["largest"] < 36
    for name in ("regions.png", "cell_volumes.png"):
        assert (out / name).read_bytes()[:8] == PNG_MAGIC
    # the text names the counts and where the files went
    assert "two_moons" in result.stdout
    assert str(whole["activation_regions"]) in result.stdout
    assert "report.html" in result.stdout


def test_analyze_max2_into_a_chosen_folder(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "nested" / "report"  # parents are created
    result = run("analyze", "max2", "--out", out, "-q")
    assert result.exit_code == 0, (result.output, result.exception)
    report = read_report(out)
    assert data(report, "info")["architecture"] == [2, 3, 1]
    assert data(report, "info")["parameters"] == 13
    assert counts(data(report, "regions")["whole_space"]) == (4, 2, 2, 0)
    assert counts(data(report, "regions")["box"]) == (4, 2, 2, 2)
    assert (out / "regions.png").read_bytes()[:8] == PNG_MAGIC
    # max2's neurons switch on the lines y = x and y = 0, which cut [-3, 3]^2 into cells of
    # areas 9/2, 9/2, 27/2, 27/2 (lower median 9/2)
    volumes = data(report, "regions")["cell_volumes"]
    assert [volumes[k] for k in ("smallest", "median", "largest", "total")] == pytest.approx(
        [4.5, 4.5, 13.5, 36]
    )


def test_analyze_a_file_exactly(tmp_path):
    out = tmp_path / "out"
    result = run("analyze", example_path("sectors"), "--out", out, "--exact", "-q")
    assert result.exit_code == 0, (result.output, result.exception)
    report = read_report(out)
    whole = data(report, "regions")["whole_space"]
    assert whole["exact"] is True
    assert counts(whole) == (6, 6, 5, 0)
    volumes = data(report, "regions")["cell_volumes"]
    assert volumes["total"] == volumes["box"] == 36  # exact: the areas add up to the box's
    items = {i["key"]: i for i in report["sections"]["regions"]["items"]}
    assert items["cell_volumes.total"]["exact"] is True
    assert items["cell_volumes.smallest"]["value"] == volumes["smallest"]


def test_analyze_a_1d_net_draws_its_graph(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "abs"
    result = run("analyze", "abs", "--out", out, "-q")
    assert result.exit_code == 0, (result.output, result.exception)
    assert sorted(p.name for p in out.iterdir()) == [
        "cell_volumes.png",
        "function.png",
        "report.html",
        "report.json",
    ]
    report = read_report(out)
    assert data(report, "info")["architecture"] == [1, 2, 1]
    assert report["sections"]["regions"]["figures"] == ["function.png", "cell_volumes.png"]
    assert counts(data(report, "regions")["whole_space"]) == (2, 2, 2, 0)
    assert counts(data(report, "regions")["box"]) == (2, 2, 2, 2)
    volumes = data(report, "regions")["cell_volumes"]
    assert (volumes["measure"], volumes["smallest"], volumes["largest"]) == ("length", 3, 3)


def test_analyze_a_rational_net_reports_info_only(tmp_path):
    net = tmp_path / "rat.json"
    net.write_text(
        json.dumps(
            {
                "activation": "rational",
                "layers": [{"weight": [[1, 0], [0, 1]], "bias": [1, 1]}, {"weight": [[1, 1]]}],
            }
        )
    )
    out = tmp_path / "out"
    result = run("analyze", net, "--out", out, "-q")
    assert result.exit_code == 0, (result.output, result.exception)
    report = read_report(out)
    assert data(report, "info")["activation"] == "rational"
    assert report["sections"]["regions"]["status"] == "not applicable"
    assert "piecewise-linear" in report["sections"]["regions"]["reason"]
    assert report["complete"] is True
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "not applicable" in page and "piecewise-linear" in page


def test_analyze_out_pointing_at_a_file_is_refused(tmp_path):
    target = tmp_path / "taken"
    target.write_text("keep me")
    result = run("analyze", "max2", "--out", target, "-q")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "taken" in result.stderr
    assert target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_analyze_a_bad_net_leaves_nothing_behind(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"layers": [{"weight": [[NaN]]}]}')
    out = tmp_path / "out"
    result = run("analyze", bad, "--out", out, "-q")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.json" in lines[0]
    assert not out.exists()


def test_analyze_missing_net(tmp_path):
    out = tmp_path / "out"
    result = run("analyze", tmp_path / "nope.json", "--out", out, "-q")
    assert result.exit_code == 2
    assert "nope.json" in result.stderr
    assert not out.exists()


def test_a_failure_while_writing_leaves_no_partial_report(tmp_path, monkeypatch):
    """The report is written atomically: a write that dies half-way leaves no report.json."""
    out = tmp_path / "out"
    real_write_text = pathlib.Path.write_text

    def dying_write_text(self, data, *args, **kwargs):
        if self.parent == out and self.name.startswith(".report.json"):
            real_write_text(self, data[: len(data) // 2], *args, **kwargs)
            raise OSError(28, "No space left on device")
        return real_write_text(self, data, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "write_text", dying_write_text)
    result = run("analyze", "abs", "--out", out, "-q")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "neurogeom: cannot read or write a file: [Errno 28] No space left on device"
    ]
    assert not (out / "report.json").exists()
    assert [p.name for p in out.iterdir()] == []  # no temporary file either


def test_a_failing_analysis_leaves_no_report(tmp_path, monkeypatch):
    import neurogeom.regions as regions
    from neurogeom.core.errors import InvalidInputError

    def boom(*args, **kwargs):
        raise InvalidInputError("simulated failure")

    monkeypatch.setattr(regions, "enumerate_regions", boom)
    out = tmp_path / "out"
    result = run("analyze", "abs", "--out", out, "-q")
    assert result.exit_code == 2
    assert "simulated failure" in result.stderr
    assert not (out / "report.json").exists()


def test_analyze_rerun_overwrites_the_report(tmp_path):
    out = tmp_path / "out"
    assert run("analyze", "abs", "--out", out, "-q").exit_code == 0
    (out / "report.json").write_text("stale")
    assert run("analyze", "tent3", "--out", out, "-q").exit_code == 0
    assert data(read_report(out), "info")["architecture"] == [1, 2, 2, 2, 1]


def test_analyze_budget_exits_3_and_marks_the_report_incomplete(tmp_path):
    out = tmp_path / "out"
    result = run("analyze", "tent3", "--out", out, "--time-limit", "1e-9", "-q")
    assert result.exit_code == 3, (result.output, result.exception)
    report = read_report(out)
    assert report["complete"] is False
    assert report["sections"]["regions"]["status"] == "incomplete"
    assert "time limit" in report["sections"]["regions"]["reason"]
    assert "incomplete" in result.stdout
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Why:" in page and report["sections"]["regions"]["reason"] in page


def test_analyze_bad_time_limit(tmp_path):
    out = tmp_path / "out"
    result = run("analyze", "abs", "--out", out, "--time-limit", "0", "-q")
    assert result.exit_code == 2
    assert "--time-limit" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (out / "report.json").exists()


def test_analyze_subprocess(tmp_path):
    out = tmp_path / "out"
    proc = installed("analyze", "abs", "--out", out, "-q")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert data(read_report(out), "info")["architecture"] == [1, 2, 1]
    proc = installed("analyze", "abs", "--out", out / "report.json", "-q")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_analyze_json_is_the_report_on_stdout(tmp_path):
    out = tmp_path / "out"
    proc = installed("analyze", "max2", "--out", out, "--json", "-q")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc == read_report(out)
    assert counts(data(doc, "regions")["whole_space"]) == (4, 2, 2, 0)
