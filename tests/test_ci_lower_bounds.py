"""``.ci/lower_bounds.py``: the constraints that pin CI's second environment at the lower bounds.

The oracle for the real ``pyproject.toml`` is a plain reading of its requirement strings (name up
to the first bracket or comparison, version after ``>=``); made-up pyprojects check that a
requirement without a usable lower bound is refused, so a dependency cannot be added untested.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("lower_bounds", ROOT / ".ci" / "lower_bounds.py")
assert _spec is not None and _spec.loader is not None
lower_bounds = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lower_bounds)

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def project(dependencies: list[str], **extras: list[str]) -> dict:
    return {
        "build-system": {"requires": ["hatchling>=1.21"]},
        "project": {
            "name": "neurogeom",
            "dependencies": dependencies,
            "optional-dependencies": {"test": ["pytest>=7.4.2"], **extras},
        },
    }


def test_constraints_pin_every_core_build_and_test_requirement_at_its_bound() -> None:
    reqs = [
        *PYPROJECT["project"]["dependencies"],
        *PYPROJECT["build-system"]["requires"],
        *PYPROJECT["project"]["optional-dependencies"]["test"],
    ]
    expected = {}
    for req in reqs:
        name = re.split(r"[\[<>=!~ ]", req, maxsplit=1)[0].lower().replace("_", "-")
        expected[name] = req.split(">=", 1)[1].split(",")[0].strip()
    assert len(expected) >= 12  # six core, one build, six test (onnx, matplotlib, sympy...)
    assert lower_bounds.constraints(PYPROJECT) == expected


def test_every_optional_extra_states_a_lower_bound() -> None:
    bounds = lower_bounds.all_lower_bounds(PYPROJECT)
    assert {"torch", "gudhi", "dask", "onnx", "matplotlib", "sympy"} <= bounds.keys()
    assert "neurogeom" not in bounds  # the `all` extra names the project's own extras


@pytest.mark.parametrize(
    "req", ["foo", "foo<2", "foo>1.0", "foo==1.0", "foo>=1.0rc1", "foo>=1,>=2", "foo>=1; os_name"]
)
def test_a_requirement_without_a_usable_lower_bound_is_refused(req: str) -> None:
    with pytest.raises(lower_bounds.LowerBoundError, match=re.escape(repr(req))):
        lower_bounds.constraints(project(["numpy>=1.26", req]))
    # in an extra CI does not install, too
    with pytest.raises(lower_bounds.LowerBoundError, match="extra 'gpu'"):
        lower_bounds.constraints(project(["numpy>=1.26"], gpu=[req]))


def test_two_lower_bounds_for_one_package_are_refused() -> None:
    pyproject = project(["numpy>=1.26"], figures=["matplotlib>=3.7"])
    pyproject["project"]["optional-dependencies"]["test"].append("matplotlib>=3.8")
    with pytest.raises(lower_bounds.LowerBoundError, match="matplotlib"):
        lower_bounds.constraints(pyproject)


def test_names_are_normalised_and_extras_and_upper_bounds_dropped() -> None:
    pyproject = project(["Python_Flint>=0.9", "dask[distributed]>=2023.1,<2030"])
    pyproject["project"]["optional-dependencies"]["all"] = ["neurogeom[test]"]
    assert lower_bounds.constraints(pyproject) == {
        "python-flint": "0.9",
        "dask": "2023.1",
        "hatchling": "1.21",
        "pytest": "7.4.2",
    }


def test_the_script_writes_constraints_or_fails_with_one_line(tmp_path: Path) -> None:
    script = ROOT / ".ci" / "lower_bounds.py"
    done = subprocess.run([sys.executable, script], capture_output=True, text=True, check=True)
    pins = lower_bounds.constraints(PYPROJECT)
    assert done.stdout.splitlines() == sorted(f"{name}=={low}" for name, low in pins.items())
    bad = tmp_path / "pyproject.toml"
    bad.write_text('[project]\nname = "x"\ndependencies = ["numpy"]\n', encoding="utf-8")
    done = subprocess.run([sys.executable, script, bad], capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "'numpy'" in done.stderr


def test_ci_runs_the_readme_test_command_and_the_lower_bound_environment() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "pip install -e '.[test]' && python -m pytest -q -p no:cacheprovider"
    assert command in readme and command in ci
    assert ".ci/lower_bounds.py" in ci and "PIP_CONSTRAINT" in ci
