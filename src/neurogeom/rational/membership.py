"""Membership: is a given tuple ``(P_1, ..., P_dL, Q)``, or a given rational function, computed by
a bias-free rational network of an architecture? And with which weights?

Two sets are distinguished (spec §1): the *neuromanifold* ``M`` (what weights over the chosen
field compute: ``"Q"`` rational, ``"R"`` real, ``"C"`` complex) and the *neurovariety* ``V``
(its Zariski closure). Decided:

- shallow ``(d0, d1, d2)`` (spec §2): ``M`` exactly over Q; over R and C exactly for two inputs
  (Sturm sequences) and numerically otherwise; ``V`` where equations are known (``d1 = 2``),
  where ``V`` fills, or when the input is in ``M``;
- binary ``(2, 2, ..., 2, dL)``, ``L >= 3`` (spec §3): ``V`` by the rank of ``[x_j P_i]``, ``M``
  by splitting the common factor and the denominator into quadrics, with weights from
  ``W_k = M_k (J M_{k-1})^{-1}``;
- every other architecture: ``V`` when it fills, otherwise honestly ``None`` (unknown).

A *tuple* is a point of the ambient space (forms of exactly the degrees of the architecture); a
*function* is ``P_i / Q`` in any form, first reduced to lowest terms.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import flint
import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.random import check_rng
from neurogeom.core.rationals import exact_rank, fraction_to_json, to_fmpq_mat
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.rational._forms import LinearFactor, Splitting, split_form
from neurogeom.rational.architecture import check_architecture, degrees, is_binary
from neurogeom.rational.equations import binary_rank_matrix, shallow_rank_matrix
from neurogeom.rational.polynomials import (
    coefficient_vector,
    context,
    evaluate_float,
    forms_basis,
    is_homogeneous,
    linear_form,
    parse_polynomial,
)

__all__ = ["MembershipResult", "member"]

Field = Literal["Q", "R", "C"]


@dataclass(frozen=True, slots=True)
class MembershipResult:
    """Whether an input lies in the neuromanifold ``M`` and the neurovariety ``V``.

    Attributes
    ----------
    architecture : tuple of int
    field : {"Q", "R", "C"}
        The field of the weights for ``M``.
    kind : {"tuple", "function"}
        How the input was read.
    in_neuromanifold : bool or None
        ``None`` means undecided (said so in ``reason``).
    in_neurovariety : bool or None
    certified : bool
        Whether both decisions used exact arithmetic only (no float step).
    reason : str
        One sentence: why.
    weights : tuple of ndarray or None
        Weights realising the input (exact Fractions, floats, or complex numbers over C).

    Examples
    --------
    >>> r = member((2, 2, 1), ["1"], "x1", field="Q")
    >>> r.to_dict()["in_neuromanifold"], r.net.architecture
    (True, (2, 2, 1))
    """

    architecture: tuple[int, ...]
    field: str
    kind: str
    in_neuromanifold: bool | None
    in_neurovariety: bool | None
    certified: bool
    reason: str
    weights: tuple[np.ndarray, ...] | None = None

    def __eq__(self, other: object) -> bool:  # weights are arrays: compare their JSON form
        if not isinstance(other, MembershipResult):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(repr(sorted(self.to_dict().items(), key=lambda kv: kv[0])))

    @property
    def net(self) -> Any:
        """The realising :class:`~neurogeom.nets.RationalNet` (``None`` without real weights).

        Examples
        --------
        >>> from neurogeom.rational import expand
        >>> net = member((2, 2, 1), ["3*x1 + x2"], "x1^2 - x2^2", field="Q").net
        >>> print(expand(net).to_text())
        f1 = (3*x1 + x2) / (x1^2 - x2^2)
        >>> member((2, 2, 1), ["x1"], "x1^2 + x2^2", field="C").net is None  # complex weights
        True
        """
        from neurogeom.nets import RationalNet

        if self.weights is None or any(np.iscomplexobj(w) for w in self.weights):
            return None
        return RationalNet(list(self.weights), exact=self.weights[0].dtype == object)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the keys of ``neurogeom rational member --json``).

        Examples
        --------
        >>> d = member((2, 2, 1), ["x2"], "x1^2", field="Q").to_dict()
        >>> d["in_neuromanifold"], d["in_neurovariety"], d["weights"]
        (False, True, None)
        """

        def value(v: Any) -> Any:
            if isinstance(v, Fraction):
                return fraction_to_json(v)
            if isinstance(v, complex | np.complexfloating):
                return [float(v.real), float(v.imag)]
            return float(v)

        weights = None
        if self.weights is not None:
            weights = [
                {"weight": [[value(v) for v in row] for row in w], "bias": [0] * w.shape[0]}
                for w in self.weights
            ]
        return {
            "architecture": list(self.architecture),
            "field": self.field,
            "kind": self.kind,
            "in_neuromanifold": self.in_neuromanifold,
            "in_neurovariety": self.in_neurovariety,
            "certified": self.certified,
            "reason": self.reason,
            "weights": weights,
        }

    def __repr__(self) -> str:
        return (
            f"MembershipResult({'-'.join(map(str, self.architecture))} over {self.field}: "
            f"M {self.in_neuromanifold}, V {self.in_neurovariety})"
        )


# -- input ----------------------------------------------------------------------------------------


def _parse_inputs(
    arch: tuple[int, ...], numerators: Any, denominator: Any
) -> tuple[list[flint.fmpq_mpoly], flint.fmpq_mpoly]:
    n = arch[0]
    if isinstance(numerators, str):
        numerators = [t for t in numerators.split(";")]
    if not isinstance(numerators, Sequence) or isinstance(numerators, bytes):
        raise InvalidInputError(
            f"numerators must be a list of polynomials (or one string separated by ';'), got "
            f"{type(numerators).__name__}"
        )
    if len(numerators) != arch[-1]:
        raise InvalidInputError(
            f"got {len(numerators)} numerator(s) but the architecture "
            f"{'-'.join(map(str, arch))} has {arch[-1]} output(s); give one numerator per output"
        )
    nums = [parse_polynomial(p, n, what=f"numerator {i + 1}") for i, p in enumerate(numerators)]
    den = parse_polynomial(denominator, n, what="denominator")
    if den.is_zero():
        raise InvalidInputError(
            "the denominator is identically zero; no function has it (give Q != 0)"
        )
    return nums, den


def _described(p: flint.fmpq_mpoly) -> str:
    extra = "" if is_homogeneous(p) else ", not homogeneous"
    return f"{p} (degree {int(p.total_degree())}{extra})"


def _is_tuple(arch: tuple[int, ...], nums: list[flint.fmpq_mpoly], den: flint.fmpq_mpoly) -> str:
    """Empty if ``(nums, den)`` are forms of the architecture's degrees, else what is wrong."""
    deg_p, deg_q = degrees(arch)
    for i, p in enumerate(nums):
        if p.is_zero():
            continue
        if not is_homogeneous(p) or int(p.total_degree()) != deg_p:
            return f"numerator {i + 1} must be a form of degree {deg_p}, got {_described(p)}"
    if not is_homogeneous(den) or int(den.total_degree()) != deg_q:
        return f"the denominator must be a form of degree {deg_q}, got {_described(den)}"
    return ""


def _reduce(
    nums: list[flint.fmpq_mpoly], den: flint.fmpq_mpoly
) -> tuple[list[flint.fmpq_mpoly], flint.fmpq_mpoly]:
    g = den
    for p in nums:
        g = g.gcd(p)
    if not g.is_one():
        nums = [p / g for p in nums]
        den = den / g
    lc = flint.fmpq(den.leading_coefficient())
    return [p / lc for p in nums], den / lc


def _function_degree_problem(
    arch: tuple[int, ...], nums: list[flint.fmpq_mpoly], den: flint.fmpq_mpoly
) -> str:
    """Why the reduced function cannot be in V (wrong homogeneity or too high degree), or ''."""
    n_layers = len(arch) - 1
    shift = 1 if n_layers % 2 == 1 else -1
    if not is_homogeneous(den) or any(not is_homogeneous(p) for p in nums):
        return "the function is not homogeneous; a bias-free net computes f(tx) = t^(±1) f(x)"
    for i, p in enumerate(nums):
        if not p.is_zero() and int(p.total_degree()) - int(den.total_degree()) != shift:
            return (
                f"output {i + 1} is homogeneous of degree "
                f"{int(p.total_degree()) - int(den.total_degree())}, but this architecture's "
                f"outputs have degree {shift}"
            )
    deg_q = degrees(arch)[1]
    if int(den.total_degree()) > deg_q:
        return (
            f"its reduced denominator has degree {int(den.total_degree())} > {deg_q}, the "
            "denominator degree of the architecture"
        )
    return ""


def _reduced_function(
    arch: tuple[int, ...],
    nums: list[flint.fmpq_mpoly],
    den: flint.fmpq_mpoly,
    field: str,
    zero_weights: Callable[[], tuple[np.ndarray, ...]],
    zero_why: str,
) -> tuple[list[flint.fmpq_mpoly], flint.fmpq_mpoly, MembershipResult | None]:
    """A function in lowest terms, with its result when that settles it already.

    The zero function is in ``M`` (weights ``zero_weights()``); a function of the wrong
    homogeneity or too high a degree is not in ``V``. Otherwise the result is ``None``.
    """
    result = functools.partial(_result, arch, field, "function")
    nums, den = _reduce(nums, den)
    if all(p.is_zero() for p in nums):
        return nums, den, result(True, True, True, zero_why, zero_weights())
    problem = _function_degree_problem(arch, nums, den)
    if problem:
        return nums, den, result(False, False, True, problem)
    return nums, den, None


# -- exact and numeric linear algebra -------------------------------------------------------------


def _exact_combination(
    basis: list[flint.fmpq_mpoly], target: flint.fmpq_mpoly, n_vars: int, degree: int
) -> list[Fraction] | None:
    """Coefficients ``c`` with ``target = Σ c_j basis_j`` exactly, or ``None``."""
    if target.is_zero():
        return [Fraction(0)] * len(basis)
    cols = [coefficient_vector(b, n_vars, degree) for b in basis]
    rhs = coefficient_vector(target, n_vars, degree)
    aug = to_fmpq_mat([[*[c[i] for c in cols], rhs[i]] for i in range(len(rhs))])
    rref, rank = aug.rref()
    k = len(basis)
    out = [Fraction(0)] * k
    for i in range(int(rank)):
        row = [rref[i, j] for j in range(k + 1)]
        pivot = next(j for j, v in enumerate(row) if v != 0)
        if pivot == k:
            return None  # inconsistent
        out[pivot] = Fraction(int(row[k].p), int(row[k].q))
    return out


def _numeric_combination(
    den: flint.fmpq_mpoly,
    factors: list[LinearFactor],
    target: flint.fmpq_mpoly,
    n_vars: int,
    rng: np.random.Generator,
    tol: Tolerances,
) -> tuple[np.ndarray | None, bool]:
    """Least squares for ``target = Σ c_j den / ℓ_j`` at random points; ``(c, unsure)``."""
    n_pts = len(forms_basis(n_vars, max(int(den.total_degree()) - 1, 0))) + 8
    pts = rng.standard_normal((n_pts, n_vars))
    q = evaluate_float(den, pts)
    cols = [q / (pts @ np.array(f.coefficients, dtype=complex)) for f in factors]
    a = np.stack(cols, axis=1) if cols else np.zeros((n_pts, 0))
    b = evaluate_float(target, pts).astype(complex)
    if a.shape[1] == 0:
        ok = bool(tol.is_zero(np.linalg.norm(b), 1.0 + np.linalg.norm(b)))
        return (np.zeros(0) if ok else None), False
    c, *_ = np.linalg.lstsq(a, b, rcond=None)
    resid = float(np.linalg.norm(a @ c - b))
    scale = float(np.linalg.norm(b) + np.linalg.norm(a) * np.linalg.norm(c)) or 1.0
    return (c if tol.is_zero(resid, scale) else None), bool(tol.unsure(resid, scale))


# -- results --------------------------------------------------------------------------------------


def _result(
    arch: tuple[int, ...],
    field: str,
    kind: str,
    m: bool | None,
    v: bool | None,
    certified: bool,
    reason: str,
    weights: tuple[np.ndarray, ...] | None = None,
) -> MembershipResult:
    # not in V (decided exactly, by equations or degrees) settles M as well
    certified = certified or (m is False and v is False)
    return MembershipResult(arch, field, kind, m, v, certified, reason, weights)


def _as_array(rows: list[list[Any]], exact: bool, field: str) -> np.ndarray:
    if exact:
        return np.array(rows, dtype=object)
    arr = np.array(rows, dtype=complex)
    if field != "C" or not np.iscomplexobj(arr) or np.all(arr.imag == 0):
        return arr.real.astype(np.float64) if field != "C" else arr
    return arr


# -- shallow --------------------------------------------------------------------------------------


def _shallow_variety(
    arch: tuple[int, ...], nums: list[flint.fmpq_mpoly], den: flint.fmpq_mpoly
) -> tuple[bool | None, str]:
    """V for a tuple of the ambient degrees (shallow): by filling or by the rank-2 test."""
    d0, d1, _ = arch
    if d0 <= 2 or d1 == 1:
        return True, "the architecture fills its ambient space"
    if d1 == 2:
        rank = exact_rank(shallow_rank_matrix(nums, den, d0))
        return rank <= 2, f"rank [A_Q; ∇P] = {rank} (V: rank <= 2)"
    return None, "no equations are known for d1 >= 3"


def _shallow(
    arch: tuple[int, ...],
    nums: list[flint.fmpq_mpoly],
    den: flint.fmpq_mpoly,
    kind: str,
    field: str,
    rng: np.random.Generator,
    tol: Tolerances,
) -> MembershipResult:
    d0, d1, d2 = arch
    ctx = context(d0)
    result = functools.partial(_result, arch, field, kind)

    def not_in_m(certified: bool, why: str) -> MembershipResult:
        """Not in M for the reason ``why``; V is decided on its own, its reason appended."""
        v, why_v = _shallow_variety_for(arch, nums, den, kind)
        return result(False, v, certified, why + why_v)

    def zero_weights() -> tuple[np.ndarray, ...]:
        w1 = [[Fraction(1 if j == 0 else 0) for j in range(d0)] for _ in range(d1)]
        w2 = [[Fraction(0)] * d1 for _ in range(d2)]
        return np.array(w1, dtype=object), np.array(w2, dtype=object)

    if kind == "function":
        nums, den, settled = _reduced_function(
            arch, nums, den, field, zero_weights, "the zero function (output weights 0)"
        )
        if settled is not None:
            return settled
    split = split_form(den, d0, field, rng=rng, tol=tol)
    exact = split.exact
    if not split.splits:
        return not_in_m(
            split.exact,
            f"the denominator does not split into linear forms over {field}: {split.why}; ",
        )
    factors = list(split.factors)
    if kind == "function" and any(f.multiplicity > 1 for f in factors):
        return not_in_m(
            exact,
            "the reduced denominator is not square-free (two neurons with proportional rows "
            "would cancel); ",
        )
    # span test: P_i in span{Q / ℓ} over the distinct factors (Q / rad(Q) divides each P_i)
    distinct = factors
    coeffs: list[list[Any]] = []
    all_exact = all(f.exact for f in distinct)
    if all_exact:
        ells = [linear_form(ctx, f.coefficients) for f in distinct]
        basis = [den / ell for ell in ells]
        deg = int(den.total_degree()) - 1
        for i, p in enumerate(nums):
            c = _exact_combination(basis, p, d0, deg)
            if c is None:
                return not_in_m(
                    True,
                    f"numerator {i + 1} is not a combination of Q/ℓ_j (its partial fractions "
                    "need other poles); ",
                )
            coeffs.append(c)
    else:
        radical_degree = sum(1 for _ in distinct)
        multiplicity_part = int(den.total_degree()) - radical_degree
        if multiplicity_part:  # tuple with repeated factors: Q / rad(Q) must divide every P_i
            sqfree = den.factor_squarefree()[1]
            rad = math.prod((f for f, _ in sqfree), start=ctx.constant(1))
            cofactor = den / rad
            for i, p in enumerate(nums):
                if not p.is_zero() and not divmod(p, cofactor)[1].is_zero():
                    return not_in_m(True, f"Q/rad(Q) does not divide numerator {i + 1}; ")
        unsure_any = False
        for i, p in enumerate(nums):
            c, unsure = _numeric_combination(den, distinct, p, d0, rng, tol)
            unsure_any |= unsure
            if c is None:
                return not_in_m(
                    False, f"numerator {i + 1} is not (numerically) a combination of Q/ℓ_j; "
                )
            coeffs.append(list(c))
        # two inputs: every binary form of degree k - 1 is such a combination (partial
        # fractions), so the decision is exact although the weights are floats
        exact = split.exact and d0 == 2 and not unsure_any
    weights = _shallow_weights(arch, split, distinct, coeffs, kind, all_exact, field)
    return result(
        True,
        True,
        exact,
        f"Q splits into {sum(f.multiplicity for f in factors)} linear form(s) over {field} and "
        "every P_i is a combination of the Q/ℓ_j",
        weights,
    )


def _shallow_variety_for(
    arch: tuple[int, ...], nums: list[flint.fmpq_mpoly], den: flint.fmpq_mpoly, kind: str
) -> tuple[bool | None, str]:
    d0, d1, _ = arch
    if kind == "tuple" or int(den.total_degree()) == d1:
        v, why = _shallow_variety(arch, nums, den)
        return v, why
    if d0 <= 2 or d1 == 1:
        return True, "the architecture fills its ambient space"
    return None, "membership in V is not decided for a reduced denominator of lower degree"


def _shallow_weights(
    arch: tuple[int, ...],
    split: Splitting,
    factors: list[LinearFactor],
    coeffs: list[list[Any]],
    kind: str,
    exact: bool,
    field: str,
) -> tuple[np.ndarray, np.ndarray]:
    d0, d1, d2 = arch
    zero: Any = Fraction(0) if exact else 0.0
    rows: list[list[Any]] = []
    w2: list[list[Any]] = [[] for _ in range(d2)]
    if kind == "function":
        # f_i = Σ_j c_ij / ℓ_j: rows ℓ_j, output weights c_ij, padding neurons with weight 0
        for j, f in enumerate(factors):
            rows.append(list(f.coefficients))
            for i in range(d2):
                w2[i].append(coeffs[i][j])
        pad = rows[0] if rows else [Fraction(1) if j == 0 else zero for j in range(d0)]
        while len(rows) < d1:
            rows.append(list(pad))
            for i in range(d2):
                w2[i].append(zero)
    else:
        # closed form: Q = Π ℓ'_s exactly (the constant goes into the first row), and
        # P_i = Σ_j w_ij Q / ℓ'_j, one copy of each distinct factor carrying c_iℓ
        scale = split.constant
        for j, f in enumerate(factors):
            for copy in range(f.multiplicity):
                row = list(f.coefficients)
                mu = scale if not rows else 1
                row = [v * mu for v in row]
                rows.append(row)
                for i in range(d2):
                    w2[i].append(coeffs[i][j] * mu if copy == 0 else zero)
    return _as_array(rows, exact, field), _as_array(w2, exact, field)


# -- binary ---------------------------------------------------------------------------------------


def _pairs(factors: Sequence[LinearFactor]) -> list[tuple[Any, Any]] | None:
    """Split a multiset of linear forms into pairs of distinct forms (``None`` if impossible)."""
    items: list[LinearFactor] = []
    for f in sorted(factors, key=lambda f: -f.multiplicity):
        items += [f] * f.multiplicity
    half = len(items) // 2
    if len(items) % 2 or (items and items[0].multiplicity > half):
        return None
    return [(items[i].coefficients, items[i + half].coefficients) for i in range(half)]


def _fresh_form(ctx: flint.fmpq_mpoly_ctx, avoid: flint.fmpq_mpoly, k: int) -> flint.fmpq_mpoly:
    x1, x2 = ctx.gens()
    c = 3 + 7 * k
    while True:
        ell = x1 + c * x2
        if avoid.gcd(ell).is_one():
            return ell
        c += 1


def _binary(
    arch: tuple[int, ...],
    nums: list[flint.fmpq_mpoly],
    den: flint.fmpq_mpoly,
    kind: str,
    field: str,
    rng: np.random.Generator,
    tol: Tolerances,
) -> MembershipResult:
    n_layers = len(arch) - 1
    d_out = arch[-1]
    a, b = (n_layers - 1) // 2, n_layers // 2
    ctx = context(2)
    h = ctx.constant(1)
    result = functools.partial(_result, arch, field, kind)

    def zero_weights() -> tuple[np.ndarray, ...]:
        ident = [[Fraction(1), Fraction(0)], [Fraction(0), Fraction(1)]]
        ws = [np.array(ident, dtype=object) for _ in range(n_layers - 1)]
        ws.append(np.full((d_out, 2), Fraction(0), dtype=object))
        return tuple(ws)

    if kind == "function":
        nums, den, settled = _reduced_function(
            arch, nums, den, field, zero_weights, "the zero function"
        )
        if settled is not None:
            return settled
        k = 2 * b - int(den.total_degree())
        for j in range(k):
            h *= _fresh_form(ctx, den * math.prod(nums, start=ctx.constant(1)) * h, j)
    nonzero = [p for p in nums if not p.is_zero()]
    g = nonzero[0]
    for p in nonzero[1:]:
        g = g.gcd(p)
    rests = [p / g for p in nums]
    r = max(int(q.total_degree()) for q in rests if not q.is_zero())
    # V
    if d_out == 1:
        in_v, why_v = True, "the architecture fills its ambient space (dL = 1)"
    elif kind == "tuple":
        rank = exact_rank(binary_rank_matrix(nums))
        in_v, why_v = rank <= 3, f"rank [x_j P_i] = {rank} (V: rank <= 3)"
    else:
        in_v = r <= 1
        why_v = (
            "the numerators share a factor of degree deg P - 1 up to a common multiplier"
            if in_v
            else f"the numerators divided by their gcd still have degree {r} >= 2"
        )
    if not in_v:
        return result(False, False, True, f"not in V: {why_v}")
    # N (common factor of degree 2a) and the linear forms ℓ_i with P_i h = ℓ_i N
    options: list[tuple[flint.fmpq_mpoly, list[flint.fmpq_mpoly]]] = []
    if r == 1:
        options.append((g * h, rests))
    else:  # all P_i proportional: ℓ is a fresh form of h or a linear factor of G (N = G h / ℓ)
        split_g = split_form(g, 2, field, rng=rng, tol=tol)
        if not split_g.splits:
            return result(
                False,
                True,
                split_g.exact,
                f"the numerator does not split over {field}: {split_g.why}",
            )
        candidates = [f for f, _ in h.factor()[1]] if not h.is_one() else []
        for lf in sorted(split_g.factors, key=lambda f: -f.multiplicity):
            if lf.exact:
                candidates.append(linear_form(ctx, lf.coefficients))
        for ell in candidates:
            options.append((g * h / ell, [q * ell for q in rests]))
        if not options:
            return result(
                None,
                True,
                False,
                "realising it needs an irrational linear factor: weights are not built "
                "for this case",
            )
    big_d = den * h
    split_d = split_form(big_d, 2, field, rng=rng, tol=tol)
    if not split_d.splits:
        return result(
            False,
            True,
            split_d.exact,
            f"the denominator does not split into linear forms over {field}: {split_d.why}",
        )
    pairs_d = _pairs(split_d.factors)
    chosen = None
    for big_n, ells in options:
        split_n = split_form(big_n, 2, field, rng=rng, tol=tol) if a else Splitting(True, True)
        if not split_n.splits:  # the same for every option: N = G h / ℓ
            return result(
                False,
                True,
                split_n.exact,
                f"the common factor N does not split into linear forms over {field}: {split_n.why}",
            )
        pairs_n = _pairs(split_n.factors)
        if pairs_n is not None and pairs_d is not None and len(pairs_n) == a:
            chosen = (split_n, pairs_n, ells)
            break
    if chosen is None or pairs_d is None or len(pairs_d) != b:
        return result(
            None,
            True,
            True,
            "in V; a repeated linear factor forces degenerate (singular) weights, which are not "
            "searched: membership in M is not decided",
        )
    split_n, pairs_n, ells = chosen
    exact = (
        split_n.exact
        and split_d.exact
        and all(f.exact for f in split_n.factors)
        and all(f.exact for f in split_d.factors)
    )
    weights = _binary_weights(
        arch, pairs_n, split_n.constant, pairs_d, split_d.constant, ells, exact, field
    )
    return _result(
        arch,
        field,
        kind,
        True,
        True,
        split_n.exact and split_d.exact,
        f"P_i = ℓ_i N and Q = D with N, D split into quadrics over {field}",
        weights,
    )


def _binary_weights(
    arch: tuple[int, ...],
    pairs_n: list[tuple[Any, Any]],
    const_n: Any,
    pairs_d: list[tuple[Any, Any]],
    const_d: Any,
    ells: list[flint.fmpq_mpoly],
    exact: bool,
    field: str,
) -> tuple[np.ndarray, ...]:
    """Weights with q^(t) = (M_{t-1} x)_1 (M_{t-1} x)_2, S_L quadrics from N, T_L from D."""
    n_layers = len(arch) - 1
    quad: dict[int, list[list[Any]]] = {}
    s_times = [t for t in range(n_layers - 1, 1, -2)]
    t_times = [t for t in range(n_layers, 1, -2)]
    for times, pairs, const in ((s_times, pairs_n, const_n), (t_times, pairs_d, const_d)):
        for idx, (t, (l1, l2)) in enumerate(zip(times, pairs, strict=True)):
            row1 = [v * const for v in l1] if idx == 0 else list(l1)
            quad[t] = [row1, list(l2)]
    if exact:
        ms = {t - 1: np.array(quad[t], dtype=object) for t in quad}
        last = np.array(
            [[Fraction(0) if q.is_zero() else c for c in _linear(q)] for q in ells], dtype=object
        )
        swap = np.array([[Fraction(0), Fraction(1)], [Fraction(1), Fraction(0)]], dtype=object)

        def inverse(m: np.ndarray) -> np.ndarray:
            det = m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0]
            return np.array([[m[1, 1], -m[0, 1]], [-m[1, 0], m[0, 0]]], dtype=object) / det
    else:
        ms = {t - 1: np.array(quad[t], dtype=complex) for t in quad}
        last = np.array([[complex(c) for c in _linear(q)] for q in ells], dtype=complex)
        swap = np.array([[0, 1], [1, 0]], dtype=complex)
        inverse = np.linalg.inv  # type: ignore[assignment]
    ms[n_layers] = last
    weights = [ms[1]]
    for k in range(2, n_layers + 1):
        weights.append(ms[k].dot(inverse(swap.dot(ms[k - 1]))))
    if not exact:
        weights = [w.real.copy() if field != "C" else w for w in weights]
    return tuple(weights)


def _linear(q: flint.fmpq_mpoly) -> list[Fraction]:
    from neurogeom.rational.polynomials import linear_form_coefficients

    if q.is_zero():
        return [Fraction(0), Fraction(0)]
    coeffs = linear_form_coefficients(q, 2)
    assert coeffs is not None
    return coeffs


# -- verification ---------------------------------------------------------------------------------


def _verify(
    result: MembershipResult,
    nums: list[flint.fmpq_mpoly],
    den: flint.fmpq_mpoly,
    rng: np.random.Generator,
    tol: Tolerances,
) -> MembershipResult:
    """Check the weights: exactly (expansion) or at random points; demote to None on failure."""
    from neurogeom.nets import RationalNet
    from neurogeom.rational.expansion import Expansion, closed_formula, expand

    if result.weights is None:
        return result
    if result.weights[0].dtype == object:
        net = RationalNet(list(result.weights), exact=True)
        if result.kind == "tuple":
            p, q = closed_formula(net)
            ok = _proportional([*p, q], [*nums, den])
        else:
            target = Expansion(tuple(nums), den, result.architecture, False, "input", False)
            ok = expand(net, max_terms=None).same_function(target)
        if ok:
            return result
    else:
        pts = rng.standard_normal((12, result.architecture[0]))
        h = pts.astype(complex)
        for k, w in enumerate(result.weights):
            h = h @ np.asarray(w, dtype=complex).T
            if k < len(result.weights) - 1:
                h = 1 / h
        q = evaluate_float(den, pts)
        want = np.stack([evaluate_float(p, pts) for p in nums], axis=1) / q[:, None]
        err = float(np.max(np.abs(h - want)))
        if tol.is_zero(err, 1.0 + float(np.max(np.abs(want)))):
            return result
    return MembershipResult(
        result.architecture,
        result.field,
        result.kind,
        None,
        result.in_neurovariety,
        False,
        "the reconstructed weights did not reproduce the input; membership in M is undecided",
        None,
    )


def _proportional(first: list[flint.fmpq_mpoly], second: list[flint.fmpq_mpoly]) -> bool:
    """Whether two tuples are the same point of projective space: ``first = λ second``."""
    ref = next((k for k, v in enumerate(second) if not v.is_zero()), None)
    if ref is None or first[ref].is_zero():
        return False
    lam = flint.fmpq(first[ref].leading_coefficient()) / flint.fmpq(
        second[ref].leading_coefficient()
    )
    return all(f == g * lam for f, g in zip(first, second, strict=True))


# -- entry point ----------------------------------------------------------------------------------


def member(
    arch: Any,
    numerators: Any,
    denominator: Any,
    *,
    field: Field = "R",
    kind: Literal["auto", "tuple", "function"] = "auto",
    tol: float | Tolerances | None = None,
    seed: Any = 0,
) -> MembershipResult:
    """Decide whether ``(P_1, ..., P_dL) / Q`` is computed by a bias-free rational network.

    Parameters
    ----------
    arch : sequence of int or str
        The architecture ``(d0, ..., dL)``.
    numerators : list of str or polynomials, or one string separated by ``;``
        ``P_1, ..., P_dL`` in ``x1, ..., x_d0``.
    denominator : str or polynomial
        ``Q`` (not identically zero).
    field : {"Q", "R", "C"}
        The field of the weights: rational, real or complex.
    kind : {"auto", "tuple", "function"}
        ``"tuple"``: a point of the ambient space, the forms must have exactly the degrees of
        the architecture (an error otherwise); ``"function"``: the rational functions
        ``P_i / Q``, reduced first; ``"auto"``: a tuple when the degrees fit, else a function.
    tol : float or Tolerances, optional
        For the numerical steps (over R or C with more than two inputs).
    seed : int or Generator
        For the random points of the numerical steps.

    Returns
    -------
    MembershipResult
        ``in_neuromanifold`` and ``in_neurovariety`` (``None`` = unknown), whether that is
        certified, the reason, and weights that realise the input when it is in ``M``.

    Raises
    ------
    InvalidInputError
        For malformed polynomials, the wrong number of numerators, a zero denominator, or (with
        ``kind="tuple"``) wrong degrees.

    Notes
    -----
    Shallow nets (spec §2): a function is in ``M`` iff its reduced denominator is a product of
    ``k <= d1`` pairwise non-proportional linear forms ``ℓ_j`` over the field and every
    numerator is a combination of the ``Q/ℓ_j`` (then ``f_i = Σ_j c_ij / ℓ_j``). A tuple must
    have ``Q = Π ℓ_s`` (all ``d1`` factors, repeats allowed) and ``P_i`` in the span of the
    ``Q/ℓ``. Exact weights are verified by expanding the network they define.

    Examples
    --------
    Spec §5, architecture (2, 2, 1):

    >>> member((2, 2, 1), ["3*x1 + x2"], "x1^2 - x2^2").in_neuromanifold
    True
    >>> r = member((2, 2, 1), ["x2"], "x1^2")
    >>> r.in_neuromanifold, r.in_neurovariety
    (False, True)
    >>> [member((2, 2, 1), ["x1"], "x1^2 + x2^2", field=f).in_neuromanifold for f in "RC"]
    [False, True]
    >>> print(member((2, 2, 1), ["1"], "x1", field="Q").net.weights[0].tolist())
    [[Fraction(1, 1), Fraction(0, 1)], [Fraction(1, 1), Fraction(0, 1)]]
    """
    a = check_architecture(arch)
    if field not in ("Q", "R", "C"):
        raise InvalidInputError(f"field must be 'Q', 'R' or 'C', got {field!r}")
    if kind not in ("auto", "tuple", "function"):
        raise InvalidInputError(f"kind must be 'auto', 'tuple' or 'function', got {kind!r}")
    tolerances = check_tol(tol)
    rng = check_rng(seed)
    nums, den = _parse_inputs(a, numerators, denominator)
    problem = _is_tuple(a, nums, den)
    if kind == "tuple" and problem:
        raise InvalidInputError(
            f"{problem}; architecture {'-'.join(map(str, a))} has degrees {degrees(a)} "
            "(pass kind='function' to test the rational function instead)"
        )
    how = "tuple" if kind == "tuple" or (kind == "auto" and not problem) else "function"
    n_layers = len(a) - 1
    if n_layers == 1:
        rn, rd = _reduce(nums, den)
        ok = rd.is_constant() and all(
            p.is_zero() or (is_homogeneous(p) and p.total_degree() == 1) for p in rn
        )
        weights = None
        if ok:
            from neurogeom.rational.polynomials import linear_form_coefficients

            weights = (
                np.array(
                    [linear_form_coefficients(p, a[0]) or [Fraction(0)] * a[0] for p in rn],
                    dtype=object,
                ),
            )
        return _verify(
            _result(
                a, field, how, ok, ok, True, "a network without hidden layers is linear", weights
            ),
            nums,
            den,
            rng,
            tolerances,
        )
    if n_layers == 2:
        res = _shallow(a, nums, den, how, field, rng, tolerances)
    elif is_binary(a):
        res = _binary(a, nums, den, how, field, rng, tolerances)
    else:
        res = _other(a, nums, den, how, field)
    return _verify(res, nums, den, rng, tolerances)


def _other(
    arch: tuple[int, ...],
    nums: list[flint.fmpq_mpoly],
    den: flint.fmpq_mpoly,
    kind: str,
    field: str,
) -> MembershipResult:
    from neurogeom.rational.dimension import fills

    if kind == "function":
        nums, den = _reduce(nums, den)
        problem = _function_degree_problem(arch, nums, den)
        if problem:
            return _result(arch, field, kind, False, False, True, problem)
    if fills(arch, seed=0):
        return _result(
            arch,
            field,
            kind,
            None,
            True,
            True,
            "V is the whole ambient space; membership in M is not decided for this architecture",
        )
    return _result(
        arch,
        field,
        kind,
        None,
        None,
        True,
        "no membership test is known for this architecture (neither shallow nor binary, and "
        "V does not fill)",
    )
