"""Step 90 (after the load): the roll-up counters, rebuilt in bulk from the loaded rows."""

from __future__ import annotations

from ..registry import Context, generator_step


@generator_step("rollups", order=90, phase="derive")
def rebuild_rollups(ctx: Context) -> None:
    try:
        from grassroots.rollups.services import rollup_rebuild
    except ImportError:  # the roll-up app is not installed
        return
    ctx.counts["rollup_rows"] = rollup_rebuild(progress=ctx.progress)
