"""Forward passes and parameter Jacobians of rational networks, over F_p and in floating point.

One backpropagation, written once over a small *field* interface: :class:`ModP` (residues mod a
prime below 2**31 in int64 arrays, exact) and :class:`Floats` (float64 or complex128). The rows
of the Jacobian are the gradients, with respect to every weight (and bias), of a random linear
combination ``Σ_i r_i f_i(x)`` of the outputs at one input ``x``: for generic ``(x, r)`` these
scalar functions span as much as the vector-valued ones do, so one row per point suffices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import flint
import numpy as np

from neurogeom.core.rationals import DEFAULT_PRIME, products_but_one

__all__ = ["Floats", "JacobianRows", "ModP", "jacobian_rows", "parameter_layout", "sampled_degrees"]


class ModP:
    """Arithmetic on int64 arrays of residues mod ``p < 2**31`` (products fit in int64)."""

    def __init__(self, p: int = DEFAULT_PRIME) -> None:
        if not 2 < p < 2**31:
            raise ValueError(f"ModP needs a prime below 2**31, got {p}")
        self.p = p

    def mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (a * b) % self.p

    def add(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (a + b) % self.p

    def neg(self, a: np.ndarray) -> np.ndarray:
        return (-a) % self.p

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``a @ b mod p``: ``b`` split in 16-bit halves so that no partial sum overflows."""
        lo = b & 0xFFFF
        hi = b >> 16
        part_hi = (a @ hi) % self.p
        part_lo = (a @ lo) % self.p
        return ((part_hi << 16) + part_lo) % self.p

    def inv(self, a: np.ndarray) -> np.ndarray:
        """Elementwise inverse by Fermat (``a^(p-2)``); zeros map to zero."""
        result = np.ones_like(a)
        base = a % self.p
        e = self.p - 2
        while e:
            if e & 1:
                result = (result * base) % self.p
            base = (base * base) % self.p
            e >>= 1
        return result

    def is_zero(self, a: np.ndarray) -> np.ndarray:
        return a == 0

    def random(self, rng: np.random.Generator, shape: Any) -> np.ndarray:
        return rng.integers(1, self.p, size=shape, dtype=np.int64)


class Floats:
    """Plain floating-point (or complex) arithmetic with the same interface as :class:`ModP`."""

    def __init__(self, dtype: Any = np.float64) -> None:
        self.dtype = np.dtype(dtype)

    def mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a * b

    def add(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a + b

    def neg(self, a: np.ndarray) -> np.ndarray:
        return -a

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a @ b

    def inv(self, a: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(a == 0, 0, 1 / np.where(a == 0, 1, a))

    def is_zero(self, a: np.ndarray) -> np.ndarray:
        return a == 0

    def random(self, rng: np.random.Generator, shape: Any) -> np.ndarray:
        if self.dtype.kind == "c":
            return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)
        return rng.standard_normal(shape)


def parameter_layout(arch: tuple[int, ...], *, bias: bool) -> list[tuple[str, int, int]]:
    """``(kind, layer, size)`` blocks in the order of the Jacobian's columns: ``W_0`` row-major,
    then ``b_0`` (with biases), then ``W_1``, ..."""
    out = []
    for l in range(len(arch) - 1):
        out.append(("weight", l, arch[l] * arch[l + 1]))
        if bias:
            out.append(("bias", l, arch[l + 1]))
    return out


@dataclass(frozen=True, slots=True)
class JacobianRows:
    """Jacobian rows at ``m`` points and whether each point avoided every pole."""

    rows: np.ndarray
    ok: np.ndarray


def jacobian_rows(
    field: ModP | Floats,
    weights: list[np.ndarray],
    biases: list[np.ndarray] | None,
    x: np.ndarray,
    r: np.ndarray,
) -> JacobianRows:
    """Gradient of ``Σ_i r[k, i] f_i(x[k])`` with respect to all parameters, one row per ``k``.

    ``dσ/dz = -σ(z)^2``. Points where a hidden pre-activation is zero are flagged in ``ok``
    (their rows are meaningless).
    """
    n_layers = len(weights)
    hs = [x]
    ok = np.ones(x.shape[0], dtype=bool)
    h = x
    for l, w in enumerate(weights):
        z = field.matmul(h, w.T)
        if biases is not None:
            z = field.add(z, biases[l][None, :])
        if l == n_layers - 1:
            break
        ok &= ~field.is_zero(z).any(axis=1)
        h = field.inv(z)
        hs.append(h)
    blocks: list[np.ndarray] = []
    g = r  # gradient with respect to the current layer's pre-activation
    for l in range(n_layers - 1, -1, -1):
        h_in = hs[l]
        grad_w = field.mul(g[:, :, None], h_in[:, None, :]).reshape(g.shape[0], -1)
        layer_blocks = [grad_w] + ([g] if biases is not None else [])
        blocks[0:0] = layer_blocks
        if l == 0:
            break
        g_h = field.matmul(g, weights[l])
        g = field.neg(field.mul(g_h, field.mul(h_in, h_in)))
    return JacobianRows(np.concatenate(blocks, axis=1), ok)


def sampled_degrees(
    arch: tuple[int, ...], *, bias: bool, rng: np.random.Generator, p: int = DEFAULT_PRIME
) -> tuple[int, int] | None:
    """Degrees of the reduced output of random weights mod ``p``, along a random line.

    The network is evaluated on ``x = u + t v`` as univariate rational functions in ``t`` over
    F_p (``nmod_poly``), reduced by a gcd after every layer. The degrees found never exceed the
    generic degrees and equal them unless the random choices were special (probability about
    ``degree / p``). Returns ``None`` if a hidden pre-activation vanished identically.
    """
    one = flint.nmod_poly([1], p)
    zero = flint.nmod_poly([], p)
    xs = [
        flint.nmod_poly([int(rng.integers(p)), int(rng.integers(1, p))], p) for _ in range(arch[0])
    ]
    nums: list[Any] = []
    den = one
    for l in range(len(arch) - 1):
        w = rng.integers(1, p, size=(arch[l + 1], arch[l]))
        b = rng.integers(1, p, size=arch[l + 1]) if bias else np.zeros(arch[l + 1], dtype=np.int64)
        if l == 0:
            nums = []
            for i in range(arch[1]):
                acc = flint.nmod_poly([int(b[i])], p)
                for j in range(arch[0]):
                    acc += xs[j] * int(w[i, j])
                nums.append(acc)
            continue
        if any(n.is_zero() for n in nums):
            return None
        others, full = products_but_one(nums, one)
        new = []
        for i in range(arch[l + 1]):
            acc = zero
            for j in range(arch[l]):
                acc += others[j] * int(w[i, j])
            new.append(den * acc + full * int(b[i]))
        g = full
        for q in new:
            g = g.gcd(q)
        nums = [q // g for q in new]
        den = full // g
    return max(q.degree() for q in nums), den.degree()
