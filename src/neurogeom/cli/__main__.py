"""``python -m neurogeom.cli``: the same as the installed ``neurogeom`` program."""

from neurogeom.cli import entry

entry()
