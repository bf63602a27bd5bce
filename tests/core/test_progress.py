"""progress_bar: counts always, draws only when enabled (and, when enabled, on a terminal)."""

from __future__ import annotations

import io
import sys

import pytest

from neurogeom.core.progress import ProgressBar, progress_bar


class _FakeTerminal(io.StringIO):
    """A text stream that claims to be a terminal, so tqdm draws on it."""

    def isatty(self) -> bool:
        return True


def test_disabled_bar_counts_and_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_bar(False, total=10, desc="cells") as bar:
        for _ in range(4):
            bar.update()
        bar.update(3)
        bar.set_postfix(regions=5)
    assert bar.count == 7
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ""


def test_enabled_bar_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_bar(True, total=5, desc="cells", unit="cell") as bar:
        for _ in range(5):
            bar.update()
        bar.set_postfix(regions=2)
    assert bar.count == 5
    assert "cells" in terminal.getvalue()


def test_enabled_bar_counts_without_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_bar(True, total=5, desc="cells") as bar:
        for _ in range(5):
            bar.update()
        bar.set_postfix(regions=2)
    assert bar.count == 5
    assert capsys.readouterr().out == ""


def test_bare_progress_bar_is_a_counter() -> None:
    bar = ProgressBar()
    bar.update(2)
    bar.update()
    bar.set_postfix(anything=1)
    assert bar.count == 3


def test_body_errors_propagate_through_the_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with pytest.raises(KeyError), progress_bar(True, total=3, desc="boom") as bar:
        bar.update()
        raise KeyError("x")
    assert bar.count == 1
    assert "boom" in terminal.getvalue()
