"""Train the bundled ``two_moons`` example: a 2-12-12-1 ReLU classifier of the two-moons data.

The script generates the two-moons data set itself (no scikit-learn), trains a small ReLU network
in float64 with Adam, rounds every weight and bias to three decimal places (so the exact rationals
have denominators dividing 1000, which keeps exact computations cheap), checks the accuracy again
after rounding and writes ``src/neurogeom/data/two_moons.json``.

Run it from anywhere::

    python examples/train_two_moons.py            # writes the bundled example
    python examples/train_two_moons.py --out net.json

Everything is seeded, so the output is reproducible on one machine and torch version.
"""

from __future__ import annotations

import argparse
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import torch

from neurogeom.nets import ReLUNet
from neurogeom.nets.io.json import write_json

SEED = 0
N_POINTS = 1000
NOISE = 0.1
TEST_FRACTION = 0.2
HIDDEN = (12, 12)
EPOCHS = 1500
LEARNING_RATE = 0.01
DECIMALS = 3
TARGET_ACCURACY = 0.97
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src" / "neurogeom" / "data" / "two_moons.json"


def make_moons(
    n_points: int, *, noise: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles with Gaussian noise.

    Class 0 is the upper moon ``(cos t, sin t)``, class 1 the lower moon
    ``(1 - cos t, 1/2 - sin t)``, ``t`` uniform in ``[0, π]`` (the layout of scikit-learn's
    ``make_moons``).

    Parameters
    ----------
    n_points : int
        Total number of points (half of them, rounded down, in class 0).
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    x : ndarray of shape (n_points, 2)
    y : ndarray of shape (n_points,)
        Labels 0 and 1 (int).
    """
    n0 = n_points // 2
    n1 = n_points - n0
    t0 = rng.uniform(0.0, np.pi, n0)
    t1 = rng.uniform(0.0, np.pi, n1)
    upper = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    lower = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    x = np.concatenate([upper, lower]) + rng.normal(0.0, noise, (n_points, 2))
    y = np.concatenate([np.zeros(n0, dtype=int), np.ones(n1, dtype=int)])
    order = rng.permutation(n_points)
    return x[order], y[order]


def build_model() -> torch.nn.Sequential:
    """The 2-12-12-1 ReLU network with a logit output, in float64."""
    widths = (2, *HIDDEN, 1)
    layers: list[torch.nn.Module] = []
    for k in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[k], widths[k + 1], dtype=torch.float64))
        if k < len(widths) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def train(model: torch.nn.Sequential, x: np.ndarray, y: np.ndarray) -> None:
    """Full-batch Adam on the logistic loss."""
    xt = torch.from_numpy(x)
    yt = torch.from_numpy(y.astype(np.float64))
    optimiser = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    for _ in range(EPOCHS):
        optimiser.zero_grad()
        loss = loss_fn(model(xt).squeeze(1), yt)
        loss.backward()
        optimiser.step()


def rounded_net(model: torch.nn.Sequential) -> ReLUNet:
    """An exact :class:`ReLUNet` whose weights are the model's, rounded to ``DECIMALS`` places.

    Each value is formatted as a decimal string and read with ``Fraction(str)``, so ``0.137`` is
    exactly 137/1000.
    """
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]

    def exact(values: np.ndarray) -> list:
        if values.ndim == 1:
            return [Fraction(f"{v:.{DECIMALS}f}") for v in values]
        return [exact(row) for row in values]

    weights = [exact(m.weight.detach().numpy()) for m in linears]
    biases = [exact(m.bias.detach().numpy()) for m in linears]
    return ReLUNet(weights, biases, exact=True)


def accuracy(logits: np.ndarray, y: np.ndarray) -> float:
    """Fraction of points whose logit has the sign of their label (logit > 0 means class 1)."""
    return float(np.mean((np.asarray(logits, dtype=np.float64).ravel() > 0) == (y == 1)))


def main(argv: list[str] | None = None) -> None:
    """Train, round, check and write the network."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    x, y = make_moons(N_POINTS, noise=NOISE, rng=rng)
    n_test = round(TEST_FRACTION * N_POINTS)
    x_train, y_train, x_test, y_test = x[n_test:], y[n_test:], x[:n_test], y[:n_test]

    model = build_model()
    train(model, x_train, y_train)
    with torch.no_grad():
        train_acc = accuracy(model(torch.from_numpy(x_train)).numpy(), y_train)
        test_acc = accuracy(model(torch.from_numpy(x_test)).numpy(), y_test)
    print(f"trained:  train accuracy {train_acc:.4f}, test accuracy {test_acc:.4f}")

    net = rounded_net(model)
    net_float = net.to_float()
    r_train_acc = accuracy(net_float(x_train), y_train)
    r_test_acc = accuracy(net_float(x_test), y_test)
    print(f"rounded:  train accuracy {r_train_acc:.4f}, test accuracy {r_test_acc:.4f}")
    if r_test_acc < TARGET_ACCURACY:
        raise SystemExit(
            f"test accuracy after rounding is {r_test_acc:.4f} < {TARGET_ACCURACY}; not writing"
        )

    description = (
        f"two-moons classifier (noise {NOISE}, {N_POINTS} points, seed {SEED}): ReLU "
        f"{'-'.join(map(str, net.architecture))}, logit output (> 0 means the lower moon), "
        f"trained in float64 with Adam, weights rounded to {DECIMALS} decimals; "
        f"test accuracy {100 * r_test_acc:.1f}% on {n_test} held-out points "
        "(examples/train_two_moons.py)"
    )
    write_json(net, args.out, name="two_moons", description=description)
    print(f"wrote {args.out} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
