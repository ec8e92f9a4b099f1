"""Per-stage CPU time of the extraction pipeline (``clasgraph.build.pipeline``) on the corpus reports.

    .venv/bin/python benchmarks/bench_extract.py            # median of 5 runs after a warm-up
    .venv/bin/python benchmarks/bench_extract.py --runs 9 examples/reports/stockport-2014.md

The stages are run the way ``pipeline.extract_document`` runs them: read, segment, organisations
(``build_org_index`` and resolving the front matter's bodies), recommendations + citations (parsing,
assigning responsibility, citations), commissioning (``extract_arrangements``), gaps
(``extract_gaps``) and themes (tagging findings and recommendations, recurring recommendations).
Times are process CPU time (``time.process_time``), so other load on the machine matters less than it
would for wall time. Memoised look-ups of text (``services._find_services``, ``services.norm_token``,
``commissioning._norm``; the organisation index is built anew each run) are cleared before every run, so each run pays what a fresh report would.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("read", "segment", "organisations", "recommendations+citations", "commissioning", "gaps", "themes")


def _clear_caches() -> None:
    """Forget what earlier runs memoised about the text (not the lexicons, loaded once a process)."""
    from clasgraph.build import commissioning, services

    services._find_services.cache_clear()
    for fn in (getattr(services, "norm_token", None), getattr(commissioning, "_norm", None)):
        if hasattr(fn, "cache_clear"):
            fn.cache_clear()


def run_once(path: Path) -> dict[str, float]:
    """Seconds of CPU per stage for one extraction of ``path``."""
    from clasgraph.build import pipeline
    from clasgraph.build.citations import extract_citations
    from clasgraph.build.commissioning import extract_arrangements
    from clasgraph.build.gaps import extract_gaps
    from clasgraph.build.organisations import build_org_index
    from clasgraph.build.read import read_file
    from clasgraph.build.recommendations import parse_recommendations
    from clasgraph.build.segment import segment
    from clasgraph.build.themes import find_recurring, tag_themes

    _clear_caches()
    times: dict[str, float] = {}

    def timed(stage: str, fn: Callable[[], Any]) -> Any:
        t0 = time.process_time()
        out = fn()
        times[stage] = times.get(stage, 0.0) + time.process_time() - t0
        return out

    doc = timed("read", lambda: read_file(path))
    structure = timed("segment", lambda: segment(doc.text))

    def organisations() -> Any:
        orgs = build_org_index(structure)
        for name in structure.meta.ccgs_included + structure.meta.providers_included:
            key = orgs.resolve(name)
            if key:
                orgs.addressed.add(key)
        return orgs

    orgs = timed("organisations", organisations)

    def recommendations() -> tuple[list[Any], Any]:
        groups, recs, _ = parse_recommendations(structure.recommendation_lines)
        pipeline.assign_responsibility(groups, recs, orgs)
        known = {r.number for r in recs}
        return recs, extract_citations(structure.findings, known)

    recs, citations = timed("recommendations+citations", recommendations)
    result = timed("commissioning", lambda: extract_arrangements(structure, orgs))
    timed("gaps", lambda: extract_gaps(structure, citations, orgs, result.arrangements))

    def themes() -> None:
        for f in structure.findings:
            tag_themes(f.text)
        for r in recs:
            tag_themes(r.text)
        find_recurring(recs)

    timed("themes", themes)
    return times


def whole_once(path: Path) -> float:
    """CPU seconds of one ``pipeline.extract_file`` call, caches cleared first."""
    from clasgraph.build.pipeline import extract_file

    _clear_caches()
    t0 = time.process_time()
    extract_file(path)
    return time.process_time() - t0


def bench(paths: list[Path], runs: int) -> str:
    medians: dict[str, dict[str, float]] = {}
    for path in paths:
        run_once(path)  # warm-up: imports, the service lexicon, compiled patterns
        samples = [run_once(path) for _ in range(runs)]
        medians[path.name] = {s: statistics.median(t[s] for t in samples) for s in STAGES}
        medians[path.name]["sum of stages"] = sum(medians[path.name][s] for s in STAGES)
        medians[path.name]["extract_file"] = statistics.median(whole_once(path) for _ in range(runs))
    names = list(medians)
    width = max(len(s) for s in (*STAGES, "sum of stages", "extract_file"))
    lines = [f"{'stage (ms, median of ' + str(runs) + ')':<{width + 12}}" + "".join(f"{n:>26}" for n in names)]
    for stage in (*STAGES, "sum of stages", "extract_file"):
        lines.append(f"{stage:<{width + 12}}" + "".join(f"{medians[n][stage] * 1000:>26.1f}" for n in names))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reports", nargs="*", type=Path, help="reports to time (default: examples/reports/*)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per report (default 5)")
    ap.add_argument("--once", action="store_true",
                    help="extract each report once, in one process, as a build's worker does, and print the mean "
                         "CPU ms a report (repeating a report keeps its compiled patterns in re's cache, which a "
                         "build of distinct reports never has)")
    args = ap.parse_args(argv)
    paths = args.reports or sorted(p for p in (ROOT / "examples" / "reports").iterdir() if p.suffix in (".md", ".txt"))
    if args.once:
        print(f"{len(paths)} reports, each extracted once: {once(paths):.1f} ms CPU a report")
        return 0
    print(bench(paths, args.runs))
    return 0


def once(paths: list[Path]) -> float:
    """Mean CPU ms a report for extracting each of ``paths`` once in this process (after one warm-up
    extraction of the first, which loads the lexicons as a worker's first report does)."""
    from clasgraph.build import pipeline

    pipeline.extract_file(paths[0])
    t0 = time.process_time()
    for p in paths:
        pipeline.extract_file(p)
    return (time.process_time() - t0) / len(paths) * 1000


if __name__ == "__main__":
    raise SystemExit(main())
