"""Repository-level pytest configuration: skip the doctests of optional backends not installed.

The test extra installs onnx and matplotlib; torch is installed separately (the CPU build, see
the README), so without it the doctests of the PyTorch reader are not collected.
"""

import importlib.util

collect_ignore = [
    path
    for module, path in [
        ("torch", "src/neurogeom/nets/io/torch.py"),
        ("onnx", "src/neurogeom/nets/io/onnx.py"),
        ("matplotlib", "src/neurogeom/regions/plot.py"),
        ("sympy", "src/neurogeom/rational/expansion.py"),
        ("sympy", "src/neurogeom/rational/polynomials.py"),
        ("matplotlib", "src/neurogeom/report/sections/symmetry.py"),
        ("matplotlib", "src/neurogeom/tropical/plot.py"),
        ("matplotlib", "src/neurogeom/topology/plot.py"),
    ]
    if importlib.util.find_spec(module) is None
]
