"""Multivariate polynomials for rational networks: python-flint ``fmpq_mpoly`` in ``x1, ..., xn``.

Polynomials are exact (``flint.fmpq_mpoly``, GMP coefficients) in one context per number of
variables, named ``x1, x2, ...`` as on the command line. This module parses them from text,
writes them back, converts them to sympy (for display and cross-checks only) and offers the few
helpers the rest of the package shares (homogeneity, coefficient vectors, linear forms).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.optional import require
from neurogeom.core.rationals import fmpq_to_fraction, to_fmpq

__all__ = [
    "coefficient_vector",
    "context",
    "evaluate_exact",
    "evaluate_float",
    "forms_basis",
    "is_homogeneous",
    "linear_form",
    "linear_form_coefficients",
    "parse_polynomial",
    "poly_to_text",
    "to_sympy",
]


@functools.cache
def context(n_vars: int, *, homogenising: bool = False) -> flint.fmpq_mpoly_ctx:
    """The ``fmpq_mpoly`` context in ``x1, ..., xn`` (with ``x0`` first when homogenising).

    Examples
    --------
    >>> context(2).names(), context(2, homogenising=True).names()
    (('x1', 'x2'), ('x0', 'x1', 'x2'))
    """
    start = 0 if homogenising else 1
    names = tuple(f"x{i}" for i in range(start, n_vars + 1))
    return flint.fmpq_mpoly_ctx.get(names, "degrevlex")


def is_homogeneous(poly: flint.fmpq_mpoly) -> bool:
    """Whether every term has the same total degree (the zero polynomial is homogeneous).

    Examples
    --------
    >>> x1, x2 = context(2).gens()
    >>> is_homogeneous(x1 * x2 - x2**2), is_homogeneous(x1 + 1)
    (True, False)
    """
    return len({int(sum(m)) for m in poly.monoms()}) <= 1


def linear_form(ctx: flint.fmpq_mpoly_ctx, coefficients: Sequence[Any]) -> flint.fmpq_mpoly:
    """``Σ c_j x_j`` in ``ctx`` (the first ``len(coefficients)`` variables).

    Examples
    --------
    >>> print(linear_form(context(2), ["1/2", -1]))
    1/2*x1 - x2
    """
    gens = ctx.gens()
    out = ctx.from_dict({})
    for g, c in zip(gens, coefficients, strict=False):
        q = to_fmpq(c)
        if q != 0:
            out += g * q
    return out


def linear_form_coefficients(poly: flint.fmpq_mpoly, n_vars: int) -> list[Fraction] | None:
    """The coefficients ``(c_1, ..., c_n)`` of a linear form, or ``None`` if it is not one.

    Examples
    --------
    >>> x1, x2 = context(2).gens()
    >>> linear_form_coefficients(3 * x1 - x2, 2), linear_form_coefficients(x1 * x2, 2)
    ([Fraction(3, 1), Fraction(-1, 1)], None)
    """
    out = [Fraction(0)] * n_vars
    for monom, coeff in poly.terms():
        exps = [int(e) for e in monom]
        if sum(exps) != 1:
            return None
        out[exps.index(1)] = fmpq_to_fraction(coeff)
    return out


@functools.cache
def forms_basis(n_vars: int, degree: int) -> tuple[tuple[int, ...], ...]:
    """The exponent vectors of all forms of ``degree`` in ``n_vars`` variables, in a fixed order.

    Examples
    --------
    >>> forms_basis(2, 2)
    ((2, 0), (1, 1), (0, 2))
    """
    if n_vars == 1:
        return ((degree,),)
    out = []
    for first in range(degree, -1, -1):
        for rest in forms_basis(n_vars - 1, degree - first):
            out.append((first, *rest))
    return tuple(out)


def coefficient_vector(poly: flint.fmpq_mpoly, n_vars: int, degree: int) -> list[Fraction]:
    """Coefficients of a form of ``degree`` in the order of :func:`forms_basis`.

    Examples
    --------
    >>> x1, x2 = context(2).gens()
    >>> coefficient_vector(x1**2 - 3 * x2**2, 2, 2)
    [Fraction(1, 1), Fraction(0, 1), Fraction(-3, 1)]
    """
    basis = forms_basis(n_vars, degree)
    index = {m: k for k, m in enumerate(basis)}
    out = [Fraction(0)] * len(basis)
    for monom, coeff in poly.terms():
        key = tuple(int(e) for e in monom)
        if key not in index:
            raise InvalidInputError(f"{poly} is not a form of degree {degree}")
        out[index[key]] = fmpq_to_fraction(coeff)
    return out


# -- text ------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<var>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>\*\*|[-+*/^()]))"
)


class _Parser:
    """Recursive descent over ``expr := term (('+'|'-') term)*``,
    ``term := unary (('*'|'/') unary)*``, ``unary := ('+'|'-') unary | power``,
    ``power := atom (('^'|'**') integer)?``, ``atom := number | variable | '(' expr ')'``.
    Division is allowed by constants only."""

    def __init__(self, text: str, ctx: flint.fmpq_mpoly_ctx, what: str) -> None:
        self.text = text
        self.ctx = ctx
        self.what = what
        self.names = {name: g for name, g in zip(ctx.names(), ctx.gens(), strict=True)}
        if len(self.names) == 1:
            self.names.setdefault("x", ctx.gens()[0])
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                self.fail(f"unexpected character {text[pos:].strip()[0]!r}", pos)
            kind = m.lastgroup
            assert kind is not None
            self.tokens.append((kind, m.group(kind), m.start(kind)))
            pos = m.end()
        self.i = 0

    def fail(self, message: str, pos: int | None = None) -> None:
        where = f" at position {pos}" if pos is not None else ""
        names = ", ".join(sorted(n for n in self.names if n != "x"))
        raise InvalidInputError(
            f"{self.what}: {message}{where} in {self.text!r}; write polynomials in {names} with "
            "numbers, +, -, *, ^ and parentheses, e.g. '3*x1^2 - x1*x2'"
        )

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None:
            self.fail("unexpected end")
        self.i += 1
        return tok  # type: ignore[return-value]

    def parse(self) -> flint.fmpq_mpoly:
        if not self.tokens:
            self.fail("empty polynomial")
        out = self.expr()
        tok = self.peek()
        if tok is not None:
            self.fail(f"unexpected {tok[1]!r}", tok[2])
        return out

    def expr(self) -> flint.fmpq_mpoly:
        out = self.term()
        while (tok := self.peek()) is not None and tok[1] in "+-" and tok[0] == "op":
            self.take()
            rhs = self.term()
            out = out + rhs if tok[1] == "+" else out - rhs
        return out

    def term(self) -> flint.fmpq_mpoly:
        out = self.unary()
        while (tok := self.peek()) is not None and tok[0] == "op" and tok[1] in ("*", "/"):
            self.take()
            rhs = self.unary()
            if tok[1] == "*":
                out = out * rhs
            else:
                if not rhs.is_constant():
                    self.fail("division by a non-constant", tok[2])
                c = rhs.leading_coefficient() if not rhs.is_zero() else 0
                if c == 0:
                    self.fail("division by zero", tok[2])
                out = out * (1 / flint.fmpq(c))
        return out

    def unary(self) -> flint.fmpq_mpoly:
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] in "+-":
            self.take()
            inner = self.unary()
            return -inner if tok[1] == "-" else inner
        return self.power()

    def power(self) -> flint.fmpq_mpoly:
        base = self.atom()
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] in ("^", "**"):
            self.take()
            exp_tok = self.take()
            if exp_tok[0] != "num" or not exp_tok[1].isdigit():
                self.fail("exponents must be non-negative integers", exp_tok[2])
            e = int(exp_tok[1])
            if e > 10_000:
                self.fail(f"exponent {e} is too large", exp_tok[2])
            return base**e
        return base

    def atom(self) -> flint.fmpq_mpoly:
        kind, value, pos = self.take()
        if kind == "num":
            q = Fraction(value)
            return self.ctx.from_dict({}) + flint.fmpq(q.numerator, q.denominator)
        if kind == "var":
            if value not in self.names:
                self.fail(f"unknown variable {value!r}", pos)
            return self.names[value]
        if value == "(":
            inner = self.expr()
            close = self.take()
            if close[1] != ")":
                self.fail("missing ')'", close[2])
            return inner
        self.fail(f"unexpected {value!r}", pos)
        raise AssertionError  # unreachable


def parse_polynomial(text: Any, n_vars: int, *, what: str = "polynomial") -> flint.fmpq_mpoly:
    """Parse a polynomial in ``x1, ..., xn`` with rational coefficients.

    Parameters
    ----------
    text : str, int, Fraction or fmpq_mpoly
        E.g. ``"3*x1^2 - x1*x2/2 + 1"``; ``**`` also means power; decimals are exact
        (``"0.1"`` is 1/10). A polynomial already in the right context is returned unchanged.
    n_vars : int
        Number of variables ``n``.
    what : str
        Its name in error messages ("numerator 2").

    Returns
    -------
    flint.fmpq_mpoly

    Raises
    ------
    InvalidInputError
        Naming the position and the token that could not be read.

    Examples
    --------
    >>> print(parse_polynomial("(x1 + x2)^2 - 2*x1*x2", 2))
    x1^2 + x2^2
    >>> parse_polynomial("x1 + y", 2, what="numerator 1")
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: numerator 1: unknown variable 'y' at position 5 ...
    """
    ctx = context(n_vars)
    if isinstance(text, flint.fmpq_mpoly):
        if text.context() is not ctx:
            raise InvalidInputError(
                f"{what} lives in the variables {text.context().names()}, expected {ctx.names()}"
            )
        return text
    if isinstance(text, int | Fraction | flint.fmpq | flint.fmpz) and not isinstance(text, bool):
        return ctx.from_dict({}) + to_fmpq(text)
    if not isinstance(text, str):
        raise InvalidInputError(
            f"{what} must be a polynomial as text, got {type(text).__name__} {text!r}"
        )
    return _Parser(text, ctx, what).parse()


def poly_to_text(poly: flint.fmpq_mpoly) -> str:
    """The polynomial as text that :func:`parse_polynomial` reads back.

    Examples
    --------
    >>> x1, x2 = context(2).gens()
    >>> poly_to_text(x1**2 * x2 / 3 - 1)
    '1/3*x1^2*x2 - 1'
    """
    return str(poly)


def to_sympy(poly: flint.fmpq_mpoly) -> Any:
    """The polynomial as a sympy expression (needs the ``symbolic`` extra).

    Examples
    --------
    >>> x1, x2 = context(2).gens()
    >>> to_sympy(x1 * x2 - x2 / 2)
    x1*x2 - x2/2
    """
    sp = require("sympy", extra="symbolic")
    symbols = sp.symbols(poly.context().names())
    if isinstance(symbols, sp.Symbol):
        symbols = (symbols,)
    out = sp.Integer(0)
    for monom, coeff in poly.terms():
        c = fmpq_to_fraction(coeff)
        term = sp.Rational(c.numerator, c.denominator)
        for s, e in zip(symbols, monom, strict=True):
            if e:
                term *= s ** int(e)
        out += term
    return out


def evaluate_exact(poly: flint.fmpq_mpoly, point: Sequence[Any]) -> Fraction:
    """Exact value at a rational point.

    Examples
    --------
    >>> x1, x2 = context(2).gens()
    >>> evaluate_exact(x1 * x2 - 1, ["1/2", 4])
    Fraction(1, 1)
    """
    return fmpq_to_fraction(poly(*[to_fmpq(v) for v in point]))


def evaluate_float(poly: flint.fmpq_mpoly, points: np.ndarray) -> np.ndarray:
    """Values at many float (or complex) points, term by term (shape ``(N,)``).

    Examples
    --------
    >>> x1, x2 = context(2).gens()
    >>> evaluate_float(x1**2 - x2, np.array([[2.0, 1.0], [0.0, 3.0]])).tolist()
    [3.0, -3.0]
    """
    points = np.asarray(points)
    out = np.zeros(points.shape[0], dtype=np.result_type(points.dtype, np.float64))
    for monom, coeff in poly.terms():
        term = np.full(points.shape[0], float(coeff), dtype=out.dtype)
        for j, e in enumerate(monom):
            if e:
                term = term * points[:, j] ** int(e)
        out += term
    return out
