"""Checkpoint files of the search engine, so an interrupted enumeration resumes where it stopped.

A checkpoint holds the pending nodes of the search (each a pattern prefix with an interior point)
and the cells already finished, plus a fingerprint of the network, domain and options. Nodes are
atomic units of work: a node interrupted by the budget stays pending and its partial cells are not
saved, so resuming neither loses nor double-counts a cell. Files are JSON, written atomically;
floats are stored in hex and rationals as strings, so nothing is rounded.
"""

from __future__ import annotations

import hashlib
import json
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from neurogeom.core.domain import Domain
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.files import atomic_write_text
from neurogeom.core.tolerances import Tolerances
from neurogeom.nets.geometry import pattern_from_string, pattern_string
from neurogeom.nets.io.json import to_json_dict
from neurogeom.nets.relu import ReLUNet
from neurogeom.regions._engine import FacetHints, FoundCell
from neurogeom.regions._search import Node, SearchState, Task
from neurogeom.regions.result import Note

__all__ = ["AUTOSAVE_SECONDS", "fingerprint", "load_checkpoint", "save_checkpoint"]

FORMAT = "neurogeom-regions-checkpoint"
VERSION = 2

#: How often a running search writes its checkpoint (seconds).
AUTOSAVE_SECONDS = 30.0


def fingerprint(net: ReLUNet, domain: Domain, *, exact: bool, tol: Tolerances) -> str:
    """A hash of everything that determines the enumeration."""
    doc = {
        "net": to_json_dict(net),
        "domain": domain.to_dict(),
        "exact": exact,
        "tol": tol.to_dict(),
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def _floats(x: np.ndarray) -> list[str]:
    return [float(v).hex() for v in x]


def _unfloats(x: list[str]) -> np.ndarray:
    return np.array([float.fromhex(v) for v in x])


def _rationals(x: np.ndarray | None) -> list[str] | None:
    return None if x is None else [str(v) for v in x]


def _unrationals(x: list[str] | None) -> np.ndarray | None:
    return None if x is None else np.array([Fraction(v) for v in x], dtype=object)


def _hints(hints: FacetHints | None) -> dict[str, list[list[int]]] | None:
    if hints is None:
        return None
    return {
        "certain": [list(p) for p in hints.certain],
        "possible": [list(p) for p in hints.possible],
    }


def _unhints(doc: dict[str, Any] | None) -> FacetHints | None:
    if doc is None:
        return None
    return FacetHints(
        tuple(tuple(int(k) for k in p) for p in doc["certain"]),
        tuple(tuple(int(k) for k in p) for p in doc["possible"]),
    )


def _item(pattern: np.ndarray, point: np.ndarray, radius: float, xpoint: Any) -> dict[str, Any]:
    return {
        "pattern": pattern_string(pattern),
        "point": _floats(point),
        "radius": float(radius).hex(),
        "xpoint": _rationals(xpoint),
    }


def save_checkpoint(path: str | os.PathLike[str], state: SearchState, key: str) -> None:
    """Write the search state atomically."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "fingerprint": key,
        "complete": not state.pending,
        "nodes": state.nodes,
        "pending": [
            {
                "depth": t.node.depth,
                **_item(t.node.prefix, t.node.point, t.node.radius, t.node.exact_point),
            }
            for t in state.pending
        ],
        "cells": [
            {**_item(c.pattern, c.point, c.radius, c.exact_point), "facets": _hints(c.facets)}
            for c in state.cells
        ],
        "notes": [n.to_dict() for n in state.notes.values()],
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
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError("not a neurogeom checkpoint")
        if doc.get("version") != VERSION:
            raise ValueError(f"written by another version of the format ({doc.get('version')})")
        if doc["fingerprint"] != key:
            raise InvalidInputError(
                f"checkpoint {p} was written for another network, domain or tolerance; "
                "delete it or choose another --checkpoint path"
            )
        state = SearchState(
            pending=[
                Task(
                    Node(
                        int(d["depth"]),
                        pattern_from_string(d["pattern"]),
                        _unfloats(d["point"]),
                        float.fromhex(d["radius"]),
                        _unrationals(d.get("xpoint")),
                    )
                )
                for d in doc["pending"]
            ],
            cells=[
                FoundCell(
                    pattern_from_string(c["pattern"]),
                    _unfloats(c["point"]),
                    float.fromhex(c["radius"]),
                    _unrationals(c.get("xpoint")),
                    facets=_unhints(c.get("facets")),
                )
                for c in doc["cells"]
            ],
            nodes=int(doc.get("nodes", 0)),
        )
        state.add_notes(Note.from_dict(n) for n in doc.get("notes", []))
    except InvalidInputError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise InvalidInputError(f"checkpoint {p} is malformed: {exc}") from None
    return state
