"""A whole analysis built by a shell script, the way a ticket system would drive ktcli.

The script uses only the ids the commands print on stdout and the ``--json``
reads, parsed with ``python -c``: nothing scrapes the text meant for people. A
create command that prints no id yet (before every create command printed its
id) is covered by reading the new id from ``show --json``, so the script works
either way.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = r"""
set -euo pipefail

# A value from the JSON on stdin: the Python expression $1 over it, as d.
j() { "$PY" -c "import json, sys; d = json.load(sys.stdin); print($1)"; }

# The id a create command printed, or else the id of the last item it added.
made() {
    local printed=$1 section=$2
    if [ -n "$printed" ]; then echo "$printed"; return; fi
    ktcli show "$id" --json | j "d['analysis']['$section'][-1]['id']"
}

id=$(ktcli create --title "Checkout slow in eu-1" --ticket INC-4711 \
    --impact "EU shoppers abandon their carts")
ktcli statement "$id" --object "checkout-api order creation" \
    --deviation "answers in more than 5 s"
ktcli fact "$id" what-object "order creation in checkout-api" --source "Grafana"
ktcli fact "$id" what-object "order reads and carts" --side is-not --source "Grafana"
ktcli fact "$id" where-location "region eu-1" --source "Grafana"
ktcli fact "$id" where-location "regions us-1 and ap-1" --side is-not --source "Grafana"
ktcli fact "$id" when-first "2026-11-18 14:10 UTC" --source "alert history"
ktcli fact "$id" when-first "before 14:00 on 18 Nov" --side is-not --source "alert history"

d1=$(made "$(ktcli distinction "$id" "only eu-1 runs release 4.2" --row where-location)" \
    distinctions)
ch=$(made "$(ktcli change "$id" "release 4.2 cut the pool to 5" --when 2026-11-18T14:02Z \
    --distinction "$d1" --row where-location)" changes)

pool=$(ktcli cause "$id" "release 4.2 cut the connection pool to 5" --origin change --ref "$ch")
db=$(ktcli cause "$id" "the database failover of 17 Nov")
cpu=$(ktcli cause "$id" "CPU saturation under campaign traffic")

ktcli test "$id" "$pool" what-object --explains "only order creation takes a connection"
ktcli test "$id" "$pool" where-location --explains "only eu-1 runs 4.2"
ktcli test "$id" "$pool" when-first --only-if "4.2 reached the pods by 14:10"
ktcli test "$id" "$db" what-object --only-if "reads use another instance"
ktcli test "$id" "$db" where-location --explains "the failover was in eu-1"
ktcli test "$id" "$db" when-first --does-not-explain "the failover was 36 hours earlier"
ktcli test "$id" "$cpu" what-object --only-if "order creation is the heaviest route"
ktcli test "$id" "$cpu" where-location --only-if "the campaign ran in the EU only"
ktcli test "$id" "$cpu" when-first --explains "the campaign peaked at 14:00"

# The ranking, read from JSON.
ktcli show "$id" --json > before.json
ranked=$(j "' '.join(r['cause'] for r in d['derived']['ranking'])" < before.json)
best=$(j "d['derived']['most_probable']['cause']" < before.json)
[ "$best" = "$pool" ]
j "d['derived']['remaining_to_verify']" < before.json > /dev/null

v1=$(ktcli verify "$id" "$pool" --checks "the pool size" --method "restore it to 50 in eu-1")
ktcli verify "$id" "$pool" --step "$v1" --result "latency back under 300 ms" --status confirmed
ktcli confirm "$id" "$pool"
a1=$(made "$(ktcli action "$id" corrective "restore the pool to 50" --owner ops)" actions)
ktcli action "$id" --id "$a1" --done

# check --json exits 1 while a gate fails; the gates are in the JSON either way.
if ktcli check "$id" --json > check.json; then passed=yes; else passed=no; fi
[ "$(j "'yes' if d['passed'] else 'no'" < check.json)" = "$passed" ]
ktcli show "$id" --json > after.json
ktcli status "$id" --json > status.json

echo "{\"id\": \"$id\", \"ranked\": \"$ranked\", \"best\": \"$best\", \"v1\": \"$v1\", \
\"a1\": \"$a1\", \"d1\": \"$d1\", \"change\": \"$ch\", \"passed\": \"$passed\"}"
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_a_shell_script_builds_an_analysis_from_ids_and_json(tmp_path: Path) -> None:
    script = tmp_path / "build.sh"
    script.write_text(SCRIPT, encoding="utf-8")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    # `ktcli` on PATH runs this checkout's ktcli with the test's interpreter.
    (bindir / "ktcli").write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -m ktcli "$@"\n', encoding="utf-8"
    )
    (bindir / "ktcli").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PY": sys.executable,
        "PYTHONPATH": str(ROOT / "src"),
    }
    done = subprocess.run(
        ["bash", str(script)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    got = json.loads(done.stdout.splitlines()[-1])
    assert got["id"] == "inc-4711"
    # Explains every fact with one assumption, then with two, then contradicted by a fact.
    assert got["ranked"].split() == ["c1", "c3", "c2"]
    assert got["best"] == "c1"
    assert all(got[key] for key in ("d1", "change", "v1", "a1"))
    before = json.loads((tmp_path / "before.json").read_text(encoding="utf-8"))["derived"]
    assert [r["standing"] for r in before["ranking"]] == [
        "explains_all",
        "explains_all",
        "does_not_explain",
    ]
    assert [len(r["assumptions"]) for r in before["ranking"][:2]] == [1, 2]
    assert before["most_probable"]["true_cause"] is False
    assert before["remaining_to_verify"]
    after = json.loads((tmp_path / "after.json").read_text(encoding="utf-8"))
    assert after["analysis"]["true_cause"]["cause"] == "c1"
    assert after["derived"]["most_probable"]["true_cause"] is True
    assert after["derived"]["remaining_to_verify"] == []
    assert [d["id"] for d in after["analysis"]["distinctions"]] == [got["d1"]]
    assert [(c["id"], c["distinction"]) for c in after["analysis"]["changes"]] == [
        (got["change"], got["d1"])
    ]
    assert [(a["id"], a["status"]) for a in after["analysis"]["actions"]] == [(got["a1"], "done")]
    check = json.loads((tmp_path / "check.json").read_text(encoding="utf-8"))
    assert check["passed"] is (got["passed"] == "yes")
    assert check["passed"] is after["derived"]["gates_passed"]
