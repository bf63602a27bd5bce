"""Shared pytest configuration: hypothesis profiles.

The ``ci`` profile (no deadline, 60 examples, derandomized when ``CI=true``) is loaded unless
``HYPOTHESIS_PROFILE`` names another registered profile; ``dev`` runs fewer examples for quick
local iterations. The
``explain`` phase is left out: it can take tens of seconds on a failing property test and the
shrunk example is what one needs.
"""

from __future__ import annotations

import os

from hypothesis import Phase, settings

_PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)

# Under CI (CI=true) the examples are derandomized, so a landing is judged on a fixed set of
# cases; local runs keep exploring new random cases.
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=60,
    phases=_PHASES,
    derandomize=os.environ.get("CI") == "true",
)
settings.register_profile("dev", deadline=None, max_examples=20, phases=_PHASES)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
