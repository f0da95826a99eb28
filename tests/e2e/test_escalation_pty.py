"""End to end in a real pseudo-terminal: frontline starts and escalates, backline finishes.

Frontline (frank, his own store) runs ``ktcli new`` with a partial answers file,
tests the cause interactively, plans the verification, stops at its result and
escalates. Backline (bob, another store) imports the handoff, resumes the session
where frank stopped, records the result, confirms the cause, adds the actions and
closes with the customer's confirmation. The final handoff must hold both
analysts' work and a history that tells the story in order.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ktcli.core.document import parse_analysis
from tests.e2e import pty_env, saved_tests, wait_until
from tests.e2e.test_session_pty import finish

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.pty

KTCLI = str(Path(sys.executable).with_name("ktcli"))
ID = "inc-4711"
TIMEOUT = 20

ANSWERS = """\
business_impact: EU shops lose about 1 in 5 orders at checkout
appraisal:
  concerns:
  - text: EU shoppers wait more than 5 s to place an order
    seriousness: high
    urgency: high
    growth: high
  depth: full
  depth_reason: one region only, no known fix
statement:
  object: Order API
  deviation: answers POST /orders in more than 5 s
specification:
- id: what-object
  is: {text: Order API, source: monitoring}
  is_not: {text: Catalog API on the same hosts, source: monitoring}
- id: what-deviation
  is: {text: p95 above 5 s, source: monitoring}
  is_not: {text: errors or timeouts, source: monitoring}
- id: where-location
  is: {text: EU pool eu-1, source: monitoring}
  is_not: {text: US pool us-1, source: monitoring}
- id: where-on-object
  is: {reason: one endpoint only}
  is_not: {reason: one endpoint only}
- id: when-first
  is: {text: 2026-11-20 14:05 UTC, source: ticket}
  is_not: {text: before 2026-11-20, source: monitoring}
- id: when-pattern
  is: {text: every business hour, source: monitoring}
  is_not: {text: nights, source: monitoring}
- id: when-lifecycle
  is: {reason: "a service, no lifecycle"}
  is_not: {reason: "a service, no lifecycle"}
- id: extent-objects
  is: {text: 3 of 12 EU web servers, source: monitoring}
  is_not: {text: the other 9, source: monitoring}
- id: extent-size
  is: {reason: covered by the deviation}
  is_not: {reason: covered by the deviation}
- id: extent-per-object
  is: {reason: covered by the pattern}
  is_not: {reason: covered by the pattern}
- id: extent-trend
  is: {who: frank, how: ask the customer for the order counts}
  is_not: {reason: follows the IS}
distinctions:
- text: only the 3 affected servers run build 42
  rows: [extent-objects]
changes:
- text: build 42 deployed to 3 EU servers
  when: 2026-11-20 14:00 UTC
causes:
- text: DB connection pool too small in build 42
  origin: change
"""

#: Frank's verdict on c1 for each answered row, in the order the matrix moves: key, note.
TESTS = (
    ("e", "only the Order API writes through the pool"),
    ("e", "waiting for a connection adds latency, not errors"),
    ("o", "build 42 runs only in eu-1"),
    ("e", "build 42 went out at 14:00"),
    ("e", "the pool runs dry only under business-hour load"),
    ("e", "only these 3 servers run build 42"),
)


def env_for(store: Path, analyst: str, now: str) -> dict[str, str]:
    return pty_env(store, analyst=analyst, now=now, columns=160, lines=50)


def spawn(args: list[str], env: dict[str, str], cwd: Path) -> pexpect.spawn:
    return pexpect.spawn(
        KTCLI,
        args,
        env=env,
        cwd=str(cwd),
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(50, 160),
    )


def ktcli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KTCLI, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def answer(child: pexpect.spawn, question: str, keys: str) -> None:
    """Wait for the question, then type. Choices take a shortcut digit and Enter."""
    child.expect_exact(question)
    child.send(keys)


def frontline(tmp_path: Path) -> Path:
    """Frank's session and escalation; returns the YAML handoff."""
    env = env_for(tmp_path / "front", "frank", "2026-11-24T09:00:00Z")
    (tmp_path / "answers.yaml").write_text(ANSWERS, encoding="utf-8")
    child = spawn(
        ["new", "--title", "Checkout slow", "--ticket", "INC-4711", "--answers", "answers.yaml"],
        env,
        tmp_path,
    )
    # The answers file holds the appraisal and the specification: the session offers
    # the playbook's evidence (Enter: none applies), then tests the cause against each row.
    answer(child, "Which of the playbook's evidence applies here?", "\r")
    # One matrix screen: a verdict key and its note per cell, the cursor moving on by itself.
    child.expect_exact("0/6 tested")
    saved = tmp_path / "front" / f"{ID}.yaml"
    for n, (key, note) in enumerate(TESTS, 1):
        child.send(key + note + "\r")
        # Each verdict is on disk as soon as its note is entered.
        wait_until(lambda n=n: len(saved_tests(saved)) == n)
    child.send("\r")
    answer(
        child,
        "How will you check this assumption?",
        "list the build on every host with the deploy tool\r",
    )
    child.expect_exact("What did it show?")
    # Frontline has reached the edge of what it can check: save and quit.
    child.sendcontrol("d")
    child.expect_exact(f"ktcli resume {ID}")
    assert finish(child) == 0

    child = spawn(
        ["escalate", ID, "--to", "DB team", "--reason", "pool sizing needs a DBA", "-o", "out"],
        env,
        tmp_path,
    )
    child.expect_exact("backline may have to ask the customer again")
    child.expect_exact("EXTENT: trend IS: need more data")
    child.expect_exact("c1 explains where-location only if: build 42 runs only in eu-1")
    child.expect_exact("Hand off now?")
    child.send("\r")  # the first choice: hand off anyway
    child.expect_exact("escalated to DB team")
    assert finish(child) == 0
    return tmp_path / "out" / f"{ID}.yaml"


def backline(tmp_path: Path, handoff: Path) -> dict[str, str]:
    """Bob imports, resumes, verifies, confirms, acts and closes; returns his environment."""
    env = env_for(tmp_path / "back", "bob", "2026-11-24T11:00:00Z")
    res = ktcli(["import", str(handoff)], env, tmp_path)
    assert (res.returncode, res.stdout) == (0, f"{ID}\n"), res.stderr

    child = spawn(["resume", ID], env, tmp_path)
    # The session goes on exactly where frank stopped.
    child.expect_exact("Method: list the build on every host with the deploy tool")
    answer(child, "What did it show?", "build 42 runs on exactly the 3 affected eu-1 hosts\r")
    answer(child, "Did it confirm the cause?", "1\r")
    answer(child, "Record c1 as the true cause?", "y\r")  # every answer ends with Enter
    answer(child, "What restores service now", "route EU checkout through the US pool\r")
    answer(child, "What removes the true cause?", "raise the pool size in build 43\r")
    answer(child, "What stops it coming back", "load test every build with EU traffic\r")
    for action in ("Interim action a1", "Corrective action a2", "Preventive action a3"):
        child.expect_exact(action)
        answer(child, "Who owns it?", "bob\r")
    child.expect_exact("Export the handoff now?")
    child.send("3\r")  # not now
    child.expect_exact("every question answered and saved")
    assert finish(child) == 0

    # The fix ships in build 43, tracked in its own ticket: close says where (issue 11).
    child = spawn(["close", ID, "--fix-tracked-in", "PRB-77"], env, tmp_path)
    child.expect_exact("What did the customer confirm")
    child.sendline("Jo at Acme: checkout under 1 s since build 43")
    child.expect_exact(f"{ID}: closed")
    assert finish(child) == 0
    return env


def test_frontline_escalates_backline_verifies_and_closes(tmp_path: Path) -> None:
    handoff = frontline(tmp_path)
    frank = parse_analysis(handoff.read_text(encoding="utf-8"), str(handoff))
    assert frank.status == "escalated"
    assert (tmp_path / "out" / f"{ID}.md").read_text().count("What backline may still") == 1

    env = backline(tmp_path, handoff)
    final_yaml = ktcli(["export", ID, "--format", "yaml"], env, tmp_path)
    final_md = ktcli(["export", ID, "--format", "markdown"], env, tmp_path)
    assert final_yaml.returncode == final_md.returncode == 0
    a = parse_analysis(final_yaml.stdout, "final")

    # Both analysts' work is there, each under their own name.
    assert a.analysts == ["frank", "bob"]
    assert a.status == "closed"
    (esc,) = a.escalations
    assert (esc.by, esc.to) == ("frank", "DB team")
    assert any("extent-trend" in m for m in esc.missing)
    c1 = a.cause("c1")
    assert c1 is not None
    assert c1.tests["where-location"].note == "build 42 runs only in eu-1"
    (v1,) = a.verifications
    assert (v1.method, v1.status, v1.by) == (
        "list the build on every host with the deploy tool",
        "confirmed",
        "bob",
    )
    assert v1.result == "build 42 runs on exactly the 3 affected eu-1 hosts"
    assert a.true_cause is not None
    assert (a.true_cause.cause, a.true_cause.confirmed_by) == ("c1", "bob")
    assert [(x.kind, x.text) for x in a.actions] == [
        ("interim", "route EU checkout through the US pool"),
        ("corrective", "raise the pool size in build 43"),
        ("preventive", "load test every build with EU traffic"),
    ]
    assert a.closure is not None
    assert (a.closure.by, a.closure.forced) == ("bob", False)
    assert a.closure.customer_confirmation == "Jo at Acme: checkout under 1 s since build 43"

    # The history tells the story in order: frank's session, his escalation, then bob.
    who = [h.who for h in a.history]
    escalated = next(i for i, h in enumerate(a.history) if h.what.startswith("escalated to"))
    assert set(who[: escalated + 1]) == {"frank"}
    assert set(who[escalated + 1 :]) == {"bob"}
    story = [h.what for h in a.history]
    marks = [
        "started from the answers in answers.yaml",
        "tested c1 against where-location",
        "planned verification v1 of c1",
        "escalated to DB team: pool sizing needs a DBA",
        "verification v1 result",
        "verification v1: confirmed",
        "confirmed c1 as the true cause",
        "closed; the customer confirmed: Jo at Acme",
    ]
    missing = [m for m in marks if not any(m in w for w in story)]
    assert not missing, (missing, story)
    found = [next(i for i, w in enumerate(story) if mark in w) for mark in marks]
    assert found == sorted(found), list(zip(marks, found, strict=True))
    assert [h.at for h in a.history] == sorted(h.at for h in a.history)

    # The Markdown handoff names both, and nothing flags the close.
    assert "| frank |" in final_md.stdout
    assert "| bob |" in final_md.stdout
    gates = ktcli(["check", ID], env, tmp_path)
    assert "✗ KT107" not in gates.stdout
    assert "✗ KT108" not in gates.stdout
