"""Dump a canonical JSON of what the extraction pipeline produces for a fixed set of report texts, so a
change meant only to make extraction faster can be shown to leave its output byte-identical.

    .venv/bin/python benchmarks/extraction_equivalence.py --out /tmp/extraction-baseline.json
    # ... change the code ...
    .venv/bin/python benchmarks/extraction_equivalence.py --compare /tmp/extraction-baseline.json

The texts: the bundled corpus reports (examples/reports/), the variants the accuracy tests build
with tests/variants.py (every body and place renamed with seeds 1-3, Markdown laid out as PDF text
and PDF text as Markdown, renamed and relaid, relaid there and back through a narrower page) and a
few synthetic reports recombined from the corpus (benchmarks/synth_reports.py). For each text the
dump holds every arrangement, transfer and gap (all fields), the themes, the recurring groups, the
organisations (the commissioning stage registers providers) and the warnings.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import hashlib
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPORTS = ROOT / "examples" / "reports"
GOLD = ROOT / "tests" / "data"
SYNTHETIC = 4  # synthetic reports recombined from the corpus


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def texts() -> Iterator[tuple[str, str, str]]:
    """(label, text, format) of every text in the set, in a fixed order."""
    variants = _load("clasgraph_bench_variants", ROOT / "tests" / "variants.py")
    for path in sorted(REPORTS.iterdir()):
        if path.suffix not in (".md", ".txt"):
            continue
        text = path.read_text(encoding="utf-8")
        gold = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))
        fmt = "markdown" if path.suffix == ".md" else "text"
        other = "text" if fmt == "markdown" else "markdown"

        def relaid(t: str, g: dict[str, Any], seed: int = 0, fmt: str = fmt) -> tuple[str, dict[str, Any]]:
            if fmt == "markdown":
                return variants.md_to_pdf_text(t, g, seed=seed)
            return variants.pdf_text_to_md(t, g, seed=seed)

        def there_and_back(t: str, g: dict[str, Any], fmt: str = fmt) -> tuple[str, dict[str, Any]]:
            if fmt == "markdown":
                t2, g2 = variants.md_to_pdf_text(t, g, seed=4, width=70, page_lines=30)
                return variants.pdf_text_to_md(t2, g2, seed=4)
            t2, g2 = variants.pdf_text_to_md(t, g, seed=4)
            return variants.md_to_pdf_text(t2, g2, seed=4, width=70, page_lines=30)

        yield f"{path.stem}/original", text, fmt
        for seed in (1, 2, 3):
            yield f"{path.stem}/renamed-{seed}", variants.rename(text, gold, seed)[0], fmt
        yield f"{path.stem}/relaid", relaid(text, gold)[0], other
        t3, g3 = variants.rename(text, gold, 3)
        yield f"{path.stem}/renamed-3+relaid", relaid(t3, g3, seed=3)[0], other
        yield f"{path.stem}/relaid-twice-narrow", there_and_back(text, gold)[0], fmt
    synth = _load("clasgraph_bench_synth", HERE / "synth_reports.py")
    sources = synth._source_texts()
    for i in range(SYNTHETIC):
        yield f"synthetic/{i}", synth.synth_text(sources, i)[1], "text"


def _plain(obj: Any) -> Any:
    """JSON-ready form with a stable order: dataclasses as dicts, sets sorted."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted(_plain(v) for v in obj)
    return obj


def dump_one(text: str, label: str, fmt: str) -> dict[str, Any]:
    from clasgraph.build.pipeline import extract_text

    suffix = ".md" if fmt == "markdown" else ".txt"
    ex = extract_text(text, source=label.replace("/", "-") + suffix, fmt=fmt)
    return {
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "arrangements": _plain(ex.arrangements),
        "transfers": _plain(ex.transfers),
        "gaps": _plain(ex.gaps),
        "themes": _plain(ex.themes),
        "recurring": _plain(ex.recurring),
        "organisations": _plain(ex.organisations),
        "warnings": list(ex.warnings),
    }


def dump(progress: Callable[[str], None] | None = None) -> str:
    out: dict[str, Any] = {}
    for label, text, fmt in texts():
        if progress:
            progress(label)
        out[label] = dump_one(text, label, fmt)
    return json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the dump here")
    group.add_argument("--compare", type=Path, help="compare with this earlier dump; exit 1 if they differ")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    progress = None if args.quiet else (lambda label: print(f"  {label}", file=sys.stderr))
    now = dump(progress)
    if args.out:
        args.out.write_text(now, encoding="utf-8")
        print(f"wrote {args.out} ({len(now):,} bytes, sha256 {hashlib.sha256(now.encode()).hexdigest()[:16]})")
        return 0
    before = args.compare.read_text(encoding="utf-8")
    if before == now:
        print(f"identical ({len(now):,} bytes, sha256 {hashlib.sha256(now.encode()).hexdigest()[:16]})")
        return 0
    diff = difflib.unified_diff(before.splitlines(), now.splitlines(), "before", "now", lineterm="", n=2)
    for i, line in enumerate(diff):
        if i >= 200:
            print("... (diff cut at 200 lines)")
            break
        print(line)
    print("DIFFERENT", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
