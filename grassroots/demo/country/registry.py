"""The generator's steps and what they share.

A step is a function `step(ctx)` registered with `@generator_step(name, order=…)`. The
foundation's steps build the tree (10), the members and their ledger (20), committees (30) and,
after the bulk load, the roll-up counters (90). A later capability adds its own data (targets,
assessments, meetings, inspections, feedback) by writing a module in
`grassroots/demo/country/steps/` with one decorated function and importing it in
`grassroots/demo/country/steps/__init__.py`; it reads the tree from `ctx.tree` and writes through
`ctx.writer` (declare the model's columns first).

Steps in the phase "load" run while the big tables' secondary indexes are dropped (PostgreSQL);
steps in the phase "derive" run after the indexes are rebuilt, when they can be queried.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grassroots.core.bulk import BulkWriter


@dataclass
class Context:
    """What every step sees: the scale and seed, the day the country is generated for, the
    bulk writer, a progress printer and what earlier steps left (`tree`, `extra`)."""

    scale: float
    seed: int
    today: dt.date
    now: dt.datetime
    writer: BulkWriter
    progress: Callable[[str], None]
    tree: Any = None
    counts: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def rng(self, *keys: object) -> random.Random:
        """A random generator seeded from the run's seed and `keys`: each step (and each
        province) draws from its own stream, so the output does not depend on batch sizes
        and adding a step does not change what the others generate."""
        return random.Random(":".join([str(self.seed), *map(str, keys)]))


@dataclass(frozen=True)
class GeneratorStep:
    name: str
    order: int
    phase: str
    run: Callable[[Context], None]


STEPS: dict[str, GeneratorStep] = {}


def generator_step(name: str, *, order: int, phase: str = "load"):
    """Register a step of the national generator (see the module docstring)."""
    if phase not in {"load", "derive"}:
        raise ValueError(phase)

    def register(function: Callable[[Context], None]) -> Callable[[Context], None]:
        STEPS[name] = GeneratorStep(name=name, order=order, phase=phase, run=function)
        return function

    return register


def ordered_steps(phase: str) -> list[GeneratorStep]:
    from . import steps  # noqa: F401  (registers the steps)

    return sorted((s for s in STEPS.values() if s.phase == phase), key=lambda s: (s.order, s.name))
