"""Pip constraints pinning every core, test and build dependency at its stated lower bound.

CI installs neurogeom a second time with these constraints, in a fresh environment, so that the
oldest versions ``pyproject.toml`` claims to support are tested as well as the newest. Every
requirement in ``pyproject.toml`` must state its lower bound as ``name>=X``, where X is a release
that exists on PyPI (CI pins ``name==X``); a requirement without one is an error here, so a
dependency cannot be added without a tested lower bound (``tests/test_ci_lower_bounds.py``).

Usage: ``python .ci/lower_bounds.py [PYPROJECT] > constraints.txt``; the constraints then go to
pip through ``PIP_CONSTRAINT``, which also reaches pip's isolated build environment (hatchling).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

#: The optional-dependency groups CI installs, besides the core dependencies and the build system.
TESTED_EXTRAS = ("test",)

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*$")


class LowerBoundError(ValueError):
    """A requirement in pyproject.toml whose lower bound cannot be read."""


def normalise(name: str) -> str:
    """A distribution name as pip compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lower_bound(requirement: str) -> tuple[str, str]:
    """``(normalised name, X)`` for a requirement ``name[extras]>=X[,<other clauses>]``."""
    if ";" in requirement or "@" in requirement:
        raise LowerBoundError(
            f"{requirement!r}: markers and URLs are not understood by .ci/lower_bounds.py"
        )
    match = _REQUIREMENT.match(requirement)
    if match is None:
        raise LowerBoundError(f"{requirement!r} is not a requirement 'name>=version'")
    name, _extras, spec = match.groups()
    clauses = [c.strip() for c in spec.split(",") if c.strip()]
    lows = [c[2:].strip() for c in clauses if c.startswith(">=")]
    if len(lows) != 1 or not re.fullmatch(r"\d+(\.\d+)*", lows[0]):
        raise LowerBoundError(
            f"{requirement!r} needs exactly one lower bound '>=X' with X a release number "
            "(CI installs X to test it)"
        )
    return normalise(name), lows[0]


def requirement_groups(pyproject: dict) -> dict[str, list[str]]:
    """Every requirement list of the project: core, build system and each extra."""
    project = pyproject["project"]
    groups = {
        "dependencies": list(project.get("dependencies", [])),
        "build-system": list(pyproject.get("build-system", {}).get("requires", [])),
    }
    for extra, reqs in project.get("optional-dependencies", {}).items():
        groups[f"extra {extra!r}"] = list(reqs)
    return groups


def _is_self(requirement: str, project: dict) -> bool:
    match = _REQUIREMENT.match(requirement)
    return match is not None and normalise(match.group(1)) == normalise(project["name"])


def all_lower_bounds(pyproject: dict) -> dict[str, str]:
    """``{name: lower bound}`` over every requirement list, each checked.

    Raises :class:`LowerBoundError` for a requirement without a lower bound, or for a package
    given two different lower bounds in two lists (``onnx>=1.14`` in the test extra but
    ``onnx>=1.15`` in the onnx extra would leave one of them untested). Extras that CI does not
    install (torch, gudhi, dask, ...) are held to the same form. An extra made of other extras
    of the project itself (``neurogeom[onnx,figures]``) needs no bound.
    """
    bounds: dict[str, str] = {}
    for group, reqs in requirement_groups(pyproject).items():
        for req in reqs:
            if _is_self(req, pyproject["project"]):
                continue
            try:
                name, low = lower_bound(req)
            except LowerBoundError as err:
                raise LowerBoundError(f"pyproject.toml, {group}: {err}") from None
            if bounds.setdefault(name, low) != low:
                raise LowerBoundError(
                    f"pyproject.toml, {group}: {name}>={low}, but another list says "
                    f"{name}>={bounds[name]}; state one lower bound"
                )
    return bounds


def constraints(pyproject: dict, extras: tuple[str, ...] = TESTED_EXTRAS) -> dict[str, str]:
    """``{name: lowest version}`` for the core, build-system and given extras' requirements."""
    bounds = all_lower_bounds(pyproject)
    groups = requirement_groups(pyproject)
    missing = [e for e in extras if f"extra {e!r}" not in groups]
    if missing:
        raise LowerBoundError(f"pyproject.toml has no optional-dependencies {missing}")
    tested = ["dependencies", "build-system", *(f"extra {e!r}" for e in extras)]
    return {
        name: bounds[name]
        for group in tested
        for req in groups[group]
        if not _is_self(req, pyproject["project"])
        for name in [lower_bound(req)[0]]
    }


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parents[1] / "pyproject.toml"
    path = Path(argv[1]) if len(argv) > 1 else default
    try:
        pins = constraints(tomllib.loads(path.read_text(encoding="utf-8")))
    except LowerBoundError as err:
        print(f"lower_bounds.py: {err}", file=sys.stderr)
        return 2
    sys.stdout.write("".join(f"{name}=={low}\n" for name, low in sorted(pins.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
