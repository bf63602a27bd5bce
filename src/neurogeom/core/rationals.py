"""Exact rationals and exact rational linear algebra.

Exact weights are stored as NumPy object arrays of :class:`fractions.Fraction` (hashable, easy to
slice and print, JSON friendly). Heavy linear algebra converts them to python-flint ``fmpq_mat``,
whose GMP kernels are orders of magnitude faster than Fraction loops.

Literals are taken as written: the string or JSON literal ``0.1`` is the rational 1/10, while a
Python ``float`` is converted to the exact binary value it holds.
"""

from __future__ import annotations

import math
import numbers
import weakref
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from neurogeom.core.errors import InvalidInputError

__all__ = [
    "DEFAULT_PRIME",
    "affine_fmpq_mat",
    "as_fraction_array",
    "as_points",
    "exact_det",
    "exact_matmul",
    "exact_nullspace",
    "exact_rank",
    "exact_solve",
    "floats_to_fractions",
    "fmpq_array",
    "fmpq_mat_of",
    "fmpq_to_fraction",
    "fraction_to_json",
    "fractions_from_fmpq",
    "from_fmpq_mat",
    "homogeneous_column",
    "is_fraction_array",
    "json_number",
    "modular_rank",
    "negated",
    "products_but_one",
    "to_fmpq",
    "to_fmpq_mat",
    "to_fraction",
    "zeros",
]


#: Largest decimal exponent accepted in a literal ("1e400" is fine; "1e999999999" would take
#: minutes to expand into an exact integer).
MAX_EXPONENT = 4300


def to_fraction(value: Any, *, name: str = "value") -> Fraction:
    """Convert a number or numeric literal to an exact :class:`~fractions.Fraction`.

    Parameters
    ----------
    value : int, float, str, Fraction, numpy scalar or flint.fmpq
        Strings may hold an integer, a decimal (``"0.1"``, ``"1e-3"``) or a fraction ``"p/q"``.
        Floats are converted exactly (``0.1`` becomes 3602879701896397/36028797018963968).
    name : str
        What the value is, for error messages.

    Returns
    -------
    Fraction

    Raises
    ------
    InvalidInputError
        For NaN, infinities, booleans, malformed strings or non-numbers.

    Examples
    --------
    >>> to_fraction("0.1"), to_fraction("-3/4"), to_fraction(2)
    (Fraction(1, 10), Fraction(-3, 4), Fraction(2, 1))
    >>> to_fraction(0.5)
    Fraction(1, 2)
    >>> to_fraction("1e999999999")
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: value: the number 1e999999999 has a decimal ...
    >>> to_fraction("nan", name="layer 0 weight[1, 2]")
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: layer 0 weight[1, 2] must be a finite number, got 'nan'
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool | np.bool_):
        raise InvalidInputError(f"{name} must be a number, got the boolean {value!r}")
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, flint.fmpq):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, flint.fmpz):
        return Fraction(int(value))
    if isinstance(value, numbers.Real):
        f = float(value)
        if not math.isfinite(f):
            raise InvalidInputError(f"{name} must be a finite number, got {value!r}")
        return Fraction(f)
    if isinstance(value, str):
        text = value.strip()
        _, _, exponent = text.lower().partition("e")
        if (exponent.lstrip("+-").isdigit() and len(exponent) > 6) or (
            exponent.lstrip("+-").isdigit() and abs(int(exponent)) > MAX_EXPONENT
        ):
            shown = text if len(text) <= 30 else text[:27] + "..."
            raise InvalidInputError(
                f"{name}: the number {shown} has a decimal exponent beyond ±{MAX_EXPONENT}; "
                "write it with a smaller exponent"
            )
        try:
            q = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise InvalidInputError(
                f"{name} must be a finite number, got {value!r}"
                if text.lower().lstrip("+-") in {"nan", "inf", "infinity"}
                else f"{name} must be an integer, a decimal or a fraction 'p/q', got {value!r}"
            ) from None
        return q
    raise InvalidInputError(f"{name} must be a number, got {type(value).__name__} {value!r}")


def to_fmpq(value: Any) -> flint.fmpq:
    """An exact rational as python-flint ``fmpq`` (same rules as :func:`to_fraction`).

    Examples
    --------
    >>> to_fmpq("-3/4"), to_fmpq(0.5)
    (-3/4, 1/2)
    """
    if isinstance(value, flint.fmpq):
        return value
    q = to_fraction(value)
    return flint.fmpq(q.numerator, q.denominator)


_new_object = object.__new__


def _fraction_by_slots(p: int, q: int) -> Fraction:
    f = _new_object(Fraction)
    f._numerator = p
    f._denominator = q
    return f


#: The Fraction ``p/q`` for coprime ``p`` and ``q > 0`` (as python-flint keeps them), without the
#: gcd that ``Fraction(p, q)`` would compute again; equal to ``Fraction(p, q)``. Python >= 3.12
#: provides it; before, the two slots of ``Fraction`` are filled directly.
_coprime_fraction = getattr(Fraction, "_from_coprime_ints", _fraction_by_slots)


def negated(values: np.ndarray) -> np.ndarray:
    """``-values`` for an object array of exact rationals (same shape).

    A Fraction is negated without the gcd that ``Fraction.__neg__`` computes again before
    Python 3.12 (its terms are coprime already); other values are negated as they are.

    Examples
    --------
    >>> negated(np.array([[Fraction(1, 3), Fraction(-2)]], dtype=object)).tolist()
    [[Fraction(-1, 3), Fraction(2, 1)]]
    """
    out = np.empty(values.shape, dtype=object)
    out.flat[:] = [
        _coprime_fraction(-q._numerator, q._denominator) if type(q) is Fraction else -q
        for q in values.ravel().tolist()
    ]
    return out


def fmpq_to_fraction(value: flint.fmpq) -> Fraction:
    """A python-flint ``fmpq`` (or ``fmpz``) as a :class:`~fractions.Fraction`.

    Examples
    --------
    >>> fmpq_to_fraction(to_fmpq("2/6"))
    Fraction(1, 3)
    """
    if isinstance(value, flint.fmpz):
        return Fraction(int(value))
    return _coprime_fraction(int(value.p), int(value.q))


def fmpq_array(values: Any, *, name: str = "array") -> np.ndarray:
    """An object array of ``fmpq`` (same shape), from numbers, literals or Fractions.

    Examples
    --------
    >>> fmpq_array([["1/2", 1]]).tolist()
    [[1/2, 1]]
    """
    fr = as_fraction_array(values, name=name)
    out = np.empty(fr.shape, dtype=object)
    for idx, q in np.ndenumerate(fr):
        out[idx] = flint.fmpq(q.numerator, q.denominator)
    return out


def fractions_from_fmpq(values: np.ndarray) -> np.ndarray:
    """An object array of ``fmpq`` as Fractions (same shape; Fractions pass through).

    Examples
    --------
    >>> fractions_from_fmpq(fmpq_array(["1/3"])).tolist()
    [Fraction(1, 3)]
    >>> fractions_from_fmpq(np.array([Fraction(1, 2)], dtype=object)).tolist()
    [Fraction(1, 2)]
    """
    values = np.asarray(values, dtype=object)
    out = np.empty(values.size, dtype=object)
    # one pass over a flat list (np.ndenumerate costs more than the conversion itself)
    out[:] = [
        q
        if isinstance(q, Fraction)
        else _coprime_fraction(int(q.p), int(q.q))
        if isinstance(q, flint.fmpq)
        else fmpq_to_fraction(q)
        for q in values.ravel().tolist()
    ]
    return out.reshape(values.shape)


def fraction_to_json(q: Fraction | int) -> int | str:
    """Write a rational for JSON: integers as integers, others as ``"p/q"``.

    Examples
    --------
    >>> fraction_to_json(Fraction(4, 2)), fraction_to_json(Fraction(-1, 3))
    (2, '-1/3')
    """
    q = Fraction(q)
    return int(q) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def json_number(value: Any) -> Any:
    """Write a number, or nested sequences of numbers, for JSON.

    Rationals as :func:`fraction_to_json` writes them, integers as integers, other numbers as
    floats; tuples, lists and arrays as lists.

    Parameters
    ----------
    value : number, or tuple, list or array of them (nested)

    Returns
    -------
    int, float, str or list
        What :func:`json.dumps` writes.

    Examples
    --------
    >>> json_number([Fraction(1, 3), np.float64(0.5), np.int64(2)])
    ['1/3', 0.5, 2]
    """
    if isinstance(value, Fraction):
        return fraction_to_json(value)
    if isinstance(value, tuple | list | np.ndarray):
        return [json_number(v) for v in value]
    if isinstance(value, int | np.integer):
        return int(value)
    return float(value)


def as_fraction_array(values: Any, *, name: str = "array") -> np.ndarray:
    """Convert nested numbers or an array to an object array of Fractions (same shape).

    Examples
    --------
    >>> as_fraction_array([["1/2", 0.25], [1, "2"]])
    array([[Fraction(1, 2), Fraction(1, 4)],
           [Fraction(1, 1), Fraction(2, 1)]], dtype=object)
    """
    arr = np.asarray(values, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        where = f"{name}[{', '.join(map(str, idx))}]" if idx else name
        out[idx] = to_fraction(v, name=where)
    return out


def is_fraction_array(arr: Any) -> bool:
    """Whether ``arr`` is a NumPy object array (the exact storage).

    Examples
    --------
    >>> is_fraction_array(as_fraction_array([1, 2])), is_fraction_array(np.zeros(2))
    (True, False)
    """
    return isinstance(arr, np.ndarray) and arr.dtype == object


def to_fmpq_mat(matrix: Any) -> flint.fmpq_mat:
    """Convert a 2-D array of rationals (or numbers) to ``flint.fmpq_mat``.

    Examples
    --------
    >>> print(to_fmpq_mat([["1/2", 1]]))
    [1/2, 1]
    """
    arr = np.asarray(matrix, dtype=object)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise InvalidInputError(f"expected a matrix, got an array of shape {arr.shape}")
    return _fmpq_mat_of(arr)


def from_fmpq_mat(mat: flint.fmpq_mat) -> np.ndarray:
    """Convert ``flint.fmpq_mat`` to an object array of Fractions.

    Examples
    --------
    >>> from_fmpq_mat(to_fmpq_mat([["1/3", 2]]))
    array([[Fraction(1, 3), Fraction(2, 1)]], dtype=object)
    """
    rows, cols = mat.nrows(), mat.ncols()
    out = np.empty((rows, cols), dtype=object)
    out.flat[:] = [_coprime_fraction(int(v.p), int(v.q)) for v in mat.entries()]
    return out


def _fmpq_of(v: Any) -> flint.fmpq:
    if type(v) is Fraction:
        return flint.fmpq(v._numerator, v._denominator)
    if isinstance(v, Fraction):
        return flint.fmpq(v.numerator, v.denominator)
    if isinstance(v, flint.fmpq):
        return v
    return to_fmpq(v)


#: ``fmpq_mat`` conversions of read-only arrays (network weights), by ``id``, with a weak
#: reference that drops the entry when the array goes away.
_MAT_CACHE: dict[int, tuple[weakref.ref, flint.fmpq_mat]] = {}


def _fmpq_mat_of(arr: np.ndarray) -> flint.fmpq_mat:
    """``arr`` (2-D) as an ``fmpq_mat``; converted once for a read-only array."""
    frozen = not arr.flags.writeable
    if frozen:
        hit = _MAT_CACHE.get(id(arr))
        if hit is not None and hit[0]() is arr:
            return hit[1]
    mat = flint.fmpq_mat(arr.shape[0], arr.shape[1], [_fmpq_of(v) for v in arr.flat])
    if frozen:
        key = id(arr)
        _MAT_CACHE[key] = (weakref.ref(arr, lambda _ref: _MAT_CACHE.pop(key, None)), mat)
    return mat


def fmpq_mat_of(arr: np.ndarray) -> flint.fmpq_mat:
    """A 2-D array of rationals (Fractions, ``fmpq``, integers) as an ``fmpq_mat``.

    The fast path of :func:`to_fmpq_mat` for arrays that already hold exact numbers; a
    read-only array (a network's weights) is converted once and remembered.

    Examples
    --------
    >>> print(fmpq_mat_of(as_fraction_array([["1/2", 3]])))
    [1/2, 3]
    """
    return _fmpq_mat_of(np.asarray(arr, dtype=object))


#: ``affine_fmpq_mat`` of read-only arrays, by the ``id`` of the matrix (see ``_MAT_CACHE``).
_AFFINE_CACHE: dict[int, tuple[weakref.ref, weakref.ref, flint.fmpq_mat]] = {}


def affine_fmpq_mat(matrix: np.ndarray, offset: np.ndarray) -> flint.fmpq_mat:
    """The map ``x -> matrix @ x + offset`` as the homogeneous ``fmpq_mat``
    ``[[matrix, offset], [0, 1]]``, so that composing maps is one product in C.

    Remembered for a read-only pair (a network's layer).

    Examples
    --------
    >>> print(affine_fmpq_mat(as_fraction_array([[2, 0]]), as_fraction_array(["1/3"])))
    [2, 0, 1/3]
    [0, 0,   1]
    """
    a = np.asarray(matrix, dtype=object)
    c = np.asarray(offset, dtype=object)
    frozen = not a.flags.writeable and not c.flags.writeable
    if frozen:
        hit = _AFFINE_CACHE.get(id(a))
        if hit is not None and hit[0]() is a and hit[1]() is c:
            return hit[2]
    m, n = a.shape
    hom = np.empty((m + 1, n + 1), dtype=object)
    hom[:m, :n] = a
    hom[:m, n] = c
    hom[m, :] = 0
    hom[m, n] = 1
    mat = _fmpq_mat_of(hom)
    if frozen:
        key = id(a)
        _AFFINE_CACHE[key] = (
            weakref.ref(a, lambda _ref: _AFFINE_CACHE.pop(key, None)),
            weakref.ref(c),
            mat,
        )
    return mat


def homogeneous_column(x: Any) -> flint.fmpq_mat:
    """The point ``x`` as the ``fmpq_mat`` column ``(x, 1)``: a homogeneous matrix ``[A, c]``
    times it is ``A x + c``, in C.

    Entries may be Fractions, ``fmpq``, integers or floats (taken exactly).

    Examples
    --------
    >>> print(homogeneous_column([Fraction(1, 2), 0.25]).transpose())
    [1/2, 1/4, 1]
    """
    entries = []
    for v in x:
        if type(v) is Fraction:
            entries.append(flint.fmpq(v._numerator, v._denominator))
        elif isinstance(v, float | np.floating):
            num, den = float(v).as_integer_ratio()
            entries.append(flint.fmpq(num, den))
        else:
            entries.append(_fmpq_of(v))
    entries.append(flint.fmpq(1))
    return flint.fmpq_mat(len(entries), 1, entries)


def exact_matmul(a: Any, b: Any) -> np.ndarray:
    """The exact product ``a @ b`` of rational arrays (1-D or 2-D), by python-flint.

    A matrix product of Fraction object arrays costs one Python-level operation per
    multiply-add; this converts both factors to ``fmpq_mat`` once and multiplies in C, which is
    many times faster as soon as the factors are more than a few entries wide. A read-only factor
    (a network's weights) is converted once and remembered. The result holds Fractions, shaped
    as NumPy's ``@`` would shape it.

    Examples
    --------
    >>> a = as_fraction_array([["1/2", 1], [0, "2/3"]])
    >>> exact_matmul(a, as_fraction_array(["1/3", 3])).tolist()
    [Fraction(19, 6), Fraction(2, 1)]
    >>> exact_matmul(as_fraction_array([1, 2]), a).tolist()
    [Fraction(1, 2), Fraction(7, 3)]
    """
    x = np.asarray(a, dtype=object)
    y = np.asarray(b, dtype=object)
    x2 = x.reshape(1, -1) if x.ndim == 1 else x
    y2 = y.reshape(-1, 1) if y.ndim == 1 else y
    if x2.ndim != 2 or y2.ndim != 2 or x2.shape[1] != y2.shape[0]:
        raise InvalidInputError(f"cannot multiply arrays of shapes {x.shape} and {y.shape}")
    rows, inner, cols = x2.shape[0], x2.shape[1], y2.shape[1]
    out = np.empty((rows, cols), dtype=object)
    if rows and cols:
        if inner == 0:
            out[...] = Fraction(0)
        else:
            prod = _fmpq_mat_of(x2) * _fmpq_mat_of(y2)
            out.flat[:] = [_coprime_fraction(int(v.p), int(v.q)) for v in prod.entries()]
    if x.ndim == 1 and y.ndim == 1:
        return out.reshape(())
    if x.ndim == 1:
        return out.reshape(cols)
    if y.ndim == 1:
        return out.reshape(rows)
    return out


def exact_rank(matrix: Any) -> int:
    """Exact rank of a rational matrix.

    Examples
    --------
    >>> exact_rank([[1, 2], [2, 4]]), exact_rank([["1/3", 0], [0, 1]])
    (1, 2)
    """
    arr = np.asarray(matrix, dtype=object)
    if arr.size == 0:
        return 0
    return int(to_fmpq_mat(arr).rank())


#: A prime just below 2**31: residues multiply without overflow in int64, and a random nonzero
#: polynomial of moderate degree vanishes at a random point mod this prime only with tiny
#: probability (Schwartz-Zippel).
DEFAULT_PRIME = 2147483629


def modular_rank(matrix: Any, p: int = DEFAULT_PRIME) -> int:
    """Rank over the prime field F_p of an integer or rational matrix (python-flint ``nmod_mat``).

    Each entry ``n/d`` is mapped to ``n * d^-1 mod p``. The rank over F_p never exceeds the rank
    over the rationals (a minor that is nonzero mod ``p`` is nonzero), so it is a certified lower
    bound on :func:`exact_rank`, equal to it unless ``p`` divides some minor: with a large prime
    and generic entries this is the fast exact rank of linear-algebra practice.

    Parameters
    ----------
    matrix : array-like, shape (rows, cols)
        Integers, Fractions, ``fmpq``/``fmpz``, exact literals or floats (taken exactly). A 1-D
        array is one column.
    p : int
        A prime below ``2**63`` (default :data:`DEFAULT_PRIME`); no denominator may be divisible
        by it.

    Returns
    -------
    int

    Raises
    ------
    InvalidInputError
        If ``p`` is not a prime below ``2**63``, a denominator is divisible by it, or the input
        is not a matrix.

    Examples
    --------
    >>> modular_rank([[1, 2], [2, 4]]), modular_rank([[1, 2], [3, 4]])
    (1, 2)
    >>> modular_rank([[1, 2], [3, 4]], p=2)  # det = -2 vanishes mod 2
    1
    >>> modular_rank([["1/2", 1], [1, 2]], p=7), modular_rank([["1/3", 0], [0, 1]], 7)
    (1, 2)
    >>> modular_rank([["1/7"]], 7)
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: entry [0, 0] = 1/7 has a denominator divisible by \
p = 7; use another prime
    """
    if isinstance(p, bool) or not isinstance(p, numbers.Integral) or not 2 <= int(p) < 2**63:
        raise InvalidInputError(f"p must be a prime between 2 and 2**63, got {p!r}")
    p = int(p)
    if not flint.fmpz(p).is_prime():
        raise InvalidInputError(f"p must be a prime, got {p}")
    arr = np.asarray(matrix)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise InvalidInputError(f"expected a matrix, got an array of shape {arr.shape}")
    rows, cols = arr.shape
    if arr.size == 0:
        return 0
    if arr.dtype.kind in "iu":
        flat = (arr % p).ravel().tolist()
    else:
        flat = []
        for idx, v in np.ndenumerate(arr.astype(object)):
            q = to_fraction(v, name=f"entry [{idx[0]}, {idx[1]}]")
            if q.denominator % p == 0:
                raise InvalidInputError(
                    f"entry [{idx[0]}, {idx[1]}] = {q} has a denominator divisible by p = {p}; "
                    "use another prime"
                )
            flat.append(q.numerator * pow(q.denominator, -1, p) % p)
    # fmpz_mat takes Python ints about twice as fast as nmod_mat does; reducing it is cheap
    return int(flint.nmod_mat(flint.fmpz_mat(rows, cols, flat), p).rank())


def exact_det(matrix: Any) -> Fraction:
    """Exact determinant of a square rational matrix.

    Examples
    --------
    >>> exact_det([[1, "1/2"], [3, 4]])
    Fraction(5, 2)
    """
    arr = np.asarray(matrix, dtype=object)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise InvalidInputError(f"determinant needs a square matrix, got shape {arr.shape}")
    if arr.shape[0] == 0:
        return Fraction(1)
    return to_fraction(to_fmpq_mat(arr).det())


def exact_nullspace(matrix: Any) -> np.ndarray:
    """A basis of the right null space {x : M x = 0}, as the columns of a Fraction array.

    Returns an array of shape ``(n_cols, nullity)``; the basis comes from the reduced row echelon
    form (one free variable set to 1 per column).

    Examples
    --------
    >>> exact_nullspace([[1, 2, 3], [2, 4, 6]])
    array([[Fraction(-2, 1), Fraction(-3, 1)],
           [Fraction(1, 1), Fraction(0, 1)],
           [Fraction(0, 1), Fraction(1, 1)]], dtype=object)
    """
    arr = np.asarray(matrix, dtype=object)
    if arr.ndim != 2:
        raise InvalidInputError(f"null space needs a matrix, got shape {arr.shape}")
    m, n = arr.shape
    if m == 0:
        return as_fraction_array(np.eye(n, dtype=int))
    rref, rank = to_fmpq_mat(arr).rref()
    r = from_fmpq_mat(rref)[: int(rank)]
    pivots: list[int] = []
    for row in r:
        pivots.append(next(j for j in range(n) if row[j] != 0))
    free = [j for j in range(n) if j not in pivots]
    basis = np.empty((n, len(free)), dtype=object)
    basis[...] = Fraction(0)
    for k, f in enumerate(free):
        basis[f, k] = Fraction(1)
        for i, p in enumerate(pivots):
            basis[p, k] = -r[i, f]
    return basis


def exact_solve(matrix: Any, rhs: Any) -> np.ndarray:
    """Solve ``M x = b`` exactly for a square invertible ``M``.

    ``b`` may be a vector or a matrix; the result has the same number of dimensions.

    Raises
    ------
    InvalidInputError
        If ``M`` is not square or is singular.

    Examples
    --------
    >>> exact_solve([[2, 0], [0, 3]], [1, 1])
    array([Fraction(1, 2), Fraction(1, 3)], dtype=object)
    """
    a = np.asarray(matrix, dtype=object)
    b = np.asarray(rhs, dtype=object)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise InvalidInputError(f"solve needs a square matrix, got shape {a.shape}")
    if b.shape[0] != a.shape[0]:
        raise InvalidInputError(
            f"right-hand side has {b.shape[0]} rows but the matrix has {a.shape[0]}"
        )
    fa = to_fmpq_mat(a)
    if fa.rank() < a.shape[0]:
        raise InvalidInputError("the matrix is singular; the system has no unique solution")
    x = from_fmpq_mat(fa.solve(to_fmpq_mat(b)))
    return x[:, 0] if b.ndim == 1 else x


def floats_to_fractions(x: Iterable[Any] | np.ndarray) -> np.ndarray:
    """Each float of a vector exactly as a :class:`~fractions.Fraction` (an object array).

    Parameters
    ----------
    x : array-like, shape (n,)
        Floats.

    Returns
    -------
    numpy.ndarray
        An object array of Fractions, each equal to its float.

    Examples
    --------
    >>> floats_to_fractions(np.array([0.5, 0.1]))[1] == 0.1
    True
    """
    return np.array([Fraction(float(v)) for v in x], dtype=object)


def fractions_to_float(values: Iterable[Any] | np.ndarray) -> np.ndarray:
    """Convert an object array of rationals to float64 (same shape).

    Examples
    --------
    >>> fractions_to_float(as_fraction_array(["1/4", "3/2"])).tolist()
    [0.25, 1.5]
    """
    arr = np.asarray(values, dtype=object)
    return np.vectorize(float, otypes=[np.float64])(arr) if arr.size else arr.astype(np.float64)


def zeros(shape: tuple[int, ...], exact: bool) -> np.ndarray:
    """An array of zeros: exact ``Fraction(0)`` objects or float64.

    Parameters
    ----------
    shape : tuple of int
        Shape of the array.
    exact : bool
        ``True``: an object array of :class:`~fractions.Fraction` zeros; ``False``: float64.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> zeros((2,), exact=True).tolist()
    [Fraction(0, 1), Fraction(0, 1)]
    >>> zeros((1, 2), exact=False).tolist()
    [[0.0, 0.0]]
    """
    if exact:
        out = np.empty(shape, dtype=object)
        out[...] = Fraction(0)
        return out
    return np.zeros(shape)


def products_but_one(items: Sequence[Any], one: Any) -> tuple[list[Any], Any]:
    """``[Π_{s≠j} items_s for j]`` and ``Π items`` by prefix and suffix products (no division).

    Works for anything with ``*`` (numbers, polynomials, residues mod a prime), so a zero item
    costs nothing special.

    Parameters
    ----------
    items : sequence
        The factors.
    one : object
        The multiplicative identity of their ring.

    Returns
    -------
    others : list
        ``others[j]`` is the product of every item but ``items[j]``.
    full : object
        The product of all items.

    Examples
    --------
    >>> products_but_one([2, 3, 0], 1)
    ([0, 0, 6], 0)
    """
    n = len(items)
    prefix = [one] * (n + 1)
    suffix = [one] * (n + 1)
    for i in range(n):
        prefix[i + 1] = prefix[i] * items[i]
    for i in range(n - 1, -1, -1):
        suffix[i] = suffix[i + 1] * items[i]
    return [prefix[j] * suffix[j + 1] for j in range(n)], prefix[n]


def as_points(x: Any, n_inputs: int, *, exact: bool, name: str = "x") -> tuple[np.ndarray, bool]:
    """Validate one point ``(n,)`` or a batch ``(N, n)`` of input points.

    Parameters
    ----------
    x : array-like
        The points: numbers, or numeric literals when ``exact``.
    n_inputs : int
        The dimension ``n`` every point must have.
    exact : bool
        ``True``: convert every entry to :class:`~fractions.Fraction`; ``False``: float64, finite.
    name : str, optional
        What the points are called in error messages.

    Returns
    -------
    points : numpy.ndarray
        A 2-D array ``(N, n)`` (float64, or an object array of Fractions).
    single : bool
        Whether ``x`` was one point (1-D).

    Raises
    ------
    InvalidInputError
        On a wrong shape, a non-numeric or a non-finite entry.

    Examples
    --------
    >>> pts, single = as_points([1, "1/2"], 2, exact=True)
    >>> pts.tolist(), single
    ([[Fraction(1, 1), Fraction(1, 2)]], True)
    >>> as_points([[0.0, 1.0]], 2, exact=False)[0].shape
    (1, 2)
    """
    if exact:
        arr = np.asarray(x, dtype=object)
    else:
        try:
            arr = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(f"{name} is not a numeric array: {exc}") from None
    single = arr.ndim == 1
    if single:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != n_inputs:
        raise InvalidInputError(
            f"{name} must have shape ({n_inputs},) or (N, {n_inputs}) for this "
            f"network, got {np.shape(x)}"
        )
    if exact:
        conv = np.empty(arr.shape, dtype=object)
        for idx, v in np.ndenumerate(arr):
            conv[idx] = to_fraction(v, name=f"{name}[{idx[0]}, {idx[1]}]")
        arr = conv
    elif not np.isfinite(arr).all():
        idx = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise InvalidInputError(f"{name}[{idx[0]}, {idx[1]}] must be finite, got {arr[idx]}")
    return arr, single
