"""Run every benchmark once at the sizes the README quotes (`make bench`).

Each benchmark prints its own table; this script only runs them one after another with the same
Python. The full 1,000-report runs take several minutes each on a 2-core machine; pass --quick for
the small sizes only.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small corpora only (2 and 100 reports)")
    args = ap.parse_args()
    sizes = "2,100" if args.quick else "2,100,1000"
    runs = [
        ["bench_extract.py"],
        ["bench_build.py", "--count", "100" if args.quick else "1000"],
        ["bench_build.py", "--count", "20" if args.quick else "300", "--format", "pdf"],
        ["bench_query.py", "--sizes", sizes, "--skip-rdflib-above", "100"],
        ["bench_render.py", "--sizes", sizes],
    ]
    failed = 0
    for run in runs:
        script = HERE / run[0]
        if not script.exists():
            print(f"== {run[0]}: not present, skipped", flush=True)
            continue
        print(f"== {' '.join(run)}", flush=True)
        failed += subprocess.call([sys.executable, str(script), *run[1:]]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
