"""Importing the CLI module stays cheap: no rdflib, pyoxigraph, networkx or pyvis."""

from __future__ import annotations

import subprocess
import sys


def test_cli_import_pulls_in_no_heavy_modules():
    code = ("import sys, clasgraph.cli; heavy = [m for m in ('rdflib', 'pyoxigraph', 'networkx', 'pyvis', "
            "'pyshacl', 'oxrdflib') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == ""


def test_help_pulls_in_no_heavy_modules():
    code = ("import sys\nfrom clasgraph.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('HEAVY:' + ','.join(m for m in ('rdflib', 'pyoxigraph', 'networkx', 'pyvis') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:"
