"""The error family: every error is a NeurogeomError and the built-in it resembles."""

from __future__ import annotations

import pytest

import neurogeom
from neurogeom.core import errors
from neurogeom.core.errors import (
    BackendUnavailableError,
    BudgetExceededError,
    InvalidInputError,
    InvalidNetworkError,
    NeurogeomError,
    NumericalError,
    UnsupportedLayerError,
)
from neurogeom.core.optional import require

FAMILY = [
    (InvalidNetworkError, ValueError),
    (UnsupportedLayerError, TypeError),
    (InvalidInputError, ValueError),
    (NumericalError, ArithmeticError),
    (BackendUnavailableError, ImportError),
    (BudgetExceededError, RuntimeError),
]


@pytest.mark.parametrize(("cls", "builtin"), FAMILY, ids=[c.__name__ for c, _ in FAMILY])
def test_each_error_is_a_neurogeom_error_and_its_builtin(
    cls: type[Exception], builtin: type[Exception]
) -> None:
    assert issubclass(cls, NeurogeomError)
    assert issubclass(cls, builtin)
    with pytest.raises(builtin, match="layer 2"):
        raise cls("layer 2: something is wrong")
    with pytest.raises(NeurogeomError):
        raise cls("caught by the base class")


def test_base_class_is_an_exception_but_not_a_value_error() -> None:
    assert issubclass(NeurogeomError, Exception)
    assert not issubclass(NeurogeomError, ValueError)


def test_budget_exceeded_carries_the_partial_result() -> None:
    partial = {"regions": 7, "complete": False}
    exc = BudgetExceededError("--max-regions 7 reached", partial=partial)
    assert exc.partial is partial
    assert str(exc) == "--max-regions 7 reached"
    assert BudgetExceededError("time limit").partial is None


def test_errors_are_exported_at_the_top_level_and_listed() -> None:
    for cls, _ in FAMILY:
        assert getattr(neurogeom, cls.__name__) is cls
        assert cls.__name__ in errors.__all__
    assert neurogeom.NeurogeomError is NeurogeomError


def test_require_imports_an_available_module() -> None:
    json_module = require("json", extra="none")
    assert json_module.loads("[1, 2]") == [1, 2]
    assert require("os.path", extra="none").join("a", "b")


def test_require_names_the_extra_for_a_missing_module() -> None:
    with pytest.raises(BackendUnavailableError) as info:
        require("no_such_module_xyz.sub", extra="topology")
    message = str(info.value)
    assert "'no_such_module_xyz'" in message
    assert "pip install 'neurogeom[topology]'" in message
    assert isinstance(info.value, ImportError)
    assert isinstance(info.value.__cause__, ImportError)
