"""clasgraph: CQC CLAS inspection reports as a knowledge graph.

The sub-packages ``clasgraph.build`` (extraction), ``clasgraph.graph`` (assembly, store, queries,
analysis, rendering) and the module ``clasgraph.cli`` live at the top level of the source checkout.
In a checkout this package's ``__path__`` also covers that top level; in an installed wheel they
are copied under ``clasgraph/``. Nothing named ``build`` or ``graph`` is ever importable at the
top level, so PyPA's ``build`` and other distributions are never shadowed.
"""

from __future__ import annotations

from pathlib import Path as _Path

__version__ = "0.1.0"

_here = _Path(__file__).resolve().parent
_checkout = _here.parent
if (_checkout / "pyproject.toml").is_file() and (_checkout / "build" / "__init__.py").is_file():
    __path__.append(str(_checkout))  # type: ignore[name-defined]  # noqa: F821

__all__ = ["__version__", "open_graph", "run_query"]


def __getattr__(name: str):  # lazy: importing clasgraph (and so the CLI) must stay cheap
    if name in ("open_graph", "run_query"):
        from .graph import api

        return getattr(api, name)
    raise AttributeError(name)
