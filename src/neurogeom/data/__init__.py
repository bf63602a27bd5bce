"""Small bundled networks with known answers, used by the docs, the tests and ``neurogeom analyze``.

Each example is a JSON file in this folder; :func:`example_path` finds it by name and
:func:`list_examples` lists the names with their one-line descriptions.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from neurogeom.core.errors import InvalidInputError

__all__ = ["DEFAULT_EXAMPLE", "example_path", "list_examples"]

#: The network ``neurogeom analyze`` uses when none is given.
DEFAULT_EXAMPLE = "two_moons"


def _folder() -> Path:
    return Path(str(resources.files(__name__)))


def list_examples() -> dict[str, str]:
    """Names of the bundled networks and their descriptions.

    Examples
    --------
    >>> "max2" in list_examples()
    True
    """
    out = {}
    for path in sorted(_folder().glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        out[path.stem] = doc.get("description", "")
    return out


def example_path(name: str) -> Path:
    """Path of a bundled network by name (without ``.json``).

    Raises
    ------
    InvalidInputError
        If there is no such example; the message lists the available ones.

    Examples
    --------
    >>> example_path("abs").name
    'abs.json'
    """
    path = _folder() / f"{name}.json"
    if not path.is_file():
        raise InvalidInputError(
            f"no bundled example {name!r}; available: {', '.join(sorted(list_examples()))}"
        )
    return path
