"""Every public function, class, method and property of ``neurogeom.rational`` has a numpydoc
docstring with an Examples section holding a doctest (pytest's ``--doctest-modules`` runs them)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import neurogeom.rational as package

MODULES = [package] + [
    importlib.import_module(f"{package.__name__}.{m.name}")
    for m in pkgutil.iter_modules(package.__path__)
    if not m.name.startswith("_")
]


def _public_objects():
    seen = {}
    for module in MODULES:
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                seen[f"{obj.__module__}.{obj.__qualname__}"] = obj
                if inspect.isclass(obj):
                    for attr, member in vars(obj).items():
                        if attr.startswith("_") and attr != "__call__":
                            continue
                        func = member.fget if isinstance(member, property) else member
                        if inspect.isfunction(func):
                            seen[f"{obj.__module__}.{obj.__qualname__}.{attr}"] = func
    return seen


PUBLIC = _public_objects()


def test_the_public_surface_is_found() -> None:
    assert len(PUBLIC) > 60
    assert "neurogeom.rational.dimension.dimension" in PUBLIC
    assert "neurogeom.rational.expansion.Expansion.to_dict" in PUBLIC


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_docstring_has_a_runnable_example(name) -> None:
    doc = inspect.getdoc(PUBLIC[name]) or ""
    assert doc, f"{name} has no docstring"
    assert "\nExamples\n--------\n" in doc, f"{name}: no numpydoc Examples section"
    examples = doc.split("\nExamples\n--------\n", 1)[1]
    assert ">>> " in examples, f"{name}: the Examples section has no doctest"


@pytest.mark.parametrize(
    "name",
    sorted(n for n in package.__all__ if inspect.isfunction(getattr(package, n))),
)
def test_package_functions_document_their_parameters(name) -> None:
    func = getattr(package, name)
    doc = inspect.getdoc(func)
    for param in inspect.signature(func).parameters:
        assert "\nParameters\n----------\n" in doc, f"{name}: no Parameters section"
        assert param in doc.split("\nParameters\n----------\n", 1)[1], f"{name}: {param}"
    assert "\nReturns\n-------\n" in doc, f"{name}: no Returns section"
