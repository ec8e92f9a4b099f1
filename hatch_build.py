"""Build hook: put the top-level source folders under ``clasgraph/`` in a standard wheel only.

The checkout keeps ``build/``, ``graph/``, ``ontology/`` and ``cli.py`` at the top level (the
project's fixed layout). A wheel must never install them as top-level packages (PyPA's ``build`` is
one), so they are copied under ``clasgraph/``. Editable installs map only ``clasgraph`` (exact dev
mode) and ``clasgraph/__init__.py`` extends its ``__path__`` to the checkout, so no copy is made.
"""

from __future__ import annotations

from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

FOLDERS = {"build": "clasgraph/build", "graph": "clasgraph/graph", "ontology": "clasgraph/ontology",
           "cli.py": "clasgraph/cli.py"}


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name == "wheel" and version == "standard":
            build_data["force_include"].update(FOLDERS)
