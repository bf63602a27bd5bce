"""What every command shares: error handling and exit codes, loading a network, options, output.

Exit status (a stable contract): 0 success, 2 bad input (one line on stderr naming the problem and
how to fix it, no traceback), 3 a stated budget ran out (partial results are still printed, marked
``"complete": false``), 130 interrupted by Ctrl-C, 1 anything else (a bug).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from neurogeom.core.errors import (
    BudgetExceededError,
    InvalidInputError,
    NeurogeomError,
    NumericalError,
)

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_BUDGET",
    "EXIT_INTERRUPTED",
    "NeurogeomGroup",
    "activation_option",
    "emit",
    "exact_option",
    "example_entry",
    "finite",
    "json_option",
    "load_net",
    "parse_box",
    "protected_stdout",
    "quiet_option",
    "time_limit_option",
]

EXIT_BAD_INPUT = 2
EXIT_BUDGET = 3
EXIT_INTERRUPTED = 130

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class NeurogeomGroup(click.Group):
    """A click group that turns neurogeom errors into one-line messages and exit codes."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            click.echo(f"neurogeom: error: {exc.format_message()}{where}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except click.Abort:
            click.echo("neurogeom: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always")
                # other packages' deprecation notices (an old matplotlib on a new pyparsing
                # prints hundreds) are for developers, not for a command's user
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.simplefilter("ignore", PendingDeprecationWarning)
                warnings.showwarning = _show_warning
                return super().invoke(ctx)
        except BudgetExceededError as exc:
            click.echo(f"neurogeom: budget exhausted: {exc}", err=True)
            sys.exit(EXIT_BUDGET)
        except NumericalError as exc:
            click.echo(f"neurogeom: numerical problem: {exc}", err=True)
            sys.exit(1)
        except NeurogeomError as exc:
            click.echo(f"neurogeom: error: {_one_line(exc)}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("neurogeom: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except RecursionError:
            click.echo("neurogeom: error: the input is nested too deeply to read", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except OSError as exc:
            click.echo(f"neurogeom: cannot read or write a file: {exc}", err=True)
            sys.exit(1)


def _show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    """Library warnings (an assumed activation, workers that do not apply) as one line each."""
    click.echo(f"neurogeom: warning: {_one_line(message)}", err=True)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


@contextlib.contextmanager
def protected_stdout() -> Iterator[None]:
    """Keep standard output for the command's own output.

    For the duration of the block, file descriptor 1 points at standard error, so anything a
    C library prints (solver banners, warnings) cannot corrupt ``--json`` output; ``sys.stdout``
    writes to the real standard output through a duplicate of the original descriptor.
    """
    try:
        real = os.dup(1)
    except OSError:
        yield
        return
    saved_stdout = sys.stdout
    stream = os.fdopen(real, "w", encoding="utf-8", errors="replace", closefd=False)
    try:
        sys.stdout.flush()
        os.dup2(2, 1)
        sys.stdout = stream
        yield
    finally:
        stream.flush()
        sys.stdout = saved_stdout
        os.dup2(real, 1)
        os.close(real)


def load_net(spec: str, *, exact: bool = False, activation: str | None = None) -> tuple[Any, str]:
    """Load a network from a path or the name of a bundled example; return it and its source.

    The network is named after the file (or the example), so that errors raised later name it.
    """
    from neurogeom.data import example_path, list_examples
    from neurogeom.nets.io import load

    path = Path(spec)
    name = str(path)
    if not path.exists():
        if spec in list_examples():
            path, name = example_path(spec), spec
        elif not path.suffix:
            raise InvalidInputError(
                f"{spec!r} is neither a file nor a bundled example; bundled examples: "
                f"{', '.join(sorted(list_examples()))}"
            )
    return load(path, exact=exact, activation=activation).with_name(name), str(path)


def example_entry(spec: str, examples: Mapping[str, T], what: str) -> T | None:
    """The built-in example that ``spec`` names as ``example:NAME``, or ``None`` for any other
    ``spec``; an unknown ``NAME`` is bad input.

    Parameters
    ----------
    spec : str
        What the user gave (a path, or ``example:NAME``).
    examples : mapping
        The built-in examples by name.
    what : str
        What they are, for the error message (``"network"``, ``"data"``).

    Returns
    -------
    object or None
        ``examples[NAME]``, or ``None`` when ``spec`` does not start with ``example:``.

    Raises
    ------
    InvalidInputError
        For an unknown ``NAME`` (the message lists the available ones).

    Examples
    --------
    >>> example_entry("example:a", {"a": 1}, "data"), example_entry("a.npz", {"a": 1}, "data")
    (1, None)
    """
    if not spec.startswith("example:"):
        return None
    name = spec.split(":", 1)[1]
    if name not in examples:
        raise InvalidInputError(
            f"unknown example {what} {name!r}; available: {', '.join(sorted(examples))}"
        )
    return examples[name]


def activation_option(f: F) -> F:
    """``--activation``: the activation of files that do not record it (a state_dict)."""
    return click.option(
        "--activation",
        metavar="ACT",
        help="Activation between layers for files that do not record it (a PyTorch "
        "state_dict; ReLU is assumed otherwise, with a warning): relu or leaky_relu:<slope>.",
    )(f)


def emit(obj: dict[str, Any], as_json: bool, text: str) -> None:
    """Print one JSON object (``--json``) or the readable text."""
    if as_json:
        click.echo(json.dumps(obj, indent=2))
    else:
        click.echo(text)


def finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """Click callback refusing NaN and infinity (FloatRange lets them through)."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number")
    return value


def parse_box(box: tuple[str, str] | None) -> Any:
    """``--box LO HI`` (numbers, or comma-separated vectors) as a ``(lower, upper)`` pair."""
    if box is None:
        return None
    lo, hi = box
    los = [v.strip() for v in lo.split(",")]
    his = [v.strip() for v in hi.split(",")]
    return (los[0] if len(los) == 1 else los, his[0] if len(his) == 1 else his)


def json_option(f: F) -> F:
    """``--json``: print one JSON object on stdout."""
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")(f)


def quiet_option(f: F) -> F:
    """``--quiet``: no progress bars."""
    return click.option("--quiet", "-q", is_flag=True, help="No progress bars.")(f)


def exact_option(f: F) -> F:
    """``--exact``: exact rational arithmetic."""
    return click.option(
        "--exact", is_flag=True, help="Exact rational arithmetic: certified results."
    )(f)


def time_limit_option(default: float | None = None, what: str = "the whole command") -> Callable:
    """``--time-limit SECONDS`` for ``what``."""

    def deco(f: F) -> F:
        return click.option(
            "--time-limit",
            type=click.FloatRange(min=0, min_open=True),
            callback=finite,
            default=default,
            show_default=default is not None,
            help=f"Stop after SECONDS ({what}); partial results are marked incomplete.",
        )(f)

    return deco
