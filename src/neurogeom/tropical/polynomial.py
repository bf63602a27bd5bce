"""Max-plus (tropical) polynomials and tropical rational maps.

A *tropical polynomial* (a signomial, or max-plus Puiseux polynomial) in ``n`` variables is

    ``p(x) = max_i (c_i + α_i · x)``

with real or rational exponent vectors ``α_i`` and coefficients ``c_i``. In the tropical
semiring ``⊕ = max`` and ``⊗ = +``, so a *tropical product* of polynomials adds them (its
monomials are all pairwise sums) and a *tropical power* ``p^a`` (``a >= 0``) multiplies ``p`` by
``a``. A *tropical rational function* is a difference ``p ⊘ q = p - q``; a
:class:`TropicalRationalMap` holds one per output.

Storage: ``exponents`` is an ``(m, n)`` array and ``coefficients`` an ``(m,)`` array, either
float64 or object arrays of :class:`fractions.Fraction` (exact mode). Polynomials are kept in
canonical form: exponent rows sorted lexicographically and duplicate exponents merged with
``max``, so two polynomials with equal canonical forms are equal as functions' expressions.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.optional import require
from neurogeom.core.rationals import fraction_to_json, to_fraction

__all__ = ["TropicalPolynomial", "TropicalRationalMap", "tropical_product", "tropical_sum"]


# -- conversion helpers ---------------------------------------------------------------------------
def _is_float_entry(v: Any) -> bool:
    return isinstance(v, float | np.floating)


def _infer_exact(*arrays: Any) -> bool:
    """Exact unless some entry is a float (ints, Fractions and literal strings are exact)."""
    for arr in arrays:
        a = np.asarray(arr, dtype=object) if not isinstance(arr, np.ndarray) else arr
        if a.dtype.kind == "f":
            return False
        if a.dtype == object and any(_is_float_entry(v) for v in a.flat):
            return False
    return True


def _float_value(v: Any, name: str) -> float:
    if isinstance(v, bool | np.bool_):
        raise InvalidInputError(f"{name} must be a number, got the boolean {v!r}")
    if isinstance(v, str):
        return float(to_fraction(v, name=name))
    if isinstance(v, Fraction | numbers.Rational):
        return float(v)
    if isinstance(v, numbers.Real):
        return float(v)
    try:
        return float(to_fraction(v, name=name))
    except InvalidInputError:
        raise
    except Exception:  # pragma: no cover - exotic numbers
        raise InvalidInputError(f"{name} must be a number, got {v!r}") from None


def _exact_matrix(values: np.ndarray) -> np.ndarray:
    out = np.empty(values.shape, dtype=object)
    for idx, v in np.ndenumerate(values):
        out[idx] = to_fraction(v)
    return out


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr.flags.writeable = False
    return arr


def _format_number(v: Any) -> str:
    if isinstance(v, Fraction):
        return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    f = float(v)
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else f"{f:.6g}"


def _latex_number(v: Any) -> str:
    if isinstance(v, Fraction) and v.denominator != 1:
        return rf"\tfrac{{{abs(v.numerator)}}}{{{v.denominator}}}"
    return _format_number(abs(v))


class TropicalPolynomial:
    """A max-plus polynomial ``max_i (c_i + α_i · x)`` in canonical form.

    Parameters
    ----------
    exponents : array-like, shape (m, n)
        One exponent vector per monomial (real or rational; Puiseux exponents allowed).
    coefficients : array-like, shape (m,)
        One coefficient per monomial; ``-inf`` (the tropical zero) terms are dropped.
    exact : bool, optional
        Store exact rationals (Fractions). By default exact unless an entry is a float; strings
        such as ``"1/3"`` or ``"0.1"`` are taken as written.

    Raises
    ------
    InvalidInputError
        If the exponent rows have different lengths, the numbers of exponent rows and
        coefficients differ, an entry is NaN or infinite (``-inf`` coefficients excepted), or no
        finite monomial is left (the empty polynomial).

    Notes
    -----
    Operators follow the tropical semiring: ``p + q`` is the tropical sum ``max(p, q)``, ``p * q``
    the tropical product ``p + q`` (all pairwise sums of monomials), ``p ** a`` the tropical power
    ``a · p`` for ``a >= 0``; ``p * c`` with a number ``c`` adds ``c`` to every coefficient.

    Examples
    --------
    >>> p = TropicalPolynomial([[0, 0], [1, 0], [0, 2]], [0, 1, -3])
    >>> print(p)
    max(0, 2*x2 - 3, x1 + 1)
    >>> p([[1, 2], [-5, 0]]).tolist()
    [Fraction(2, 1), Fraction(0, 1)]
    >>> print(p + TropicalPolynomial([[1, 0]], [5]))  # duplicate exponents merge with max
    max(0, 2*x2 - 3, x1 + 5)
    >>> (p * p).n_monomials
    6
    >>> print(TropicalPolynomial([[0.5]], [float("nan")]))
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: coefficient 0 is NaN; coefficients must be numbers ...
    """

    __slots__ = ("_coefficients", "_exact", "_exponents")

    def __init__(self, exponents: Any, coefficients: Any, *, exact: bool | None = None) -> None:
        exps, coefs = _validate(exponents, coefficients)
        if exact is None:
            exact = _infer_exact(exps, coefs)
        exps, coefs = _convert_values(exps, coefs, bool(exact))
        e, c = _canonical(exps, coefs, bool(exact))
        self._exponents = _frozen(e)
        self._coefficients = _frozen(c)
        self._exact = bool(exact)

    @classmethod
    def _trusted(cls, exponents: np.ndarray, coefficients: np.ndarray, exact: bool) -> Any:
        """Build from already converted arrays (canonicalising them)."""
        if len(coefficients) == 0:
            raise InvalidInputError("the tropical polynomial has no monomials")
        out = cls.__new__(cls)
        e, c = _canonical(exponents, coefficients, exact)
        out._exponents = _frozen(e)
        out._coefficients = _frozen(c)
        out._exact = exact
        return out

    # -- constructors ---------------------------------------------------------------------------
    @classmethod
    def constant(cls, value: Any, n_vars: int, *, exact: bool | None = None) -> TropicalPolynomial:
        """The constant polynomial ``value`` in ``n_vars`` variables.

        Examples
        --------
        >>> print(TropicalPolynomial.constant(3, 2))
        3
        """
        _check_n_vars(n_vars)
        return cls([[0] * n_vars], [value], exact=exact)

    @classmethod
    def variable(cls, index: int, n_vars: int, *, exact: bool = True) -> TropicalPolynomial:
        """The coordinate ``x_{index+1}`` (0-based ``index``).

        Examples
        --------
        >>> print(TropicalPolynomial.variable(1, 3))
        x2
        """
        _check_n_vars(n_vars)
        if not (isinstance(index, int) and 0 <= index < n_vars):
            raise InvalidInputError(f"index must be in [0, {n_vars}), got {index!r}")
        row = [0] * n_vars
        row[index] = 1
        return cls([row], [0], exact=exact)

    # -- properties -----------------------------------------------------------------------------
    @property
    def exponents(self) -> np.ndarray:
        """The ``(m, n)`` exponent matrix (read-only; Fractions in exact mode)."""
        return self._exponents

    @property
    def coefficients(self) -> np.ndarray:
        """The ``(m,)`` coefficients (read-only; Fractions in exact mode)."""
        return self._coefficients

    @property
    def exact(self) -> bool:
        """Whether the entries are exact rationals."""
        return self._exact

    @property
    def n_vars(self) -> int:
        """Number of variables ``n``."""
        return self._exponents.shape[1]

    @property
    def n_monomials(self) -> int:
        """Number of (finite, merged) monomials ``m``."""
        return self._exponents.shape[0]

    def __len__(self) -> int:
        return self.n_monomials

    def monomials(self) -> tuple[tuple[tuple[Any, ...], Any], ...]:
        """``((exponent, coefficient), ...)`` in canonical order.

        Examples
        --------
        >>> TropicalPolynomial([[1], [0]], [2, 0]).monomials()
        (((Fraction(0, 1),), Fraction(0, 1)), ((Fraction(1, 1),), Fraction(2, 1)))
        """
        return tuple(
            (tuple(row), c)
            for row, c in zip(self._exponents.tolist(), self._coefficients.tolist(), strict=True)
        )

    # -- modes ----------------------------------------------------------------------------------
    def to_exact(self) -> TropicalPolynomial:
        """The same polynomial with exact entries (floats converted exactly).

        Examples
        --------
        >>> TropicalPolynomial([[0.5]], [0.25]).to_exact().coefficients.tolist()
        [Fraction(1, 4)]
        """
        if self._exact:
            return self
        return TropicalPolynomial._trusted(
            _exact_matrix(self._exponents), _exact_matrix(self._coefficients), True
        )

    def to_float(self) -> TropicalPolynomial:
        """The same polynomial in float64 (duplicates created by rounding are merged).

        Examples
        --------
        >>> TropicalPolynomial([["1/3"]], [1]).to_float().exponents.tolist()
        [[0.3333333333333333]]
        """
        if not self._exact:
            return self
        e = np.array(self._exponents.tolist(), dtype=np.float64).reshape(self._exponents.shape)
        c = np.array(self._coefficients.tolist(), dtype=np.float64)
        return TropicalPolynomial._trusted(e, c, False)

    def _like(self, other: TropicalPolynomial) -> tuple[TropicalPolynomial, TropicalPolynomial]:
        if not isinstance(other, TropicalPolynomial):
            raise InvalidInputError(
                f"expected a TropicalPolynomial, got {type(other).__name__} {other!r}"
            )
        if other.n_vars != self.n_vars:
            raise InvalidInputError(
                f"the polynomials have {self.n_vars} and {other.n_vars} variables"
            )
        if self._exact and other._exact:
            return self, other
        return self.to_float(), other.to_float()

    def _scalar(self, value: Any, name: str) -> Any:
        if self._exact and not _is_float_entry(value):
            return to_fraction(value, name=name)
        v = _float_value(value, name)
        if not math.isfinite(v):
            raise InvalidInputError(f"{name} must be a finite number, got {value!r}")
        return v

    # -- semiring operations --------------------------------------------------------------------
    def __add__(self, other: TropicalPolynomial) -> TropicalPolynomial:
        """Tropical sum ``max(p, q)``."""
        if not isinstance(other, TropicalPolynomial):
            return NotImplemented
        a, b = self._like(other)
        exact = a._exact
        return TropicalPolynomial._trusted(
            np.concatenate([a._exponents, b._exponents]),
            np.concatenate([a._coefficients, b._coefficients]),
            exact,
        )

    def __mul__(self, other: Any) -> TropicalPolynomial:
        """Tropical product: ``p + q`` for a polynomial, a coefficient shift for a number."""
        if isinstance(other, TropicalPolynomial):
            a, b = self._like(other)
            m, k, n = a.n_monomials, b.n_monomials, a.n_vars
            e = (a._exponents[:, None, :] + b._exponents[None, :, :]).reshape(m * k, n)
            c = (a._coefficients[:, None] + b._coefficients[None, :]).reshape(m * k)
            return TropicalPolynomial._trusted(e, c, a._exact)
        if isinstance(other, numbers.Real | str | Fraction) and not isinstance(other, bool):
            shift = self._scalar(other, "the constant factor")
            if not self._exact and isinstance(shift, Fraction):  # pragma: no cover
                shift = float(shift)
            c = self._coefficients + shift
            if not self._exact:
                c = c.astype(np.float64)
            return TropicalPolynomial._trusted(self._exponents.copy(), c, self._exact)
        return NotImplemented

    __rmul__ = __mul__

    def __pow__(self, power: Any) -> TropicalPolynomial:
        """Tropical power ``a · p`` for a number ``a >= 0`` (rational powers allowed).

        Examples
        --------
        >>> print(TropicalPolynomial([[0], [1]], [0, 1]) ** Fraction(1, 2))
        max(0, 1/2*x1 + 1/2)
        """
        if isinstance(power, bool) or not isinstance(power, numbers.Real | str | Fraction):
            return NotImplemented
        a = self._scalar(power, "the tropical power")
        if a < 0:
            raise InvalidInputError(
                f"a tropical polynomial has powers a >= 0 only (a · max is max of a · for a >= 0), "
                f"got {power!r}; a negative power is a tropical rational function"
            )
        if a == 0:
            return TropicalPolynomial._trusted(
                _zeros((1, self.n_vars), self._exact), _zeros((1,), self._exact), self._exact
            )
        return TropicalPolynomial._trusted(self._exponents * a, self._coefficients * a, self._exact)

    def compose(self, matrix: Any, offset: Any = None) -> TropicalPolynomial:
        """Substitute an affine map: ``q(y) = p(M y + o)``.

        Parameters
        ----------
        matrix : array-like, shape (n, k)
            ``M``; the result has ``k`` variables.
        offset : array-like, shape (n,), optional
            ``o`` (zero by default).

        Returns
        -------
        TropicalPolynomial
            Exponents ``α M`` and coefficients ``c + α · o``.

        Examples
        --------
        >>> p = TropicalPolynomial([[0], [1]], [0, 0])  # max(0, x)
        >>> print(p.compose([[1, -1]], [2]))            # max(0, y1 - y2 + 2)
        max(0, x1 - x2 + 2)
        """
        m = np.asarray(matrix, dtype=object)
        if m.ndim != 2 or m.shape[0] != self.n_vars:
            raise InvalidInputError(
                f"matrix must have shape ({self.n_vars}, k), got {np.shape(matrix)}"
            )
        exact = self._exact and _infer_exact(m, [] if offset is None else offset)
        base = self if exact else self.to_float()
        mm = _convert_values(m, np.zeros(0), exact)[0]
        if offset is None:
            oo = _zeros((self.n_vars,), exact)
        else:
            o = np.asarray(offset, dtype=object).reshape(-1)
            if o.shape != (self.n_vars,):
                raise InvalidInputError(
                    f"offset must have length {self.n_vars}, got shape {np.shape(offset)}"
                )
            oo = _convert_values(np.zeros((0, 0)), o, exact)[1]
        e = base._exponents @ mm
        c = base._coefficients + base._exponents @ oo
        if not exact:
            e, c = e.astype(np.float64), c.astype(np.float64)
        return TropicalPolynomial._trusted(e, c, exact)

    # -- evaluation -----------------------------------------------------------------------------
    def _points(self, x: Any) -> tuple[np.ndarray, bool]:
        arr = np.asarray(x, dtype=object)
        single = arr.ndim == 1
        if single:
            arr = arr[None, :]
        if arr.ndim != 2 or arr.shape[1] != self.n_vars:
            raise InvalidInputError(
                f"points must have shape (N, {self.n_vars}) or ({self.n_vars},), got {np.shape(x)}"
            )
        if self._exact and _infer_exact(arr):
            return _exact_matrix(arr), single
        pts = np.array(
            [[_float_value(v, "x") for v in row] for row in arr.tolist()], dtype=np.float64
        ).reshape(arr.shape)
        if not np.isfinite(pts).all():
            raise InvalidInputError("points must be finite")
        return pts, single

    def values(self, x: Any) -> np.ndarray:
        """The value of every monomial at every point, shape ``(N, m)``.

        Examples
        --------
        >>> TropicalPolynomial([[0], [1]], [0, 1]).values([[2]]).tolist()
        [[Fraction(0, 1), Fraction(3, 1)]]
        """
        pts, _ = self._points(x)
        if pts.dtype == object:
            return pts @ self._exponents.T + self._coefficients[None, :]
        base = self.to_float()
        return pts @ base._exponents.T + base._coefficients[None, :]

    def evaluate(self, x: Any) -> Any:
        """Evaluate at one point or a batch ``(N, n)``; exact when both are exact.

        Examples
        --------
        >>> p = TropicalPolynomial([[0], [1]], [0, "1/2"])
        >>> p.evaluate(["1/3"]), p.evaluate([[-1.0], [1.0]]).tolist()
        (Fraction(5, 6), [0.0, 1.5])
        """
        _, single = self._points(x)
        vals = self.values(x)
        out = vals.max(axis=1)
        return out[0] if single else out

    __call__ = evaluate

    def dominant(self, x: Any) -> np.ndarray:
        """Index of a maximising monomial at each point (the first one on ties).

        Examples
        --------
        >>> TropicalPolynomial([[0], [1]], [0, 0]).dominant([[-1], [2]]).tolist()
        [0, 1]
        """
        return np.asarray(np.argmax(self.values(x), axis=1), dtype=np.int64).reshape(-1)

    # -- printing -------------------------------------------------------------------------------
    def _names(self, names: Sequence[str] | None) -> list[str]:
        if names is None:
            return [f"x{i + 1}" for i in range(self.n_vars)]
        names = list(names)
        if len(names) != self.n_vars:
            raise InvalidInputError(f"need {self.n_vars} variable names, got {len(names)}")
        return names

    def _terms(self, names: list[str], latex: bool) -> list[str]:
        fmt = _latex_number if latex else (lambda v: _format_number(abs(v)))
        terms = []
        for row, c in zip(self._exponents.tolist(), self._coefficients.tolist(), strict=True):
            parts: list[str] = []
            for a, name in zip(row, names, strict=True):
                if a == 0:
                    continue
                sign = "-" if a < 0 else "+"
                mag = "" if abs(a) == 1 else (fmt(a) + (r"\," if latex else "*"))
                parts.append(f"{sign} {mag}{name}")
            if c != 0 or not parts:
                sign = "-" if c < 0 else "+"
                parts.append(f"{sign} {fmt(c)}")
            text = " ".join(parts)
            text = text[2:] if text.startswith("+ ") else "-" + text[2:]
            terms.append(text)
        return terms

    def to_string(self, names: Sequence[str] | None = None) -> str:
        """Readable form such as ``max(0, x1 + 1, 2*x2 - 3)``.

        Examples
        --------
        >>> TropicalPolynomial([[1, 0], [0, 1]], [0, 0]).to_string(["x", "y"])
        'max(y, x)'
        """
        terms = self._terms(self._names(names), latex=False)
        return terms[0] if len(terms) == 1 else f"max({', '.join(terms)})"

    def __str__(self) -> str:
        return self.to_string()

    def __repr__(self) -> str:
        text = self.to_string()
        if len(text) > 80:
            text = f"{self.n_monomials} monomials in {self.n_vars} variables"
        return f"TropicalPolynomial({text})"

    def to_latex(self, names: Sequence[str] | None = None) -> str:
        """LaTeX form (without dollars).

        Examples
        --------
        >>> TropicalPolynomial([[0], [2]], [0, "-1/2"]).to_latex()
        '\\\\max\\\\left(0,\\\\ 2\\\\,x_{1} - \\\\tfrac{1}{2}\\\\right)'
        """
        if names is None:
            names = [f"x_{{{i + 1}}}" for i in range(self.n_vars)]
        terms = self._terms(self._names(names), latex=True)
        if len(terms) == 1:
            return terms[0]
        return r"\max\left(" + r",\ ".join(terms) + r"\right)"

    def _repr_latex_(self) -> str:
        return f"${self.to_latex()}$"

    def to_sympy(self, symbols: Sequence[Any] | None = None) -> Any:
        """The polynomial as a sympy expression (``Max`` of affine terms); needs sympy.

        Examples
        --------
        >>> TropicalPolynomial([[0], [1]], [0, "1/2"]).to_sympy()
        Max(0, x1 + 1/2)
        """
        sp = require("sympy", extra="symbolic")
        if symbols is None:
            symbols = sp.symbols(f"x1:{self.n_vars + 1}")
        if len(symbols) != self.n_vars:
            raise InvalidInputError(f"need {self.n_vars} symbols, got {len(symbols)}")

        def num(v: Any) -> Any:
            return (
                sp.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else sp.Float(v)
            )

        terms = [
            num(c) + sum((num(a) * s for a, s in zip(row, symbols, strict=True)), sp.Integer(0))
            for row, c in zip(self._exponents.tolist(), self._coefficients.tolist(), strict=True)
        ]
        return sp.Max(*terms)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (rationals as ``"p/q"`` strings in exact mode).

        Examples
        --------
        >>> TropicalPolynomial([[1]], ["1/2"]).to_dict()
        {'n_vars': 1, 'exact': True, 'exponents': [[1]], 'coefficients': ['1/2']}
        """
        conv = fraction_to_json if self._exact else float
        return {
            "n_vars": self.n_vars,
            "exact": self._exact,
            "exponents": [[conv(v) for v in row] for row in self._exponents.tolist()],
            "coefficients": [conv(v) for v in self._coefficients.tolist()],
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> TropicalPolynomial:
        """Inverse of :meth:`to_dict`.

        Examples
        --------
        >>> p = TropicalPolynomial([[0], [1]], [0, "1/3"])
        >>> TropicalPolynomial.from_dict(p.to_dict()) == p
        True
        """
        try:
            return cls(doc["exponents"], doc["coefficients"], exact=doc.get("exact"))
        except (KeyError, TypeError) as exc:
            raise InvalidInputError(
                f"a tropical polynomial needs 'exponents' and 'coefficients' ({exc})"
            ) from None

    # -- comparison -----------------------------------------------------------------------------
    def _key(self) -> tuple[Any, ...]:
        return (self._exact, self.n_vars, self.monomials())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TropicalPolynomial):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


# -- validation and canonical form ----------------------------------------------------------------
def _check_n_vars(n_vars: Any) -> None:
    if isinstance(n_vars, bool) or not isinstance(n_vars, int) or n_vars < 0:
        raise InvalidInputError(f"n_vars must be a non-negative integer, got {n_vars!r}")


def _validate(exponents: Any, coefficients: Any) -> tuple[np.ndarray, np.ndarray]:
    """Shapes and finiteness; drops ``-inf`` terms. Returns object or numeric arrays."""
    if isinstance(exponents, np.ndarray) and exponents.ndim == 2:
        exps = exponents
    else:
        rows = list(exponents) if isinstance(exponents, Sequence | np.ndarray) else None
        if rows is None:
            raise InvalidInputError(
                f"exponents must be a list of exponent vectors, got {type(exponents).__name__}"
            )
        lengths = [len(r) if isinstance(r, Sequence | np.ndarray) else -1 for r in rows]
        for i, ln in enumerate(lengths):
            if ln < 0:
                raise InvalidInputError(
                    f"exponent row {i} must be a vector (one exponent per variable), got "
                    f"{rows[i]!r}"
                )
            if ln != lengths[0]:
                raise InvalidInputError(
                    f"mismatched exponent lengths: monomial {i} has {ln} exponents but monomial 0 "
                    f"has {lengths[0]}; every monomial needs one exponent per variable"
                )
        exps = np.empty((len(rows), lengths[0] if rows else 0), dtype=object)
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                exps[i, j] = v
    coefs = np.asarray(
        coefficients,
        dtype=object if not isinstance(coefficients, np.ndarray) else coefficients.dtype,
    )
    if coefs.ndim != 1:
        raise InvalidInputError(f"coefficients must be a vector, got shape {coefs.shape}")
    if coefs.shape[0] != exps.shape[0]:
        raise InvalidInputError(
            f"{exps.shape[0]} exponent rows but {coefs.shape[0]} coefficients; give one "
            "coefficient per monomial"
        )
    keep = []
    for i, c in enumerate(coefs.tolist()):
        if isinstance(c, float | np.floating) and math.isnan(c):
            raise InvalidInputError(
                f"coefficient {i} is NaN; coefficients must be numbers (or -inf for an absent term)"
            )
        if isinstance(c, str) and c.strip().lower() in ("-inf", "-infinity"):
            continue
        if isinstance(c, float | np.floating) and math.isinf(c):
            if c > 0:
                raise InvalidInputError(f"coefficient {i} is +inf; coefficients must be finite")
            continue
        keep.append(i)
    for idx, v in np.ndenumerate(exps):
        if isinstance(v, float | np.floating) and not math.isfinite(v):
            raise InvalidInputError(
                f"exponent [{idx[0]}, {idx[1]}] is {v!r}; exponents must be finite numbers"
            )
    if not keep:
        raise InvalidInputError(
            "the tropical polynomial is empty (no finite monomial); give at least one monomial, "
            "e.g. the constant 0 as exponents [[0, ..., 0]] and coefficients [0]"
        )
    return exps[keep], coefs[keep]


def _zeros(shape: tuple[int, ...], exact: bool) -> np.ndarray:
    if exact:
        out = np.empty(shape, dtype=object)
        out[...] = Fraction(0)
        return out
    return np.zeros(shape)


def _convert_values(exps: np.ndarray, coefs: np.ndarray, exact: bool) -> tuple[np.ndarray, ...]:
    if exact:
        e = np.empty(exps.shape, dtype=object)
        for idx, v in np.ndenumerate(exps):
            e[idx] = to_fraction(v, name=f"exponent [{', '.join(map(str, idx))}]")
        c = np.empty(coefs.shape, dtype=object)
        for i, v in enumerate(coefs.tolist()):
            c[i] = to_fraction(v, name=f"coefficient {i}")
        return e, c
    if exps.dtype.kind in "iuf":
        e = exps.astype(np.float64)
    else:
        e = np.empty(exps.shape, dtype=np.float64)
        for idx, v in np.ndenumerate(exps):
            e[idx] = _float_value(v, f"exponent [{', '.join(map(str, idx))}]")
    c = np.array(
        [_float_value(v, f"coefficient {i}") for i, v in enumerate(coefs.tolist())],
        dtype=np.float64,
    )
    if not (np.isfinite(e).all() and np.isfinite(c).all()):
        raise InvalidInputError("exponents and coefficients must be finite numbers")
    return e, c


def _canonical(exps: np.ndarray, coefs: np.ndarray, exact: bool) -> tuple[np.ndarray, np.ndarray]:
    """Sort exponent rows lexicographically and merge duplicates with ``max``."""
    if exact:
        best: dict[tuple[Fraction, ...], Fraction] = {}
        for row, c in zip(map(tuple, exps.tolist()), coefs.tolist(), strict=True):
            old = best.get(row)
            if old is None or c > old:
                best[row] = c
        keys = sorted(best)
        e = np.empty((len(keys), exps.shape[1]), dtype=object)
        for i, k in enumerate(keys):
            e[i, :] = k
        c = np.empty(len(keys), dtype=object)
        c[:] = [best[k] for k in keys]
        return e, c
    exps = np.asarray(exps, dtype=np.float64)
    coefs = np.asarray(coefs, dtype=np.float64)
    if exps.shape[1] == 0:
        return np.zeros((1, 0)), np.array([coefs.max()])
    uniq, inverse = np.unique(exps + 0.0, axis=0, return_inverse=True)  # + 0.0 folds -0.0
    merged = np.full(len(uniq), -np.inf)
    np.maximum.at(merged, inverse.reshape(-1), coefs)
    return uniq, merged


def tropical_sum(polys: Sequence[TropicalPolynomial]) -> TropicalPolynomial:
    """Tropical sum ``max(p_1, ..., p_k)`` of several polynomials, canonicalised once.

    Examples
    --------
    >>> x = TropicalPolynomial.variable(0, 1)
    >>> print(tropical_sum([x, x * 1, TropicalPolynomial.constant(0, 1)]))
    max(0, x1 + 1)
    """
    polys = list(polys)
    if not polys:
        raise InvalidInputError("tropical_sum needs at least one polynomial")
    first = polys[0]
    for p in polys[1:]:
        first._like(p)
    exact = all(p.exact for p in polys)
    polys = [p if exact else p.to_float() for p in polys]
    return TropicalPolynomial._trusted(
        np.concatenate([p.exponents for p in polys]),
        np.concatenate([p.coefficients for p in polys]),
        exact,
    )


def tropical_product(polys: Sequence[TropicalPolynomial]) -> TropicalPolynomial:
    """Tropical product of several polynomials (their ordinary sum as functions).

    Examples
    --------
    >>> x = TropicalPolynomial([[0], [1]], [0, 0])
    >>> print(tropical_product([x, x]))
    max(0, x1, 2*x1)
    """
    polys = list(polys)
    if not polys:
        raise InvalidInputError("tropical_product needs at least one polynomial")
    out = polys[0]
    for p in polys[1:]:
        out = out * p
    return out


class TropicalRationalMap:
    """A tuple of tropical rational functions ``p_k ⊘ q_k = p_k - q_k``, one per output.

    Parameters
    ----------
    numerators, denominators : sequence of TropicalPolynomial
        Same length (the number of outputs) and the same number of variables.

    Examples
    --------
    ``relu(x2 + 1) - relu(x1 + 1)`` (reference case RG1):

    >>> p = TropicalPolynomial([[0, 0], [0, 1]], [0, 1])
    >>> q = TropicalPolynomial([[0, 0], [1, 0]], [0, 1])
    >>> f = TropicalRationalMap([p], [q])
    >>> print(f)
    max(0, x2 + 1) - max(0, x1 + 1)
    >>> f([[0, 0], [-2, 3]]).tolist()
    [[Fraction(0, 1)], [Fraction(4, 1)]]
    >>> f.monomial_counts()
    ((2, 2),)
    """

    __slots__ = ("_den", "_num")

    def __init__(
        self,
        numerators: Sequence[TropicalPolynomial],
        denominators: Sequence[TropicalPolynomial],
    ) -> None:
        num, den = tuple(numerators), tuple(denominators)
        if not num:
            raise InvalidInputError("a tropical rational map needs at least one output")
        if len(num) != len(den):
            raise InvalidInputError(
                f"{len(num)} numerators but {len(den)} denominators; give one of each per output"
            )
        for p in (*num, *den):
            if not isinstance(p, TropicalPolynomial):
                raise InvalidInputError(
                    f"numerators and denominators must be TropicalPolynomials, got "
                    f"{type(p).__name__}"
                )
            num[0]._like(p)
        exact = all(p.exact for p in (*num, *den))
        if not exact:
            num = tuple(p.to_float() for p in num)
            den = tuple(p.to_float() for p in den)
        self._num, self._den = num, den

    @property
    def numerators(self) -> tuple[TropicalPolynomial, ...]:
        """One numerator per output."""
        return self._num

    @property
    def denominators(self) -> tuple[TropicalPolynomial, ...]:
        """One denominator per output."""
        return self._den

    @property
    def n_vars(self) -> int:
        """Number of input variables."""
        return self._num[0].n_vars

    @property
    def n_outputs(self) -> int:
        """Number of outputs."""
        return len(self._num)

    @property
    def exact(self) -> bool:
        """Whether all entries are exact rationals."""
        return self._num[0].exact

    def monomial_counts(self) -> tuple[tuple[int, int], ...]:
        """``(numerator monomials, denominator monomials)`` per output."""
        return tuple(
            (p.n_monomials, q.n_monomials) for p, q in zip(self._num, self._den, strict=True)
        )

    @property
    def n_monomials(self) -> int:
        """Total monomial count, numerators plus denominators (the spec's "monomial count")."""
        return sum(a + b for a, b in self.monomial_counts())

    def evaluate(self, x: Any) -> np.ndarray:
        """Values ``p_k(x) - q_k(x)``: shape ``(N, n_outputs)`` (``(n_outputs,)`` for one point)."""
        single = np.ndim(x) == 1
        cols = [
            np.asarray(p(x)) - np.asarray(q(x)) for p, q in zip(self._num, self._den, strict=True)
        ]
        if single:
            out = np.empty(len(cols), dtype=object if self.exact else np.float64)
            out[:] = [np.asarray(c).item() if np.ndim(c) == 0 else c for c in cols]
            return out
        return np.stack(cols, axis=1)

    __call__ = evaluate

    def to_float(self) -> TropicalRationalMap:
        """Float64 copy."""
        return TropicalRationalMap(
            [p.to_float() for p in self._num], [q.to_float() for q in self._den]
        )

    def to_exact(self) -> TropicalRationalMap:
        """Exact copy (floats converted exactly)."""
        return TropicalRationalMap(
            [p.to_exact() for p in self._num], [q.to_exact() for q in self._den]
        )

    def to_string(self, names: Sequence[str] | None = None) -> str:
        """One line per output: ``numerator - denominator``."""
        return "\n".join(
            f"{p.to_string(names)} - {q.to_string(names)}"
            for p, q in zip(self._num, self._den, strict=True)
        )

    def __str__(self) -> str:
        return self.to_string()

    def __repr__(self) -> str:
        counts = ", ".join(f"{a}/{b}" for a, b in self.monomial_counts())
        return f"TropicalRationalMap({self.n_vars} -> {self.n_outputs}, monomials {counts})"

    def to_latex(self, names: Sequence[str] | None = None) -> str:
        """LaTeX, one output per line (``\\\\`` separated)."""
        return r" \\ ".join(
            f"{p.to_latex(names)} - {q.to_latex(names)}"
            for p, q in zip(self._num, self._den, strict=True)
        )

    def _repr_latex_(self) -> str:
        return f"$\\begin{{array}}{{l}}{self.to_latex()}\\end{{array}}$"

    def to_sympy(self, symbols: Sequence[Any] | None = None) -> list[Any]:
        """One sympy expression per output."""
        return [
            p.to_sympy(symbols) - q.to_sympy(symbols)
            for p, q in zip(self._num, self._den, strict=True)
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``outputs`` with numerator/denominator polynomials and counts."""
        return {
            "n_vars": self.n_vars,
            "exact": self.exact,
            "outputs": [
                {
                    "numerator_monomials": p.n_monomials,
                    "denominator_monomials": q.n_monomials,
                    "numerator": p.to_dict(),
                    "denominator": q.to_dict(),
                }
                for p, q in zip(self._num, self._den, strict=True)
            ],
        }

    def _key(self) -> tuple[Any, ...]:
        return (self._num, self._den)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TropicalRationalMap):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())
