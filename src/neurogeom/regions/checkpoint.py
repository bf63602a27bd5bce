"""Checkpoint files of the search engine, so an interrupted enumeration resumes where it stopped.

A checkpoint holds the pending nodes of the search (each a pattern prefix with an interior point)
and the cells already finished, plus a fingerprint of the network, domain and options. Nodes are
atomic units of work: a node interrupted by the budget stays pending and its partial cells are not
saved, so resuming neither loses nor double-counts a cell. Files are JSON, written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.files import atomic_write_text
from neurogeom.nets.io.json import to_json_dict
from neurogeom.nets.relu import ReLUNet
from neurogeom.regions.domain import Domain
from neurogeom.regions.search import Node, RawCell, SearchState

__all__ = ["fingerprint", "load_checkpoint", "save_checkpoint"]

FORMAT = "neurogeom-regions-checkpoint"


def fingerprint(net: ReLUNet, domain: Domain, *, exact: bool, tol: float) -> str:
    """A hash of everything that determines the enumeration."""
    doc = {"net": to_json_dict(net), "domain": domain.to_dict(), "exact": exact, "tol": tol}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def _bits(pattern: np.ndarray) -> str:
    return "".join("1" if b else "0" for b in pattern)


def _unbits(text: str) -> np.ndarray:
    return np.array([c == "1" for c in text], dtype=bool)


def _floats(x: np.ndarray) -> list[str]:
    return [float(v).hex() for v in x]


def _unfloats(x: list[str]) -> np.ndarray:
    return np.array([float.fromhex(v) for v in x])


def _rationals(x: np.ndarray | None) -> list[str] | None:
    return None if x is None else [str(v) for v in x]


def _unrationals(x: list[str] | None) -> np.ndarray | None:
    return None if x is None else np.array([Fraction(v) for v in x], dtype=object)


def _item(pattern: np.ndarray, point: np.ndarray, radius: float, xpoint: Any) -> dict[str, Any]:
    return {
        "pattern": _bits(pattern),
        "point": _floats(point),
        "radius": float(radius).hex(),
        "xpoint": _rationals(xpoint),
    }


def _raw(c: dict[str, Any]) -> RawCell:
    return RawCell(
        _unbits(c["pattern"]),
        _unfloats(c["point"]),
        float.fromhex(c["radius"]),
        _unrationals(c.get("xpoint")),
    )


def save_checkpoint(path: str | os.PathLike[str], state: SearchState, key: str) -> None:
    """Write the search state atomically (floats in hex and rationals as strings: exact)."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": 1,
        "fingerprint": key,
        "complete": not state.pending,
        "n_lps": state.n_lps,
        "n_nodes": state.n_nodes,
        "pending": [
            {"depth": n.depth, **_item(n.prefix, n.point, n.radius, n.xpoint)}
            for n in state.pending
        ],
        "cells": [_item(c.pattern, c.point, c.radius, c.xpoint) for c in state.cells],
        "thin": [_item(c.pattern, c.point, c.radius, c.xpoint) for c in state.thin],
        "notes": state.notes,
    }
    atomic_write_text(path, json.dumps(doc))


def load_checkpoint(path: str | os.PathLike[str], key: str) -> SearchState | None:
    """Read a checkpoint for the same problem; ``None`` if the file does not exist.

    Raises
    ------
    InvalidInputError
        If the file is malformed or belongs to another network, domain or option set.
    """
    p = Path(path)
    if not p.exists():
        return None
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT:
            raise ValueError("not a neurogeom checkpoint")
        if doc["fingerprint"] != key:
            raise InvalidInputError(
                f"checkpoint {p} was written for another network, domain or tolerance; "
                "delete it or choose another --checkpoint path"
            )
        state = SearchState(
            pending=[
                Node(
                    d["depth"],
                    _unbits(d["pattern"]),
                    _unfloats(d["point"]),
                    float.fromhex(d["radius"]),
                    xpoint=_unrationals(d.get("xpoint")),
                )
                for d in doc["pending"]
            ],
            cells=[_raw(c) for c in doc["cells"]],
            thin=[_raw(c) for c in doc["thin"]],
            notes=list(doc.get("notes", [])),
            n_lps=int(doc.get("n_lps", 0)),
            n_nodes=int(doc.get("n_nodes", 0)),
        )
    except InvalidInputError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInputError(f"checkpoint {p} is malformed: {exc}") from None
    return state
