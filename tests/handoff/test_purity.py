"""The handoff rules are pure: importing them loads no CLI library."""

from __future__ import annotations

import subprocess
import sys


def test_the_rules_import_no_cli_libraries() -> None:
    code = (
        "import sys, ktcli.handoff.missing, ktcli.handoff.update, ktcli.handoff.versions, "
        "ktcli.handoff.closing; "
        "print(sorted(m for m in ('typer', 'questionary', 'click') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
