"""The generator's steps: importing a module registers its steps (see `registry`).

A later capability adds its data here: write `grassroots/demo/country/steps/<capability>.py` with a
function decorated by `@generator_step("<name>", order=…)` and import it below.
"""

from . import (  # noqa: F401
    assessments,
    committees,
    feedback,
    inspections,
    meetings,
    members,
    rollups,
    targets,
    tree,
)
