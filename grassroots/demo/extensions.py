"""The demo data of the apps above targets: each may offer `<app>/demo.py` with

    def load_demo(*, log: Callable[[str], None]) -> str

which creates its demo rows through its own services (after the tree, the members, the
committees and the targets are loaded) and returns one line for the command's summary. They run
in the order of INSTALLED_APPS, inside the demo's one transaction.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from django.apps import apps

BUILT_IN = {"grassroots.core", "grassroots.demo"}


def demo_loaders() -> list[Callable[..., str]]:
    """The `load_demo` of every installed app that has a `demo` module, in INSTALLED_APPS order."""
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("grassroots.") or config.name in BUILT_IN:
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name == f"{config.name}.demo":
                continue
            raise
        loader = getattr(module, "load_demo", None)
        if loader is not None:
            loaders.append(loader)
    return loaders
