"""Finding report files: the paths a user gives (files and directories) -> the report files to build.

Directories are searched recursively, in a stable (sorted) order. Only report formats are taken
(.txt .md .pdf .html .htm .docx); hidden files and folders, editor and Office lock files
("~$report.docx", "report.txt~"), and project files that are not reports (README, LICENSE, CHANGELOG...)
are skipped. Symbolic links to folders are not followed (no loops). A file named on the command line is
always taken if its format is supported; an unsupported one is an error, as is a path that does not exist
or a directory holding no reports. Each problem is one line naming the path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".html", ".htm", ".docx")
NOT_REPORTS = frozenset({"readme", "license", "licence", "changelog", "changes", "contributing", "authors",
                         "notice", "copying", "todo", "history", "code_of_conduct", "security", "requirements",
                         })
SKIP_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv", ".venv", "env"})


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)  # report files, in order, each once
    errors: list[str] = field(default_factory=list)  # one line per path that gave nothing
    skipped: list[Path] = field(default_factory=list)  # files in directories that are not reports


def _skippable(p: Path) -> bool:
    name = p.name
    if name.startswith((".", "~$", "~", "#")) or name.endswith(("~", ".tmp", ".part", ".crdownload")):
        return True
    return p.stem.lower() in NOT_REPORTS


def discover(paths: list[Path]) -> Discovery:
    """Report files under ``paths``; see the module docstring for what is skipped and what is an error."""
    out = Discovery()
    seen: set[Path] = set()

    def take(p: Path) -> None:
        try:
            real = p.resolve()
        except OSError:
            real = p.absolute()
        if real not in seen:
            seen.add(real)
            out.files.append(p)

    for p in paths:
        if p.is_dir():
            found = 0
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
                for name in sorted(files):
                    f = Path(root) / name
                    if f.suffix.lower() not in REPORT_SUFFIXES:
                        continue
                    if _skippable(f) or not f.is_file():
                        out.skipped.append(f)
                        continue
                    take(f)
                    found += 1
            if not found:
                kinds = " ".join(REPORT_SUFFIXES)
                out.errors.append(f"{p}: no reports found in this directory (looked for {kinds})")
        elif p.is_file():
            if p.suffix.lower() not in REPORT_SUFFIXES:
                suffix = p.suffix or "(none)"
                out.errors.append(f"{p}: unsupported file type {suffix} (supported: {' '.join(REPORT_SUFFIXES)})")
                continue
            take(p)
        elif p.exists():
            out.errors.append(f"{p}: not a regular file or directory")
        else:
            out.errors.append(f"{p}: no such file or directory")
    return out
