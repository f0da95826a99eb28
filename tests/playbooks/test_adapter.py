"""Playbooks in the guided session: rows, hints, known causes, evidence, terms, traceability."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from ktcli.core.analysis import new_analysis
from ktcli.core.model import Analysis
from ktcli.errors import NotFoundError, UsageError
from ktcli.playbooks.adapter import attach, for_session, guide
from ktcli.playbooks.discovery import builtin_dir, discover
from ktcli.playbooks.files import Source
from ktcli.playbooks.hashing import content_hash, make_ref
from ktcli.session.engine import run
from ktcli.session.guide import NO_GUIDE
from ktcli.session.questions import Command, Question
from ktcli.session.testing import ScriptedPrompter
from tests.conftest import Run

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
BUILTINS = discover([Source("builtin", builtin_dir())])


def fresh(depth: str = "full") -> Analysis:
    a = new_analysis("inc-1", "Checkout slow", who="ana", now=NOW)
    a.appraisal.depth = depth  # type: ignore[assignment]
    return a


def auto(picks: tuple[str, ...]) -> Any:
    def answer(question: Question) -> Any:
        if question.kind == "cell":
            return Command.NOT_APPLICABLE
        if question.kind == "confirm":
            return False
        if question.kind == "checkbox":
            return picks
        if question.kind == "choice":
            return question.default or question.choices[0].value
        if question.suggested:
            return ""  # Enter takes the suggestion
        return "n/a" if question.required else ""

    return answer


def test_guide_carries_rows_extra_rows_causes_evidence_and_terms() -> None:
    pb = BUILTINS.merged("web-latency")
    g = guide(pb)
    assert g.id == "web-latency"
    where = g.row_guide("where-location")
    assert where is not None
    assert where.question is None  # ktcli's own question stays; the playbook adds to it
    assert "a good IS NOT here: The same request sent from inside the network" in (where.hint or "")
    deviation = g.row_guide("what-deviation")
    assert deviation is not None
    assert "also ask: Is it slowness" in (deviation.hint or "")
    assert [r.id for r in g.extra_rows] == ["web-endpoint"]
    endpoint = g.row_guide("web-endpoint")
    assert endpoint is not None
    assert "ask for: URL, method, time" in (endpoint.hint or "")
    assert [c.id for c in g.causes] == [c.id for c in pb.causes]
    assert "Three thread dumps about ten seconds apart, while it is slow (before any restart)" in [
        e.text for e in g.evidence
    ]
    assert "spinning" in g.terms.vague
    assert "slow" in g.terms.vague  # ktcli's own terms stay


def test_session_shows_playbook_hints_rows_causes_and_probes() -> None:
    pb = BUILTINS.merged("web-latency")
    a = fresh()
    attach(a, pb)
    answers = {
        "spec.where-location.is": "the page keeps spinning",
        "spec.where-location.is.refine": "",
    }
    prompter = ScriptedPrompter(answers, fallback=auto(("pool-exhaustion", "gc-pauses")))
    run(a, prompter, lambda _: None, who="ana", clock=lambda: NOW, guide=guide(pb))
    asked = {q.id: q for q in prompter.asked}
    assert "a good IS NOT here" in asked["spec.where-location.is_not"].hint
    assert "collect: Three thread dumps" in asked["spec.where-on-object.is"].hint
    assert "spec.web-endpoint.is" in asked
    row = a.row("web-endpoint")
    assert row is not None
    assert row.origin == "web-latency"
    offered = asked["cause.playbook"]
    assert [c.value for c in offered.choices] == [c.id for c in pb.causes]
    from_pb = [(c.origin, c.origin_ref, c.text) for c in a.causes if c.origin == "playbook"]
    assert from_pb == [
        ("playbook", "web-latency/pool-exhaustion", pb.causes[0].text),
        ("playbook", "web-latency/gc-pauses", pb.causes[2].text),
    ]
    assert ("spinning", "vague") in [(p.term, p.kind) for p in a.pitfalls]
    plan = next(q for q in prompter.asked if q.id.startswith("verify.") and q.kind == "text")
    target = a.cause(plan.id.split(".")[1])
    assert target is not None
    assert target.origin_ref is not None
    known = next(c for c in pb.causes if target.origin_ref == f"web-latency/{c.id}")
    assert plan.hint == f"the playbook says: {known.confirm}"


def test_attach_records_the_ref_and_imposes_no_evidence() -> None:
    pb = BUILTINS.merged("postgresql")
    a = fresh()
    attach(a, pb)
    assert a.playbook == make_ref(pb)
    assert a.playbook is not None
    assert a.playbook.sha256 == content_hash(pb)
    assert a.data_requests == []  # issue 11: offered in the session, not imposed


def test_the_session_offers_the_evidence_and_records_what_was_ticked() -> None:
    from ktcli.session.catalogue import evidence

    pb = BUILTINS.merged("postgresql")
    a = fresh()
    attach(a, pb)
    g = guide(pb)
    (offer,) = list(evidence.iter_items(a, g))
    assert [c.value for c in offer.question.choices] == [e.id for e in pb.evidence]
    prompter = ScriptedPrompter({"evidence.offer": [["pg-activity"]]}, fallback=auto(()))
    run(a, prompter, lambda _: None, who="ana", clock=lambda: NOW, guide=g)
    assert prompter.ids.count("evidence.offer") == 1
    req = next(d for d in a.data_requests if d.id == "pg-activity")
    assert req.what.startswith("A snapshot of pg_stat_activity")
    assert "$ " not in req.what, "commands are kept apart from what the customer reads"
    assert req.commands
    assert req.commands[0].startswith("psql -X -c")
    assert (req.requested_from, req.row, req.dismissed, req.outstanding) == (
        "analyst",
        "where-on-object",
        None,
        True,
    )
    others = [d for d in a.data_requests if d.id != "pg-activity"]
    assert len(others) == len(pb.evidence) - 1
    assert all(d.dismissed == evidence.NOT_TICKED and not d.outstanding for d in others)
    assert list(evidence.iter_items(a, g)) == []  # offered once


def test_new_session_defaults_to_generic() -> None:
    a = fresh()
    g, warnings = for_session(a, None, BUILTINS)
    assert (g.id, warnings) == ("generic", [])
    assert a.playbook is not None
    assert a.playbook.id == "generic"


def test_new_session_with_an_unknown_playbook_fails() -> None:
    with pytest.raises(NotFoundError):
        for_session(fresh(), "nope", BUILTINS)


def test_resume_with_the_same_playbook_is_silent() -> None:
    a = fresh()
    for_session(a, "email-delivery", BUILTINS)
    g, warnings = for_session(a, None, BUILTINS)
    assert (g.id, warnings) == ("email-delivery", [])


def test_resume_after_the_playbook_changed_warns_and_says_what(
    tmp_path: Path,
) -> None:
    a = fresh()
    for_session(a, "auth-sso", BUILTINS)
    old_ref = a.playbook
    assert old_ref is not None
    original = (builtin_dir() / "auth-sso.yaml").read_text()
    changed = (
        _append_evidence(original)
        .replace('version: "1.0.0"', 'version: "1.1.0"')
        .replace("  - id: keytab-kvno\n", "  - id: keytab-kvno-gone\n")
    )
    team = tmp_path / "team"
    team.mkdir()
    (team / "auth-sso.yaml").write_text(changed)  # the team overrides the built-in
    catalog = discover([Source("builtin", builtin_dir()), Source("team", team)])
    g, warnings = for_session(a, None, catalog, who="bo", now=NOW)
    assert g.id == "auth-sso"
    assert len(warnings) == 1
    warning = warnings[0]
    assert warning.startswith(
        f"playbook 'auth-sso' changed since this analysis used it (sha256 {old_ref.sha256[:12]}, now "
    )
    for part in (
        "version 1.0.0 is now 1.1.0",
        "known cause 'keytab-kvno' was removed",
        "known cause 'keytab-kvno-gone' was added",
        "evidence 'new-evidence' was added",
    ):
        assert part in warning
    assert a.playbook is not None
    assert a.playbook.version == "1.1.0"
    assert a.history[-1].what == warning
    assert a.history[-1].who == "bo"
    # The new item is offered by the session, never added behind the analyst's back.
    assert "new-evidence" in {e.id for e in g.evidence}
    assert "new-evidence" not in {d.id for d in a.data_requests}
    # Now up to date: the next resume is silent.
    assert for_session(a, None, catalog)[1] == []


def _append_evidence(text: str) -> str:
    """Add an evidence item at the end of the evidence list (it comes just before causes)."""
    marker = "\ncauses:\n"
    addition = "  - id: new-evidence\n    what: Something new\n    why: Because\n"
    head, tail = text.split(marker, 1)
    return head.rstrip("\n") + "\n" + addition + marker + tail


def test_resume_when_the_playbook_is_gone_goes_on_without_it() -> None:
    a = fresh()
    for_session(a, "generic", BUILTINS)
    empty = discover([])
    g, warnings = for_session(a, None, empty)
    assert g is NO_GUIDE
    assert warnings == [
        "playbook 'generic' (version 1.0.0) is not available here; continuing without it"
    ]
    assert a.playbook is not None  # the record stays


def test_resume_with_another_playbook_is_refused() -> None:
    a = fresh()
    for_session(a, "generic", BUILTINS)
    with pytest.raises(UsageError, match="was started with playbook 'generic', not 'auth-sso'"):
        for_session(a, "auth-sso", BUILTINS)


def test_handoff_shows_the_playbook() -> None:
    from ktcli.handoff.export import render

    a = fresh()
    for_session(a, "network-connectivity", BUILTINS)
    assert a.playbook is not None
    markdown = render(a, "markdown")
    assert "network-connectivity" in markdown
    assert a.playbook.sha256 in markdown
    yaml_text = render(a, "yaml")
    assert f"sha256: {a.playbook.sha256}" in yaml_text


# -- through the command line --------------------------------------------------------------------


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The team playbook directory of a git repository that is the working directory."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    d = tmp_path / "repo" / ".ktcli" / "playbooks"
    d.mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "repo")
    return d


def _stored(store_dir: Path, analysis_id: str) -> Analysis:
    from ktcli.core.document import parse_analysis

    path = store_dir / f"{analysis_id}.yaml"
    return parse_analysis(path.read_text(), str(path))


def test_new_records_the_playbook_and_imposes_no_evidence(
    ktcli: Run, store_dir: Path, team: Path
) -> None:
    res = ktcli("new", "--title", "DB slow", "--id", "db1", "--playbook", "postgresql")
    assert res.code == 1  # no terminal: saved, and the missing answers are listed
    a = _stored(store_dir, "db1")
    assert a.playbook == make_ref(BUILTINS.merged("postgresql"))
    assert a.data_requests == []
    assert "Still to answer" in res.err
    assert "playbook's evidence" not in res.err  # an offer, not a missing answer


def test_new_without_a_playbook_uses_generic(ktcli: Run, store_dir: Path, team: Path) -> None:
    ktcli("new", "--title", "Something", "--id", "g1")
    a = _stored(store_dir, "g1")
    assert a.playbook is not None
    assert a.playbook.id == "generic"


def test_new_with_an_unknown_playbook_saves_nothing(
    ktcli: Run, store_dir: Path, team: Path
) -> None:
    res = ktcli("new", "--title", "X", "--id", "x1", "--playbook", "nope")
    assert res.code == 1
    assert "error: no playbook with id 'nope'" in res.err
    assert not (store_dir / "x1.yaml").exists()


def test_resume_after_a_team_change_warns_and_records_it(
    ktcli: Run, store_dir: Path, team: Path
) -> None:
    ktcli("new", "--title", "Mail bounces", "--id", "m1", "--playbook", "email-delivery")
    before = _stored(store_dir, "m1").playbook
    assert before is not None
    text = (builtin_dir() / "email-delivery.yaml").read_text()
    (team / "email-delivery.yaml").write_text(
        text.replace('version: "1.0.0"', 'version: "2.0.0"').replace(
            "  - id: greylisting\n", "  - id: greylisting-2\n"
        )
    )
    res = ktcli("resume", "m1")
    assert res.code == 1  # still no terminal
    warning = " ".join(res.err.split())
    assert (
        f"warning: playbook 'email-delivery' changed since this analysis used it "
        f"(sha256 {before.sha256[:12]}, now "
    ) in warning
    assert (
        "version 1.0.0 is now 2.0.0; known cause 'greylisting' was removed; "
        "known cause 'greylisting-2' was added"
    ) in warning
    after = _stored(store_dir, "m1")
    assert after.playbook is not None
    assert after.playbook.version == "2.0.0"
    assert after.history[-1].what.startswith("playbook 'email-delivery' changed")
    again = ktcli("resume", "m1")
    assert "warning: playbook" not in again.err


def test_each_hint_line_is_shown_once_on_the_side_it_is_for() -> None:
    pb = BUILTINS.merged("web-latency")
    a = fresh()
    attach(a, pb)
    prompter = ScriptedPrompter({}, fallback=auto(("pool-exhaustion",)))
    run(a, prompter, lambda _: None, who="ana", clock=lambda: NOW, guide=guide(pb))
    asked = {q.id: q for q in prompter.asked}
    for row in ("where-location", "where-on-object", "web-endpoint"):
        is_hint = asked[f"spec.{row}.is"].hint
        not_hint = asked[f"spec.{row}.is_not"].hint
        assert "a good IS NOT here" not in is_hint
        assert "also ask" not in not_hint
        assert "collect:" not in not_hint
        assert not set(is_hint.splitlines()) & set(not_hint.splitlines()), row
    # A playbook's own row: its IS NOT is a question of its own, not the IS again.
    added_is = asked["spec.web-endpoint.is"].text.removeprefix("IS - ")
    added_not = asked["spec.web-endpoint.is_not"].text.removeprefix("IS NOT - ")
    assert added_is not in added_not
