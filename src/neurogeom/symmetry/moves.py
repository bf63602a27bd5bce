"""Function-preserving moves of shallow ReLU networks, genericity, hidden symmetries, fibres.

The moves (symmetries spec §2, for ``f(x) = Σ_i a_i σ(w_i·x + b_i) + c [+ V x]``):

====  =====================  ===================================================================
T1    permutation            reorder the neurons (always)
T2    rescaling              ``(w, b, a) -> (λ w, λ b, a / λ)``, ``λ > 0`` (always)
T3    dead neuron            ``a_i = 0``: ``(w_i, b_i)`` is free
T4    constant neuron        ``w_i = 0``: trade ``a_i σ(b_i)`` against ``c``; ``a_i`` free if
                             ``b_i <= 0``
T5    split / merge          neurons on the same *oriented* hyperplane share one coefficient
T6    flip set               ``(w, b) -> (-w, -b)`` for ``i ∈ S`` when ``Σ_S a_i w_iᵀ = 0``;
                             then ``c += Σ_S a_i b_i`` (no output bias: also ``Σ_S a_i b_i = 0``;
                             a skip term absorbs any ``Σ_S a_i w_iᵀ``)
T7    cancelling group       neurons on one hyperplane with coefficients summing to zero form an
                             affine term; with an output bias the hyperplane can be translated
====  =====================  ===================================================================

T1 and T2 generate the group ``H_n``. A net is *generic* when every ``a_i`` and ``w_i`` is nonzero,
no two ``(w_i, b_i)`` are parallel (either sign) and no nonempty set ``S`` has
``Σ_S a_i w_iᵀ = 0``; then its fibre is exactly the ``H_n``-orbit. Moves T3-T7 are *hidden*
symmetries: parameter changes that keep the function but are not in ``H_n``.

Every move here is checked before it is applied (:func:`apply_move` refuses a move that would
change the function), and :func:`sample_fiber` verifies each sample with
:func:`~neurogeom.symmetry.are_equivalent`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.random import check_rng
from neurogeom.core.rationals import exact_nullspace, json_number
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.symmetry._subsets import minimal_sets, subsets_with_sum
from neurogeom.symmetry.canonical import CanonicalForm, canonical_form
from neurogeom.symmetry.shallow import ShallowNet, as_shallow

__all__ = [
    "FibreSample",
    "FlipSets",
    "Genericity",
    "Move",
    "MoveFamily",
    "Symmetries",
    "apply_move",
    "flip_sets",
    "has_hidden_symmetries",
    "is_generic",
    "orbit_canonical",
    "random_move",
    "sample_fiber",
    "symmetries",
]

MoveKind = Literal[
    "permutation",
    "rescaling",
    "flip",
    "dead neuron",
    "constant neuron",
    "split",
    "merge",
    "translate",
    "redirect",
]


# -- analysis -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FlipSets:
    """Admissible flip sets ``S`` (T6) of a net's kink neurons.

    Attributes
    ----------
    sets : tuple of tuple of int
        Every admissible nonempty set found (up to the cap).
    minimal : tuple of tuple of int
        Those with no admissible nonempty proper subset.
    complete : bool
        Whether every subset was examined (``False``: more may exist).
    all_allowed : bool
        A skip term with an output bias admits every set (``sets`` is then empty).
    """

    sets: tuple[tuple[int, ...], ...]
    minimal: tuple[tuple[int, ...], ...]
    complete: bool
    all_allowed: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "sets": [list(s) for s in self.sets],
            "minimal": [list(s) for s in self.minimal],
            "complete": self.complete,
            "all_allowed": self.all_allowed,
        }


def _flip_vectors(net: ShallowNet, rows: list[int]) -> np.ndarray:
    """What flipping neuron ``i`` changes and nothing may absorb: ``a_i w_iᵀ`` without a skip
    term, ``a_i b_i`` without an output bias."""
    parts = []
    for i in rows:
        vec: list[Any] = []
        if net.v is None:
            vec += list(np.outer(net.a[:, i], net.w[i]).ravel())
        if net.c is None:
            vec += list(net.a[:, i] * net.b[i])
        parts.append(vec)
    dim = len(parts[0]) if parts else 0
    return np.array(parts, dtype=object if net.exact else np.float64).reshape(len(rows), dim)


def _support(vectors: np.ndarray, exact: bool, tol: Tolerances) -> list[int]:
    """Rows that take part in some linear dependency (only they can be in a flip set)."""
    if len(vectors) == 0:
        return []
    if exact:
        basis = exact_nullspace(vectors.T)
        return [i for i in range(len(vectors)) if any(v != 0 for v in basis[i])]
    mat = vectors.T
    if mat.shape[0] == 0:
        return list(range(len(vectors)))
    _, s, vt = np.linalg.svd(mat, full_matrices=True)
    big = s.max(initial=0.0)
    rank = int((s > tol.loose * max(big, 1e-300) * max(mat.shape)).sum())
    null = vt[rank:]
    if len(null) == 0:
        return []
    return [i for i in range(len(vectors)) if np.abs(null[:, i]).max() > tol.loose]


def flip_sets(
    net: Any,
    *,
    exact: bool | None = None,
    tol: float | Tolerances | None = None,
    limit: int = 64,
) -> FlipSets:
    """The admissible flip sets of a shallow net: sets ``S`` of kink neurons whose sign flip
    ``(w_i, b_i) -> (-w_i, -b_i)`` keeps the function (with the output bias adjusted).

    Only neurons with nonzero input and output weights are considered (dead and constant neurons
    have moves of their own). The search is exact by meeting in the middle over the neurons that
    take part in a linear dependency; it is capped at ``limit`` sets.

    Parameters
    ----------
    net : ShallowNet or ReLUNet
    exact : bool, optional
        Rational arithmetic (default: the net's own storage).
    tol : float or Tolerances, optional
        Float mode's tolerance for ``Σ a_i w_iᵀ = 0``.
    limit : int
        Most sets listed.

    Returns
    -------
    FlipSets
        The sets, the minimal ones, whether the search was complete and whether a skip term
        allows every set.

    Examples
    --------
    Spec oracle 1: the clipped ramp ``σ(x) - σ(x - 1)`` flips both neurons at once.

    >>> net = ShallowNet([[1], [1]], [0, -1], [[1, -1]], c=[0], exact=True)
    >>> flip_sets(net).sets
    ((0, 1),)
    """
    net = as_shallow(net, what="flip_sets")
    exact = net.exact if exact is None else bool(exact)
    work = net.to_exact() if exact else net.to_float()
    tolerances = check_tol(tol)
    form = canonical_form(work, exact=exact, tol=tolerances)
    return _flip_sets(work, form, tolerances, limit)


def _kink_rows(form: CanonicalForm, net: ShallowNet) -> list[int]:
    skip = set(form.dead) | set(form.constant_neurons)
    return [i for i in range(net.width) if i not in skip]


def _flip_sets(net: ShallowNet, form: CanonicalForm, tol: Tolerances, limit: int) -> FlipSets:
    rows = _kink_rows(form, net)
    if net.v is not None and net.c is not None:
        return FlipSets((), (), True, all_allowed=True)
    vectors = _flip_vectors(net, rows)
    support = _support(vectors, net.exact, tol)
    if not support:
        return FlipSets((), (), True)
    scale = float(np.abs(vectors.astype(np.float64)).max(initial=0.0)) if len(vectors) else 1.0
    found = subsets_with_sum(
        vectors[support],
        np.zeros(vectors.shape[1], dtype=vectors.dtype),
        exact=net.exact,
        atol=tol.rel * scale,
        limit=limit,
    )
    sets = tuple(tuple(rows[support[i]] for i in s) for s in found.subsets)
    return FlipSets(sets, minimal_sets(sets), found.complete)


@dataclass(frozen=True, slots=True)
class Genericity:
    """Whether a shallow net lies in the generic set ``U`` (its fibre is the ``H_n``-orbit).

    Attributes
    ----------
    generic : bool or None
        ``None`` when the flip-set search could not be completed and nothing else failed.
    dead, zero_input : tuple of int
        Neurons with ``a_i = 0``, with ``w_i = 0``.
    parallel : tuple of tuple of int
        Groups of neurons whose ``(w_i, b_i)`` are parallel (either sign).
    flip_sets : FlipSets
    reasons : tuple of str
        One line per failed condition.
    """

    generic: bool | None
    dead: tuple[int, ...]
    zero_input: tuple[int, ...]
    parallel: tuple[tuple[int, ...], ...]
    flip_sets: FlipSets
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "generic": self.generic,
            "dead_neurons": list(self.dead),
            "zero_input_neurons": list(self.zero_input),
            "parallel_groups": [list(g) for g in self.parallel],
            "flip_sets": self.flip_sets.to_dict(),
            "reasons": list(self.reasons),
        }


def _parallel_groups(form: CanonicalForm) -> tuple[tuple[int, ...], ...]:
    groups = [kk.neurons for kk in form.kinks if len(kk.neurons) > 1]
    groups += [g for g in form.cancelled if len(g) > 1]
    return tuple(sorted(tuple(sorted(g)) for g in groups))


def _genericity(net: ShallowNet, form: CanonicalForm, flips: FlipSets) -> Genericity:
    reasons = []
    if form.dead:
        reasons.append(f"neurons {list(form.dead)} have output weight 0")
    if form.constant_neurons:
        reasons.append(f"neurons {list(form.constant_neurons)} have input weight 0")
    parallel = _parallel_groups(form)
    single_cancelled = [g for g in form.cancelled if len(g) == 1]
    if single_cancelled:  # float: a coefficient negligible against the net's scale
        reasons.append(f"neurons {[g[0] for g in single_cancelled]} have negligible coefficients")
    if parallel:
        reasons.append(f"neurons {[list(g) for g in parallel]} share hyperplanes")
    if flips.all_allowed:
        reasons.append("with a skip term and an output bias every flip set is admissible")
    elif flips.sets:
        reasons.append(f"admissible flip sets {[list(s) for s in flips.minimal]}")
    generic: bool | None = not reasons
    if generic and not flips.complete:
        generic = None
        reasons.append("the flip-set search was too large to complete")
    return Genericity(
        generic, tuple(form.dead), tuple(form.constant_neurons), parallel, flips, tuple(reasons)
    )


def is_generic(
    net: Any, *, exact: bool | None = None, tol: float | Tolerances | None = None
) -> Genericity:
    """Test the conditions of the generic set ``U`` (fibre = ``H_n``-orbit).

    Parameters
    ----------
    net : ShallowNet or ReLUNet
    exact : bool, optional
        Rational arithmetic (default: the net's own storage).
    tol : float or Tolerances, optional
        Float mode's tolerance.

    Returns
    -------
    Genericity
        ``generic`` and the reasons it fails: dead neurons, zero input weights, shared
        hyperplanes, admissible flip sets.

    Examples
    --------
    >>> is_generic(ShallowNet([[1], [2]], [0, -1], [[1, 2]], c=[0], exact=True)).generic
    True
    >>> g = is_generic(ShallowNet([[1], [2]], [0, 0], [[1, 2]], c=[0], exact=True))
    >>> g.generic, g.reasons
    (False, ('neurons [[0, 1]] share hyperplanes',))
    """
    net = as_shallow(net, what="is_generic")
    exact = net.exact if exact is None else bool(exact)
    work = net.to_exact() if exact else net.to_float()
    tolerances = check_tol(tol)
    form = canonical_form(work, exact=exact, tol=tolerances)
    return _genericity(work, form, _flip_sets(work, form, tolerances, 64))


@dataclass(frozen=True, slots=True)
class MoveFamily:
    """One family of function-preserving moves available at a net.

    Attributes
    ----------
    label : str
        ``"T1"`` ... ``"T7"`` as in the module table.
    kind : str
    neurons : tuple of int
        The neurons it acts on.
    continuous : bool
        A continuous family (``False``: discrete).
    hidden : bool
        Not in the group ``H_n`` of permutations and positive rescalings.
    description : str
    """

    label: str
    kind: str
    neurons: tuple[int, ...]
    continuous: bool
    hidden: bool
    description: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "label": self.label,
            "kind": self.kind,
            "neurons": list(self.neurons),
            "continuous": self.continuous,
            "hidden": self.hidden,
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class Symmetries:
    """The symmetry moves available at a shallow net.

    Attributes
    ----------
    families : tuple of MoveFamily
    genericity : Genericity
    hidden : bool or None
        Whether some hidden symmetry (T3-T7) applies; ``None`` when the flip-set search was
        incomplete and nothing else was found.
    form : CanonicalForm
    exact : bool
    """

    families: tuple[MoveFamily, ...]
    genericity: Genericity
    hidden: bool | None
    form: CanonicalForm
    exact: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "hidden_symmetries": self.hidden,
            "generic": self.genericity.generic,
            "families": [f.to_dict() for f in self.families],
            "genericity": self.genericity.to_dict(),
            "exact": self.exact,
        }

    def __repr__(self) -> str:
        labels = sorted({f.label for f in self.families})
        return f"Symmetries({', '.join(labels)}; hidden={self.hidden})"


def _families(
    net: ShallowNet, form: CanonicalForm, flips: FlipSets, tol: Tolerances
) -> list[MoveFamily]:
    out = []
    n, m = net.width, net.n_inputs
    if n >= 2:
        out.append(
            MoveFamily(
                "T1", "permutation", tuple(range(n)), False, False, f"reorder the {n} neurons"
            )
        )
    scalable = tuple(i for i in range(n) if any(v != 0 for v in (*net.w[i], net.b[i])))
    if scalable:
        out.append(
            MoveFamily(
                "T2",
                "rescaling",
                scalable,
                True,
                False,
                "(w, b, a) -> (λw, λb, a/λ), λ > 0, per neuron",
            )
        )
    for i in form.dead:
        out.append(
            MoveFamily(
                "T3",
                "dead neuron",
                (i,),
                True,
                True,
                f"a_{i} = 0: its {m + 1} input parameters are free",
            )
        )
    for i in form.constant_neurons:
        if net.c is not None:
            text = f"w_{i} = 0: trade a_{i} σ(b_{i}) against the output bias"
        elif net.b[i] <= 0:
            text = f"w_{i} = 0 and b_{i} <= 0: a_{i} is free"
        else:
            continue
        out.append(MoveFamily("T4", "constant neuron", (i,), True, True, text))
    for kk in form.kinks:
        for sign in (1, -1):
            same = tuple(i for i, s in zip(kk.neurons, kk.signs, strict=True) if s == sign)
            if len(same) > 1:
                out.append(
                    MoveFamily(
                        "T5",
                        "split/merge",
                        same,
                        True,
                        True,
                        f"neurons {list(same)} share an oriented hyperplane: "
                        "their coefficients can be redistributed",
                    )
                )
    for group in form.cancelled:
        ways = []
        if net.c is not None:
            ways.append("their hyperplane can be translated (the output bias absorbs it)")
        if len(form.dead) >= 2:
            ways.append(
                f"with dead neurons {list(form.dead[:2])} they can become cancelling pairs in "
                "other directions with the same affine sum"
            )
        if len(group) > 1 and ways:
            out.append(
                MoveFamily(
                    "T7",
                    "cancelling group",
                    tuple(group),
                    True,
                    True,
                    f"neurons {list(group)} cancel to an affine term: {'; '.join(ways)}",
                )
            )
    if flips.all_allowed:
        out.append(
            MoveFamily(
                "T6",
                "flip set",
                tuple(_kink_rows(form, net)),
                False,
                True,
                "a skip term absorbs any flip: every set may flip",
            )
        )
    for s in flips.minimal:
        if _same_orbit(net, apply_move(net, Move("flip", s), tol=tol), tol):
            continue  # the flip is a permutation with rescalings (an opposite pair, as in |x|)
        out.append(
            MoveFamily(
                "T6",
                "flip set",
                s,
                False,
                True,
                f"flip neurons {list(s)}: Σ a_i w_iᵀ = 0 over the set",
            )
        )
    return out


def symmetries(
    net: Any, *, exact: bool | None = None, tol: float | Tolerances | None = None
) -> Symmetries:
    """The function-preserving moves available at a shallow net, and whether any is hidden.

    Parameters
    ----------
    net : ShallowNet or ReLUNet
        A shallow ReLU net (moves depend on its conventions: output bias, skip term).
    exact : bool, optional
        Rational arithmetic (default: the net's storage).
    tol : float or Tolerances, optional
        Float mode's relative tolerance.

    Returns
    -------
    Symmetries

    Examples
    --------
    Spec oracle 4: ``|x| = σ(x) + σ(-x)`` has no hidden symmetry; oracle 1 has a flip.

    >>> symmetries(ShallowNet([[1], [-1]], [0, 0], [[1, 1]], c=[0], exact=True))
    Symmetries(T1, T2; hidden=False)
    >>> symmetries(ShallowNet([[1], [1]], [0, -1], [[1, -1]], c=[0], exact=True))
    Symmetries(T1, T2, T6; hidden=True)
    """
    net = as_shallow(net, what="symmetries")
    exact = net.exact if exact is None else bool(exact)
    work = net.to_exact() if exact else net.to_float()
    tolerances = check_tol(tol)
    form = canonical_form(work, exact=exact, tol=tolerances)
    flips = _flip_sets(work, form, tolerances, 64)
    families = tuple(_families(work, form, flips, tolerances))
    hidden: bool | None = any(f.hidden for f in families)
    if not hidden and not flips.complete:
        hidden = None
    return Symmetries(families, _genericity(work, form, flips), hidden, form, exact)


def has_hidden_symmetries(net: Any, **options: Any) -> bool | None:
    """Whether the net has symmetries beyond permutations and rescalings (see
    :func:`symmetries`).

    Parameters
    ----------
    net : ShallowNet or ReLUNet
    **options
        ``exact`` and ``tol``, passed to :func:`symmetries`.

    Returns
    -------
    bool or None
        Whether a move family beyond ``H_n`` (T3-T7) applies; ``None`` when the flip-set search
        was incomplete and nothing else was found.

    Examples
    --------
    >>> has_hidden_symmetries(ShallowNet([[1], [1]], [0, -1], [[1, -1]], c=[0], exact=True))
    True
    """
    return symmetries(net, **options).hidden


# -- the H_n orbit -----------------------------------------------------------------------------
def orbit_canonical(net: Any) -> ShallowNet:
    """The representative of a net's ``H_n``-orbit: neurons rescaled and sorted.

    Each neuron with ``(w_i, b_i) ≠ 0`` is rescaled so that the first nonzero entry of
    ``(w_i, b_i)`` has size 1 (exact) or ``‖(w_i, b_i)‖ = 1`` (float); neurons are then sorted by
    ``(w, b, a)``. Two nets are related by a permutation and positive rescalings exactly when
    their representatives are equal (exact) or close (float).

    Parameters
    ----------
    net : ShallowNet or ReLUNet

    Returns
    -------
    ShallowNet
        Same conventions and storage as ``net``.

    Examples
    --------
    >>> f = ShallowNet([[2], [-1]], [0, 3], [[1, 1]], c=[0], exact=True)
    >>> g = ShallowNet([[-3], [1]], [9, 0], [["1/3", 2]], c=[0], exact=True)
    >>> orbit_canonical(f) == orbit_canonical(g)
    True
    """
    net = as_shallow(net, what="orbit_canonical")
    exact = net.exact
    w, b, a = np.array(net.w), np.array(net.b), np.array(net.a)
    for i in range(net.width):
        row = [*w[i], b[i]]
        if exact:
            lead = next((v for v in row if v != 0), None)
            r = None if lead is None else abs(lead)
        else:
            norm = float(np.linalg.norm(row))
            r = norm if norm > 0 else None
        if r is not None:
            w[i], b[i], a[:, i] = w[i] / r, b[i] / r, a[:, i] * r
    keys = [(tuple(w[i]), b[i], tuple(a[:, i])) for i in range(net.width)]
    order = sorted(range(net.width), key=lambda i: keys[i])
    return ShallowNet._trusted(w[order], b[order], a[:, order], net.c, net.v, exact)


def _same_orbit(f: ShallowNet, g: ShallowNet, tol: Tolerances) -> bool:
    cf, cg = orbit_canonical(f), orbit_canonical(g)
    if f.exact:
        return cf == cg
    parts_f = [x for x in cf._parts() if x is not None]
    parts_g = [x for x in cg._parts() if x is not None]
    scale = max(float(np.abs(x).max(initial=0.0)) for x in parts_f) or 1.0
    return all(
        x.shape == y.shape and float(np.abs(x - y).max(initial=0.0)) <= tol.rel * scale
        for x, y in zip(parts_f, parts_g, strict=True)
    )


# -- concrete moves -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Move:
    """A concrete move.

    ``kind`` and its data:

    - ``"permutation"``: ``values`` is the new order (neuron ``j`` of the result is old neuron
      ``values[j]``);
    - ``"rescaling"``: ``values[j] > 0`` scales neuron ``neurons[j]``;
    - ``"flip"``: flip the neurons (an admissible set);
    - ``"dead neuron"``: ``values = (w, b)``, new input parameters of a dead neuron;
    - ``"constant neuron"``: ``values = (b, a)``, new bias and output weights of a neuron with
      ``w = 0``;
    - ``"split"``: ``neurons = (i, j)`` with ``j`` dead, ``values = (λ, t)``: ``j`` becomes
      ``(λ w_i, λ b_i, t)`` and ``a_i`` loses ``λ t``;
    - ``"merge"``: ``neurons = (i, j)`` on one oriented hyperplane: ``j``'s coefficient moves to
      ``i`` and ``j`` becomes dead;
    - ``"translate"``: ``neurons`` a cancelling group, ``values = (δ,)``: move its hyperplane by
      ``δ`` (in units of its normalised form).
    - ``"redirect"``: ``neurons`` a cancelling group followed by two dead neurons ``p, q``,
      ``values = (w', b')``. The group computes an affine ``a* (w_0·x + b_0)`` (``w_0, b_0`` its
      first neuron's); it becomes two cancelling pairs in other directions with the same sum:
      its first two neurons ``(w', b', a*)``, ``(-w', -b', -a*)``, then ``p, q`` as
      ``(w_0 - w', b_0 - b', a*)`` and its negative; the group's other neurons become dead.
    """

    kind: MoveKind
    neurons: tuple[int, ...] = ()
    values: tuple[Any, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "neurons": list(self.neurons),
            "values": json_number(self.values),
        }

    def __repr__(self) -> str:
        return f"Move({self.kind}, neurons={list(self.neurons)})"


def _mutable(net: ShallowNet) -> dict[str, Any]:
    return {
        "w": np.array(net.w),
        "b": np.array(net.b),
        "a": np.array(net.a),
        "c": None if net.c is None else np.array(net.c),
        "v": None if net.v is None else np.array(net.v),
    }


def _is_zero(values: Any, exact: bool, atol: float) -> bool:
    if exact:
        return all(v == 0 for v in np.asarray(values, dtype=object).flat)
    return float(np.abs(np.asarray(values, dtype=np.float64)).max(initial=0.0)) <= atol


def _atol(net: ShallowNet, tol: Tolerances) -> float:
    f = net.to_float()
    scale = max(
        float(np.abs(f.a).max(initial=0.0)) * max(float(np.abs(f.w).max(initial=0.0)), 1.0),
        float(np.abs(f.a).max(initial=0.0)) * float(np.abs(f.b).max(initial=0.0)),
        1e-300,
    )
    return tol.rel * scale


def _value(x: Any, exact: bool) -> Any:
    return Fraction(x) if exact and not isinstance(x, Fraction) else (x if exact else float(x))


def apply_move(net: Any, move: Move, *, tol: float | Tolerances | None = None) -> ShallowNet:
    """Apply a move, after checking that it keeps the function.

    Parameters
    ----------
    net : ShallowNet or ReLUNet
    move : Move
    tol : float or Tolerances, optional
        Float nets: tolerance of the checks (exact nets are checked exactly).

    Returns
    -------
    ShallowNet

    Raises
    ------
    InvalidInputError
        If the move does not apply (for example a flip set with ``Σ a_i w_iᵀ ≠ 0``, a split into
        a neuron that is not dead, a rescaling by ``λ <= 0``).

    Examples
    --------
    >>> net = ShallowNet([[1], [1]], [0, -1], [[1, -1]], c=[0], exact=True)
    >>> flipped = apply_move(net, Move("flip", (0, 1)))
    >>> flipped.w.ravel().tolist(), flipped.b.tolist(), flipped.c.tolist()
    ([Fraction(-1, 1), Fraction(-1, 1)], [Fraction(0, 1), Fraction(1, 1)], [Fraction(1, 1)])
    >>> apply_move(net, Move("flip", (0,)))
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: flipping neurons [0] changes the function: \
Σ a_i w_iᵀ over the set is not zero and the net has no skip term
    """
    net = as_shallow(net, what="apply_move")
    tolerances = check_tol(tol)
    exact = net.exact
    n = net.width
    bad = [i for i in move.neurons if not (0 <= int(i) < n)]
    if bad:
        raise InvalidInputError(f"{move.kind}: neuron {bad[0]} does not exist (width {n})")
    p = _mutable(net)
    atol = _atol(net, tolerances)
    neurons = [int(i) for i in move.neurons]
    if move.kind == "permutation":
        order = [int(i) for i in move.values]
        if sorted(order) != list(range(n)):
            raise InvalidInputError(f"permutation must reorder 0..{n - 1}, got {order}")
        p["w"], p["b"], p["a"] = p["w"][order], p["b"][order], p["a"][:, order]
    elif move.kind == "rescaling":
        if len(move.values) != len(neurons):
            raise InvalidInputError("rescaling needs one scale per neuron")
        for i, lam in zip(neurons, move.values, strict=True):
            lam = _value(lam, exact)
            if not lam > 0:
                raise InvalidInputError(f"rescaling: scales must be positive, got {lam}")
            p["w"][i] = p["w"][i] * lam
            p["b"][i] = p["b"][i] * lam
            p["a"][:, i] = p["a"][:, i] / lam
    elif move.kind == "flip":
        lin = np.outer(p["a"][:, 0], p["w"][0]) * 0
        const = p["a"][:, 0] * 0
        for i in neurons:
            lin = lin + np.outer(p["a"][:, i], p["w"][i])
            const = const + p["a"][:, i] * p["b"][i]
        if p["v"] is None and not _is_zero(lin, exact, atol):
            raise InvalidInputError(
                f"flipping neurons {neurons} changes the function: Σ a_i w_iᵀ over the set is "
                "not zero and the net has no skip term"
            )
        if p["c"] is None and not _is_zero(const, exact, atol):
            raise InvalidInputError(
                f"flipping neurons {neurons} changes the function: Σ a_i b_i over the set is not "
                "zero and the net has no output bias"
            )
        for i in neurons:
            p["w"][i] = -p["w"][i]
            p["b"][i] = -p["b"][i]
        if p["v"] is not None:
            p["v"] = p["v"] + lin
        if p["c"] is not None:
            p["c"] = p["c"] + const
    elif move.kind == "dead neuron":
        (i,) = neurons
        if not _is_zero(p["a"][:, i], exact, atol):
            raise InvalidInputError(f"dead neuron: neuron {i} has a nonzero output weight")
        w_new, b_new = move.values
        p["w"][i] = np.array([_value(v, exact) for v in w_new], dtype=p["w"].dtype)
        p["b"][i] = _value(b_new, exact)
    elif move.kind == "constant neuron":
        (i,) = neurons
        if not _is_zero(p["w"][i], exact, atol):
            raise InvalidInputError(f"constant neuron: neuron {i} has a nonzero input weight")
        b_new, a_new = move.values
        b_new = _value(b_new, exact)
        a_new = np.array([_value(v, exact) for v in a_new], dtype=p["a"].dtype)
        zero = _value(0, exact)
        old = p["a"][:, i] * max(p["b"][i], zero)
        new = a_new * max(b_new, zero)
        if p["c"] is None and not _is_zero(new - old, exact, atol):
            raise InvalidInputError(
                f"constant neuron {i}: the new constant a σ(b) differs and the net has no output "
                "bias to absorb it"
            )
        if p["c"] is not None:
            p["c"] = p["c"] + old - new
        p["b"][i], p["a"][:, i] = b_new, a_new
    elif move.kind == "split":
        i, j = neurons
        if i == j or not _is_zero(p["a"][:, j], exact, atol):
            raise InvalidInputError(f"split: neuron {j} must be a dead neuron other than {i}")
        lam, t = move.values
        lam = _value(lam, exact)
        if not lam > 0:
            raise InvalidInputError(f"split: the scale must be positive, got {lam}")
        t = np.array([_value(v, exact) for v in t], dtype=p["a"].dtype)
        p["w"][j] = p["w"][i] * lam
        p["b"][j] = p["b"][i] * lam
        p["a"][:, j] = t
        p["a"][:, i] = p["a"][:, i] - t * lam
    elif move.kind == "merge":
        i, j = neurons
        lam = _positive_ratio(p["w"][j], p["b"][j], p["w"][i], p["b"][i], exact, tolerances)
        if i == j or lam is None:
            raise InvalidInputError(
                f"merge: neurons {i} and {j} must lie on the same oriented hyperplane"
            )
        p["a"][:, i] = p["a"][:, i] + p["a"][:, j] * lam
        p["a"][:, j] = p["a"][:, j] * 0
    elif move.kind == "translate":
        _translate(p, neurons, _value(move.values[0], exact), exact, tolerances, atol)
    elif move.kind == "redirect":
        _redirect(p, neurons, move.values, exact, tolerances, atol)
    else:
        raise InvalidInputError(f"unknown move kind {move.kind!r}")
    return ShallowNet._trusted(p["w"], p["b"], p["a"], p["c"], p["v"], exact)


def _positive_ratio(
    w: np.ndarray, b: Any, w0: np.ndarray, b0: Any, exact: bool, tol: Tolerances
) -> Any:
    """``λ > 0`` with ``(w, b) = λ (w0, b0)``, or None."""
    k = next((idx for idx, v in enumerate(w0) if v != 0), None)
    if k is None or w[k] == 0:
        return None
    lam = w[k] / w0[k]
    if not lam > 0:
        return None
    diff = np.append(w - w0 * lam, b - b0 * lam)
    size = float(np.abs(np.append(w, b).astype(np.float64)).max())
    return lam if _is_zero(diff, exact, tol.rel * size) else None


def _translate(
    p: dict[str, Any], group: list[int], delta: Any, exact: bool, tol: Tolerances, atol: float
) -> None:
    if p["c"] is None:
        raise InvalidInputError("translate: a cancelling group can only move with an output bias")
    i0 = group[0]
    w0 = p["w"][i0]
    r0 = abs(next(v for v in w0 if v != 0)) if exact else float(np.linalg.norm(w0))
    total = 0 * p["a"][:, i0]
    negative = 0 * p["a"][:, i0]
    shifts = []
    for i in group:
        w_i = p["w"][i]
        pos = _positive_ratio(w_i, p["b"][i], w0, p["b"][i0], exact, tol)
        neg = _positive_ratio(-w_i, -p["b"][i], w0, p["b"][i0], exact, tol)
        if pos is None and neg is None:
            raise InvalidInputError(f"translate: neuron {i} is not on the hyperplane of {i0}")
        sign = 1 if pos is not None else -1
        r_i = (pos if pos is not None else neg) * r0
        total = total + p["a"][:, i] * r_i
        if sign < 0:
            negative = negative + p["a"][:, i] * r_i
        shifts.append((i, sign * r_i))
    if not _is_zero(total, exact, atol):
        raise InvalidInputError(f"translate: the coefficients of neurons {group} do not cancel")
    for i, rs in shifts:
        p["b"][i] = p["b"][i] + rs * delta
    p["c"] = p["c"] + negative * delta


def _redirect(
    p: dict[str, Any],
    neurons: list[int],
    values: tuple[Any, ...],
    exact: bool,
    tol: Tolerances,
    atol: float,
) -> None:
    """Replace a cancelling group by two cancelling pairs in other directions (T7)."""
    if len(neurons) < 4 or len(set(neurons)) != len(neurons):
        raise InvalidInputError(
            "redirect: needs a cancelling group of at least two neurons and two dead neurons, "
            f"all distinct; got {neurons}"
        )
    group, (pp, qq) = neurons[:-2], neurons[-2:]
    for j in (pp, qq):
        if not _is_zero(p["a"][:, j], exact, atol):
            raise InvalidInputError(f"redirect: neuron {j} must be dead (output weight 0)")
    if len(values) != 2:
        raise InvalidInputError("redirect: values must be (w', b'), the new direction")
    w_new = np.array([_value(v, exact) for v in values[0]], dtype=p["w"].dtype)
    b_new = _value(values[1], exact)
    if w_new.shape != p["w"][0].shape:
        raise InvalidInputError(f"redirect: w' must have {p['w'].shape[1]} entries")
    i0 = group[0]
    w0, b0 = p["w"][i0].copy(), p["b"][i0]
    if _is_zero(w0, exact, 0.0):
        raise InvalidInputError(f"redirect: neuron {i0} has input weight 0 (no hyperplane)")
    total = 0 * p["a"][:, i0]
    slope = 0 * p["a"][:, i0]  # Σ λ_i a_i over the neurons with (w_i, b_i) = -λ_i (w_0, b_0)
    for i in group:
        pos = _positive_ratio(p["w"][i], p["b"][i], w0, b0, exact, tol)
        neg = _positive_ratio(-p["w"][i], -p["b"][i], w0, b0, exact, tol)
        if pos is None and neg is None:
            raise InvalidInputError(f"redirect: neuron {i} is not on the hyperplane of {i0}")
        ratio = pos if pos is not None else neg
        total = total + p["a"][:, i] * ratio
        if pos is None:  # a σ(-λ z) = a λ σ(z) - a λ z
            slope = slope + p["a"][:, i] * ratio
    if not _is_zero(total, exact, atol):
        raise InvalidInputError(f"redirect: the coefficients of neurons {group} do not cancel")
    a_star = -slope  # the group computes a* (w_0·x + b_0)
    for i in group[2:]:
        p["a"][:, i] = p["a"][:, i] * 0
    pairs = ((group[0], group[1], w_new, b_new), (pp, qq, w0 - w_new, b0 - b_new))
    for i, j, w, b in pairs:
        p["w"][i], p["b"][i], p["a"][:, i] = w, b, a_star
        p["w"][j], p["b"][j], p["a"][:, j] = -w, -b, -a_star


# -- random moves and fibres --------------------------------------------------------------------
_RATIONAL_SCALES = tuple(Fraction(x) for x in ("1/3", "1/2", "2/3", "3/2", "2", "3", "5/4"))


def _random_scalar(rng: np.random.Generator, exact: bool, positive: bool = False) -> Any:
    if exact:
        if positive:
            return _RATIONAL_SCALES[int(rng.integers(len(_RATIONAL_SCALES)))]
        return Fraction(int(rng.integers(-6, 7)), int(rng.integers(1, 4)))
    return float(np.exp(rng.normal(0, 0.5))) if positive else float(rng.normal())


def _candidates(net: ShallowNet, form: CanonicalForm, flips: FlipSets) -> list[str]:
    kinds = ["rescaling"]
    if net.width >= 2:
        kinds.append("permutation")
    if flips.minimal or (flips.all_allowed and _kink_rows(form, net)):
        kinds.append("flip")
    if form.dead:
        kinds.append("dead neuron")
        if _kink_rows(form, net):
            kinds.append("split")
    if form.constant_neurons and (
        net.c is not None or any(net.b[i] <= 0 for i in form.constant_neurons)
    ):
        kinds.append("constant neuron")
    if any(s > 1 for kk in form.kinks for s in (kk.signs.count(1), kk.signs.count(-1))):
        kinds.append("merge")
    if net.c is not None and any(len(g) > 1 for g in form.cancelled):
        kinds.append("translate")
    if len(form.dead) >= 2 and any(len(g) > 1 for g in form.cancelled):
        kinds.append("redirect")
    return kinds


def random_move(net: Any, seed: Any = None, *, tol: float | Tolerances | None = None) -> Move:
    """A random move available at ``net`` (rational values for exact nets).

    Parameters
    ----------
    net : ShallowNet or ReLUNet
    seed : int or numpy.random.Generator, optional
        Seeds the choice of the move and its values.
    tol : float or Tolerances, optional
        Float mode's tolerance (which moves are available).

    Returns
    -------
    Move
        A move that :func:`apply_move` accepts at ``net``.

    Examples
    --------
    >>> net = ShallowNet([[1], [1]], [0, -1], [[1, -1]], c=[0], exact=True)
    >>> move = random_move(net, seed=3)
    >>> from neurogeom.symmetry import are_equivalent
    >>> are_equivalent(net, apply_move(net, move)).verdict
    'equivalent'
    """
    net = as_shallow(net, what="random_move")
    rng = check_rng(seed)
    tolerances = check_tol(tol)
    exact = net.exact
    form = canonical_form(net, tol=tolerances)
    flips = _flip_sets(net, form, tolerances, 64)
    kind = _candidates(net, form, flips)[int(rng.integers(len(_candidates(net, form, flips))))]
    m, n, k = net.architecture
    if kind == "permutation":
        return Move("permutation", tuple(range(n)), tuple(int(i) for i in rng.permutation(n)))
    if kind == "rescaling":
        return Move(
            "rescaling", tuple(range(n)), tuple(_random_scalar(rng, exact, True) for _ in range(n))
        )
    if kind == "flip":
        if flips.all_allowed:
            rows = _kink_rows(form, net)
            chosen = tuple(i for i in rows if rng.random() < 0.5) or (rows[0],)
            return Move("flip", chosen)
        return Move("flip", flips.minimal[int(rng.integers(len(flips.minimal)))])
    if kind == "dead neuron":
        i = form.dead[int(rng.integers(len(form.dead)))]
        w_new = tuple(_random_scalar(rng, exact) for _ in range(m))
        return Move("dead neuron", (i,), (w_new, _random_scalar(rng, exact)))
    if kind == "split":
        i = _kink_rows(form, net)[int(rng.integers(len(_kink_rows(form, net))))]
        j = form.dead[int(rng.integers(len(form.dead)))]
        t = tuple(_random_scalar(rng, exact) for _ in range(k))
        return Move("split", (i, j), (_random_scalar(rng, exact, True), t))
    if kind == "constant neuron":
        options = [i for i in form.constant_neurons if net.c is not None or net.b[i] <= 0]
        i = options[int(rng.integers(len(options)))]
        b_new = _random_scalar(rng, exact)
        if net.c is None:
            b_new = -abs(b_new)
        return Move(
            "constant neuron", (i,), (b_new, tuple(_random_scalar(rng, exact) for _ in range(k)))
        )
    if kind == "merge":
        pairs = [
            [i for i, s in zip(kk.neurons, kk.signs, strict=True) if s == sign]
            for kk in form.kinks
            for sign in (1, -1)
        ]
        pairs = [g for g in pairs if len(g) > 1]
        group = pairs[int(rng.integers(len(pairs)))]
        return Move("merge", (group[0], group[1]))
    groups = [g for g in form.cancelled if len(g) > 1]
    group = groups[int(rng.integers(len(groups)))]
    if kind == "redirect":
        dead = [int(i) for i in rng.permutation(form.dead)[:2]]
        w_new = tuple(_random_scalar(rng, exact) for _ in range(m))
        return Move("redirect", (*group, *dead), (w_new, _random_scalar(rng, exact)))
    return Move("translate", tuple(group), (_random_scalar(rng, exact),))


@dataclass(frozen=True, slots=True)
class FibreSample:
    """Nets in the fibre of ``net`` (same function), reached by random moves, each verified.

    Attributes
    ----------
    net : ShallowNet
        The starting net.
    samples : tuple of ShallowNet
    moves : tuple of tuple of Move
        The moves that led to each sample.
    verdicts : tuple of str
        :func:`~neurogeom.symmetry.are_equivalent`'s verdict for each sample against ``net``.
    """

    net: ShallowNet
    samples: tuple[ShallowNet, ...]
    moves: tuple[tuple[Move, ...], ...]
    verdicts: tuple[str, ...]

    @property
    def verified(self) -> bool:
        """Whether every sample was verified equivalent."""
        return all(v == "equivalent" for v in self.verdicts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "samples": [s.to_dict() for s in self.samples],
            "moves": [[m.to_dict() for m in ms] for ms in self.moves],
            "verdicts": list(self.verdicts),
            "verified": self.verified,
        }

    def __repr__(self) -> str:
        return f"FibreSample({len(self.samples)} samples, verified={self.verified})"


def sample_fiber(
    net: Any,
    *,
    n_samples: int = 8,
    steps: int = 4,
    seed: Any = 0,
    tol: float | Tolerances | None = None,
) -> FibreSample:
    """Sample the fibre of a shallow net (nets with the same function) by random moves.

    Each sample is ``steps`` random moves (:func:`random_move`) away from ``net`` and is checked
    with :func:`~neurogeom.symmetry.are_equivalent` (exactly for exact nets).

    Parameters
    ----------
    net : ShallowNet or ReLUNet
    n_samples : int
        Number of samples.
    steps : int
        Random moves per sample.
    seed : int or numpy.random.Generator, optional
    tol : float or Tolerances, optional
        Float mode's tolerance of the moves and of the checks.

    Returns
    -------
    FibreSample
        The samples, the moves that made each one and each check's verdict.

    Examples
    --------
    >>> net = ShallowNet([[1], [1], [0]], [0, -1, 2], [[1, -1, 0]], c=[0], exact=True)
    >>> fibre = sample_fiber(net, n_samples=3, seed=1)
    >>> fibre.verified, len(fibre.samples)
    (True, 3)
    """
    from neurogeom.symmetry.equivalence import are_equivalent

    net = as_shallow(net, what="sample_fiber")
    for name, value in (("n_samples", n_samples), ("steps", steps)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidInputError(f"{name} must be a positive integer, got {value!r}")
    rng = check_rng(seed)
    samples, moves, verdicts = [], [], []
    for _ in range(n_samples):
        current = net
        path = []
        for _ in range(steps):
            move = random_move(current, rng, tol=tol)
            current = apply_move(current, move, tol=tol)
            path.append(move)
        samples.append(current)
        moves.append(tuple(path))
        verdicts.append(are_equivalent(net, current, tol=tol).verdict)
    return FibreSample(net, tuple(samples), tuple(moves), tuple(verdicts))
