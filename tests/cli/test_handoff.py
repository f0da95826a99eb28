"""The handoff commands in-process: escalate, import, diff, update, close, and their refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktcli.cli import handoff as cli_escalation
from ktcli.core.document import parse_analysis, to_yaml
from ktcli.core.model import SCHEMA_VERSION
from ktcli.handoff.export import DERIVED_COMMENT
from tests.conftest import Run

ID = "inc-4711"


_BUILT: dict[bool, str] = {}


def build(ktcli: Run, *, proven: bool = False) -> None:
    """An analysis with a gap or two (need more data, an unverified assumption, a request).

    Built once through the commands, then copied: the clock and analyst are pinned,
    so every build is byte-identical, and the suite stays quick.
    """
    import os

    store = Path(os.environ["KTCLI_HOME"])
    if proven in _BUILT:
        store.mkdir(parents=True, exist_ok=True)
        (store / f"{ID}.yaml").write_text(_BUILT[proven], encoding="utf-8")
        return
    steps: list[tuple[str, ...]] = [
        ("create", "--title", "Checkout slow", "--ticket", "INC-4711", "--impact", "EU orders"),
        ("statement", ID, "-o", "Order API", "-d", "answers in more than 5 s"),
        ("fact", ID, "where-location", "EU hosts", "--source", "monitoring"),
        ("fact", ID, "where-location", "US hosts", "--side", "is-not", "--source", "monitoring"),
        ("need-data", ID, "when-first", "--who", "ana", "--how", "ask the customer"),
        ("cause", ID, "build 42 on the EU hosts"),
        ("cause", ID, "the shared network"),
        ("test", ID, "c1", "where-location", "--only-if", "build 42 runs only in the EU"),
        ("test", ID, "c2", "where-location", "--does-not-explain", "the US shares it"),
        ("request", ID, "slow query log", "--from", "customer DBA"),
    ]
    if proven:
        # Proven means every quality gate passes too: a complete quick pass.
        steps += [
            ("depth", ID, "quick", "--reason", "familiar and urgent"),
            ("fact", ID, "when-first", "Monday 09:05", "--source", "monitoring"),
            ("fact", ID, "when-first", "before Monday", "--side", "is-not", "--source", "monitoring"),
            ("fact", ID, "extent-objects", "all 6 EU hosts", "--source", "monitoring"),
            ("fact", ID, "extent-objects", "US hosts", "--side", "is-not", "--source", "monitoring"),
            ("test", ID, "c1", "when-first", "--explains", "build 42 went out Monday 09:00"),
            ("test", ID, "c1", "extent-objects", "--explains", "all EU hosts run build 42"),
            ("test", ID, "c2", "when-first", "--explains", "the network changed Monday"),
            ("test", ID, "c2", "extent-objects", "--explains", "they share it"),
            ("verify", ID, "c1", "--checks", "deploy log", "--method", "read it",
             "--result", "build 42 only in EU", "--status", "confirmed"),
            ("confirm", ID, "c1"),
            ("action", ID, "interim", "restart the EU pool", "--done"),
            ("action", ID, "corrective", "roll back build 42", "--done"),
        ]  # fmt: skip
    for step in steps:
        res = ktcli(*step)
        assert res.code == 0, (step, res.err)
    _BUILT[proven] = stored(store)


def flat(text: str) -> str:
    """Messages on stderr wrap at 80 columns; compare them as one line."""
    return " ".join(text.split())


def stored(store_dir: Path, analysis_id: str = ID) -> str:
    return (store_dir / f"{analysis_id}.yaml").read_text(encoding="utf-8")


def without_derived(handoff: Path) -> str:
    """A handoff file as the store keeps it: the derived section an export ends with cut off."""
    text = handoff.read_text(encoding="utf-8")
    kept, comment, _ = text.partition(DERIVED_COMMENT)
    assert comment, f"{handoff} has no derived section"
    return kept


# -- escalate ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "why"), [((), "no terminal to ask on"), (("--yes",), "--yes"), (("-y",), "--yes")]
)
def test_escalate_without_a_terminal_hands_off_and_says_what_is_missing(
    ktcli: Run, store_dir: Path, tmp_path: Path, flags: tuple[str, ...], why: str
) -> None:
    build(ktcli)
    out = tmp_path / "handoff"
    res = ktcli(
        "escalate", ID, "--to", "DB team", "--reason", "needs a DBA", "-o", str(out), *flags
    )
    assert res.code == 0, res.err
    assert res.out == f"{out / (ID + '.yaml')}\n{out / (ID + '.md')}\n"
    assert f"handing off anyway ({why})" in flat(res.err)
    assert "need more data (ana: ask the customer)" in flat(res.err)
    assert "slow query log (asked of customer DBA), not received" in flat(res.err)
    handoff = parse_analysis((out / f"{ID}.yaml").read_text(), "handoff")
    assert handoff.status == "escalated"
    (esc,) = handoff.escalations
    assert (esc.by, esc.to, esc.reason) == ("ana", "DB team", "needs a DBA")
    assert esc.at.isoformat() == "2026-11-24T09:00:00+00:00"
    assert any("when-first" in m and "need more data" in m for m in esc.missing)
    assert any("build 42 runs only in the EU" in m for m in esc.missing)
    assert handoff.history[-1].what.startswith("escalated to DB team: needs a DBA (")
    # The store holds exactly what was handed off, less what ktcli derives from it.
    assert stored(store_dir) == without_derived(out / f"{ID}.yaml")
    markdown = (out / f"{ID}.md").read_text()
    assert "## What backline may still have to ask" in markdown
    assert "**Data requested but never received**" in markdown
    assert "(`data_requests.r1`)" in markdown


def test_escalate_with_nothing_missing_says_so(ktcli: Run, tmp_path: Path) -> None:
    build(ktcli, proven=True)
    for row in ("what-object", "what-deviation", "where-on-object", "when-first", "when-pattern",
                "when-lifecycle", "extent-objects", "extent-size", "extent-per-object",
                "extent-trend"):  # fmt: skip
        for side in ("is", "is-not"):
            ktcli("not-applicable", ID, row, "--reason", "n/a here", "--side", side)
    ktcli("request", ID, "--id", "r1", "--received", "nothing unusual")
    res = ktcli("escalate", ID, "--to", "L3", "--reason", "second opinion", "-o", str(tmp_path))
    assert res.code == 0, res.err
    assert "nothing backline would have to ask the customer again" in flat(res.err)
    assert "handing off anyway" not in flat(res.err)
    handoff = parse_analysis((tmp_path / f"{ID}.yaml").read_text(), "h")
    assert handoff.escalations[0].missing == []
    assert "Nothing: every row is answered" in (tmp_path / f"{ID}.md").read_text()


def test_escalate_interactively_can_stop_to_fix_first(
    ktcli: Run, store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(ktcli)
    before = stored(store_dir)
    asked: list[list[str]] = []

    def choose(message: str, choices: list[str]) -> str:
        asked.append(choices)
        return choices[1]

    monkeypatch.setattr(cli_escalation, "_interactive", lambda: True)
    monkeypatch.setattr(cli_escalation, "_select", choose)
    res = ktcli("escalate", ID, "--to", "L3", "--reason", "r", "-o", str(tmp_path / "out"))
    assert res.code == 1
    assert "not escalated; nothing was written" in flat(res.err)
    assert f"ktcli resume {ID}" in flat(res.err)
    assert len(asked) == 1
    assert asked[0][1].startswith("Stop and fix them first")
    assert stored(store_dir) == before
    assert not (tmp_path / "out").exists()


def test_escalate_interactively_can_hand_off_anyway(
    ktcli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(ktcli)
    monkeypatch.setattr(cli_escalation, "_interactive", lambda: True)
    monkeypatch.setattr(cli_escalation, "_select", lambda message, choices: choices[0])
    res = ktcli("escalate", ID, "--to", "L3", "--reason", "r", "-o", str(tmp_path))
    assert res.code == 0, res.err
    assert (tmp_path / f"{ID}.md").is_file()


def test_escalate_with_yes_never_asks(
    ktcli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(ktcli)
    monkeypatch.setattr(cli_escalation, "_interactive", lambda: True)

    def fail(*_: object) -> str:
        raise AssertionError("asked despite --yes")

    monkeypatch.setattr(cli_escalation, "_select", fail)
    res = ktcli("escalate", ID, "--to", "L3", "--reason", "r", "--yes", "-o", str(tmp_path))
    assert res.code == 0, res.err


def test_escalate_twice_keeps_both_handoffs(ktcli: Run, tmp_path: Path) -> None:
    build(ktcli)
    ktcli("escalate", ID, "--to", "L2", "--reason", "first", "-o", str(tmp_path))
    res = ktcli("--analyst", "bob", "escalate", ID, "--to", "vendor", "--reason", "bug?",
                "-o", str(tmp_path))  # fmt: skip
    assert res.code == 0, res.err
    handoff = parse_analysis((tmp_path / f"{ID}.yaml").read_text(), "h")
    assert [(e.by, e.to) for e in handoff.escalations] == [("ana", "L2"), ("bob", "vendor")]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("escalate", "nope", "--to", "L3", "--reason", "r"), 1, "no analysis 'nope'"),
        (("escalate", ID, "--reason", "r"), 2, "--to"),
        (("escalate", ID, "--to", "L3"), 2, "--reason"),
    ],
)
def test_escalate_refusals(ktcli: Run, args: tuple[str, ...], code: int, message: str) -> None:
    build(ktcli)
    res = ktcli(*args)
    assert res.code == code
    assert message in flat(res.err)
    assert "Traceback" not in flat(res.err)


def test_escalate_refuses_a_closed_analysis(ktcli: Run, tmp_path: Path) -> None:
    build(ktcli)
    ktcli("close", ID, "--force", "--reason", "withdrawn")
    res = ktcli("escalate", ID, "--to", "L3", "--reason", "r", "-o", str(tmp_path))
    assert res.code == 1  # the command line is right; the closed analysis refuses
    assert "is closed" in flat(res.err)
    assert not (tmp_path / f"{ID}.yaml").exists()


# -- import ------------------------------------------------------------------------------------


@pytest.fixture
def handoff(ktcli: Run, tmp_path: Path) -> Path:
    """Frontline's escalated handoff, as a file."""
    build(ktcli)
    res = ktcli("escalate", ID, "--to", "L3", "--reason", "r", "-o", str(tmp_path / "h"))
    assert res.code == 0, res.err
    return tmp_path / "h" / f"{ID}.yaml"


def test_import_new_then_same(ktcli: Run, store_dir: Path, handoff: Path) -> None:
    (store_dir / f"{ID}.yaml").unlink()
    res = ktcli("import", str(handoff))
    assert (res.code, res.out) == (0, f"{ID}\n")
    assert f"imported {ID}" in flat(res.err)
    assert stored(store_dir) == without_derived(handoff)
    res = ktcli("import", str(handoff))
    assert (res.code, res.out) == (0, f"{ID}\n")
    assert "already up to date" in flat(res.err)


def test_import_stores_a_yaml_handoff_as_read_and_anything_else_as_ktcli_writes_it(
    ktcli: Run, store_dir: Path, handoff: Path
) -> None:
    from ktcli.core.document import parse_analysis

    (store_dir / f"{ID}.yaml").unlink()
    # Valid, but not what ktcli emits: a comment and a quoted title.
    text = handoff.read_text()
    commented = handoff.with_name("commented.yaml")
    commented.write_text(text.replace("\nid: ", "\n# from frontline\nid: ", 1))
    assert ktcli("import", str(commented)).code == 0
    # As read, but for the derived section of the export, which the store never holds.
    assert stored(store_dir) == commented.read_text().split(DERIVED_COMMENT)[0]
    assert ktcli("show", ID).code == 0  # it loads: it was validated, and is again
    # JSON, and a copy under another id, are emitted as ktcli writes a store file.
    as_json = handoff.with_name("h.json")
    assert ktcli("export", ID, "-f", "json", "-o", str(as_json)).code == 0
    assert ktcli("import", str(as_json), "--as", "copy").code == 0
    copy = (store_dir / "copy.yaml").read_text()
    assert copy.startswith(f"---\nschema_version: {SCHEMA_VERSION}\nid: copy\n")
    assert parse_analysis(copy, "copy.yaml").title == parse_analysis(text, "h").title


def test_an_exported_handoff_is_stored_without_its_derived_section(
    ktcli: Run, store_dir: Path, handoff: Path, tmp_path: Path
) -> None:
    before = stored(store_dir)
    exported = tmp_path / "export.yaml"
    assert ktcli("export", ID, "-o", str(exported)).code == 0
    assert "\nderived:\n" in exported.read_text()
    (store_dir / f"{ID}.yaml").unlink()
    assert ktcli("import", str(exported)).code == 0
    assert stored(store_dir) == before


def test_only_a_derived_section_that_ends_the_file_is_cut() -> None:
    from ktcli import yamlio
    from ktcli.core.document import without_derived

    # A text that holds a "derived:" line of its own is no section: nothing is cut.
    text = 'id: a\ntitle: "x\n\nderived:\n  ranking: []"\n'
    assert yamlio.parse(text, "t.yaml")["title"].endswith("derived: ranking: []")
    assert without_derived(text, yamlio.parse(text, "t.yaml"), "t.yaml") == text
    # A section at the end goes, with the comment ktcli writes before it.
    exported = text + DERIVED_COMMENT + "derived:\n  ranking: [1]\n"
    assert without_derived(exported, yamlio.parse(exported, "t.yaml"), "t.yaml") == text
    # A section followed by another top-level key cannot be cut off safely.
    middle = "id: a\nderived:\n  ranking: [1]\ntitle: x\n"
    assert without_derived(middle, yamlio.parse(middle, "t.yaml"), "t.yaml") is None


def test_import_refuses_a_yaml_handoff_it_could_not_read_back(
    ktcli: Run, store_dir: Path, handoff: Path
) -> None:
    (store_dir / f"{ID}.yaml").unlink()
    broken = handoff.with_name("broken.yaml")
    broken.write_text(handoff.read_text().replace("\nstatus: ", "\nstatus: shelved\nx: ", 1))
    res = ktcli("import", str(broken))
    assert res.code == 1
    assert not (store_dir / f"{ID}.yaml").exists()


def edited_copy(ktcli: Run, store_dir: Path, handoff: Path, *edit: str) -> Path:
    """Someone else's newer version: ``edit`` applied, saved as a file; the store rewound."""
    res = ktcli(*edit)
    assert res.code == 0, res.err
    theirs = handoff.with_name("theirs.yaml")
    theirs.write_text(stored(store_dir))
    (store_dir / f"{ID}.yaml").write_text(handoff.read_text())
    return theirs


def test_import_a_newer_version_updates_and_shows_what_changed(
    ktcli: Run, store_dir: Path, handoff: Path
) -> None:
    newer = edited_copy(
        ktcli, store_dir, handoff,
        "--analyst", "bob", "fact", ID, "when-first", "2026-11-20 08:00", "--source", "ticket",
    )  # fmt: skip
    res = ktcli("import", str(newer))
    assert res.code == 0, res.err
    assert "extends the stored history by 1 entry" in flat(res.err)
    assert "~ WHEN: first seen / IS (specification.when-first.is)" in flat(res.err)
    assert "+ 2026-11-20 08:00 (source: ticket, reported)" in flat(res.err)
    assert "bob: when-first is: 2026-11-20 08:00" in flat(res.err)
    assert stored(store_dir) == newer.read_text()


def test_import_refuses_an_older_version(ktcli: Run, store_dir: Path, handoff: Path) -> None:
    ktcli("--analyst", "bob", "fact", ID, "when-first", "2026-11-20", "--source", "ticket")
    ahead = stored(store_dir)
    res = ktcli("import", str(handoff))
    assert res.code == 1
    assert "not imported: an older version of 'inc-4711'" in flat(res.err)
    assert "bob: when-first is: 2026-11-20" in flat(res.err)
    assert f"ktcli diff {ID} {handoff}" in flat(res.err)
    assert stored(store_dir) == ahead


def test_import_refuses_a_diverged_version_and_offers_a_new_id(
    ktcli: Run, store_dir: Path, handoff: Path
) -> None:
    theirs = edited_copy(
        ktcli, store_dir, handoff,
        "--analyst", "carol", "fact", ID, "when-first", "Monday", "--source", "ticket",
    )  # fmt: skip
    ktcli("--analyst", "bob", "cause", ID, "a full disk")
    mine = stored(store_dir)
    res = ktcli("import", str(theirs))
    assert res.code == 1
    assert "diverged" in flat(res.err)
    assert "carol: when-first is: Monday" in flat(res.err)
    assert "bob: added a possible cause: a full disk" in flat(res.err)
    assert "--as NEW-ID" in flat(res.err)
    assert stored(store_dir) == mine
    res = ktcli("import", str(theirs), "--as", "inc-4711-carol")
    assert (res.code, res.out) == (0, "inc-4711-carol\n")
    assert parse_analysis(stored(store_dir, "inc-4711-carol"), "x").id == "inc-4711-carol"


def test_import_refuses_hand_edits_without_history(
    ktcli: Run, store_dir: Path, handoff: Path
) -> None:
    handoff.write_text(handoff.read_text().replace("title: Checkout slow", "title: Edited"))
    res = ktcli("import", str(handoff))
    assert res.code == 1
    assert "edited without recording it" in flat(res.err)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("schema_version: 1\nid: x\nbogus: 1\n", "bogus"),
        ("a: [1, 2\n", "bad.yaml:"),
        ("- just a list\n", "expected a mapping"),
    ],
)
def test_import_refuses_broken_files_with_file_and_line(
    ktcli: Run, tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    res = ktcli("import", str(bad))
    assert res.code == 1
    assert message in flat(res.err)
    assert "Traceback" not in flat(res.err)


def test_import_as_refuses_an_unsafe_id(ktcli: Run, handoff: Path) -> None:
    res = ktcli("import", str(handoff), "--as", "../escape")
    assert res.code == 2
    assert "not a valid analysis id" in flat(res.err)


# -- diff --------------------------------------------------------------------------------------


def test_diff_ids_and_files(ktcli: Run, handoff: Path) -> None:
    ktcli("--analyst", "bob", "test", ID, "c1", "where-location", "--explains", "EU only")
    res = ktcli("diff", str(handoff), ID)
    assert res.code == 0, res.err
    assert "~ Cause c1 against where-location  (causes.c1.tests.where-location)" in res.out
    assert "    - explains only if build 42 runs only in the EU" in res.out
    assert "    + explains, because EU only" in res.out
    assert "~ Analysts  (analysts)" in res.out
    same = ktcli("diff", ID, ID)
    assert (same.code, same.out) == (0, "no differences\n")


def test_diff_shows_control_characters_as_escapes(ktcli: Run, handoff: Path) -> None:
    ktcli("impact", ID, "evil \x1b[2J text")
    res = ktcli("diff", str(handoff), ID)
    assert "\x1b" not in res.out
    assert "evil \\x1b[2J text" in res.out


def test_diff_of_a_missing_target_fails(ktcli: Run) -> None:
    res = ktcli("diff", "nope.yaml", "other")
    assert res.code == 1
    assert "nope.yaml" in flat(res.err)


# -- customer update ---------------------------------------------------------------------------


def test_update_as_text_on_stdout(ktcli: Run) -> None:
    build(ktcli)
    res = ktcli("update", ID, "--next-update", "Tuesday 14:00 CET")
    assert res.code == 0, res.err
    assert res.out.startswith("Status update: INC-4711: Checkout slow\n")
    assert "the shared network: ruled out, because the US shares it." in res.out
    assert "We are waiting for slow query log from customer DBA." in res.out
    assert res.out.rstrip().endswith("Tuesday 14:00 CET.")
    assert res.err == ""


def test_update_without_next_update_warns(ktcli: Run) -> None:
    build(ktcli)
    res = ktcli("update", ID)
    assert "no --next-update" in flat(res.err)
    assert "As soon as we learn something new." in res.out


def test_update_as_markdown_to_a_file(ktcli: Run, tmp_path: Path) -> None:
    build(ktcli)
    target = tmp_path / "update.md"
    res = ktcli("update", ID, "-f", "markdown", "-o", str(target), "--next-update", "Friday")
    assert res.code == 0, res.err
    assert res.out == f"{target}\n"
    text = target.read_text()
    assert text.startswith("## Status update: INC-4711: Checkout slow\n")
    assert "### What we have ruled out, and why" in text


def test_update_of_a_handoff_file(ktcli: Run, handoff: Path) -> None:
    res = ktcli("update", str(handoff), "--next-update", "tomorrow")
    assert res.code == 0, res.err
    assert "now with our L3 team" in " ".join(res.out.split())


# -- close -------------------------------------------------------------------------------------


def test_close_refuses_without_proof_and_lists_every_requirement(
    ktcli: Run, store_dir: Path
) -> None:
    build(ktcli)
    before = stored(store_dir)
    res = ktcli("close", ID)
    assert res.code == 1
    listed = [line for line in res.err.splitlines() if line.startswith("  - ")]
    assert f"cannot close yet, {len(listed)} requirement(s) not met" in flat(res.err)
    for text in ("no true cause", "no corrective action", "no confirmation from the customer"):
        assert text in flat(res.err)
    # Every failing quality gate is a requirement too (issue 11): blank rows here.
    assert "quality gate KT104 fails" in flat(res.err)
    assert stored(store_dir) == before


def test_close_refuses_while_a_quality_gate_fails(ktcli: Run, store_dir: Path) -> None:
    build(ktcli, proven=True)
    ktcli("cause", ID, "a third cause, never tested")
    res = ktcli("close", ID, "--customer-confirmation", "Jo: fast again")
    assert res.code == 1
    assert "quality gate KT106 fails: cause c3 not tested against" in flat(res.err)
    assert parse_analysis(stored(store_dir), "s").status == "open"


def test_close_refuses_while_the_fix_is_only_planned(ktcli: Run, store_dir: Path) -> None:
    build(ktcli, proven=True)
    a = parse_analysis(stored(store_dir), "s")
    a.actions = [x for x in a.actions if x.kind != "corrective"]
    (store_dir / f"{ID}.yaml").write_text(to_yaml(a), encoding="utf-8")
    assert ktcli("action", ID, "corrective", "raise the pool size").code == 0
    res = ktcli("close", ID, "--customer-confirmation", "Jo: fast again")
    assert res.code == 1
    assert "no corrective action is done yet: a2 (planned)" in flat(res.err)
    assert "--fix-tracked-in" in flat(res.err)
    res = ktcli("close", ID, "-c", "Jo: fast again", "--fix-tracked-in", "PRB-2291")
    assert res.code == 0, res.err
    closure = parse_analysis(stored(store_dir), "s").closure
    assert closure is not None
    assert closure.fix_tracked_in == "PRB-2291"


def test_close_with_proof_fix_and_confirmation(ktcli: Run, store_dir: Path) -> None:
    build(ktcli, proven=True)
    res = ktcli("--analyst", "bob", "close", ID, "--customer-confirmation", "Jo: fast again")
    assert res.code == 0, res.err
    a = parse_analysis(stored(store_dir), "s")
    assert a.status == "closed"
    assert a.closure is not None
    assert (a.closure.by, a.closure.customer_confirmation, a.closure.forced) == (
        "bob",
        "Jo: fast again",
        False,
    )
    assert a.history[-1].what == "closed; the customer confirmed: Jo: fast again"
    assert "✗ KT108" not in ktcli("check", ID).out


def test_close_needs_the_customer_confirmation(ktcli: Run) -> None:
    build(ktcli, proven=True)
    res = ktcli("close", ID)
    assert res.code == 1
    assert "1 requirement(s) not met" in flat(res.err)
    assert "--customer-confirmation" in flat(res.err)


def test_close_asks_for_the_confirmation_at_a_terminal(
    ktcli: Run, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(ktcli, proven=True)
    monkeypatch.setattr(cli_escalation, "_interactive", lambda: True)
    monkeypatch.setattr(cli_escalation, "_text", lambda message: "Jo, on the phone")
    res = ktcli("close", ID)
    assert res.code == 0, res.err
    closure = parse_analysis(stored(store_dir), "s").closure
    assert closure is not None
    assert closure.customer_confirmation == "Jo, on the phone"


def test_an_interim_action_is_not_the_fix(ktcli: Run) -> None:
    build(ktcli)
    ktcli("verify", ID, "c1", "--checks", "log", "--method", "read", "--status", "confirmed")
    ktcli("confirm", ID, "c1")
    ktcli("action", ID, "interim", "restart the pool", "--done")
    res = ktcli("close", ID, "-c", "works")
    assert res.code == 1
    assert "1 interim action(s) restore service but do not remove the cause" in flat(res.err)


def test_close_by_force_records_why_and_the_gate_flags_it(ktcli: Run, store_dir: Path) -> None:
    build(ktcli)
    res = ktcli("close", ID, "--force", "--reason", "customer withdrew the ticket")
    assert res.code == 0, res.err
    assert "closed by force" in flat(res.err)
    a = parse_analysis(stored(store_dir), "s")
    assert a.closure is not None
    assert (a.closure.forced, a.closure.reason) == (True, "customer withdrew the ticket")
    assert a.history[-1].what == "closed by force, unproven: customer withdrew the ticket"
    check = ktcli("check", ID)
    assert check.code == 1
    assert "✗ KT108" in check.out


def test_force_is_not_needed_when_everything_is_proven(ktcli: Run, store_dir: Path) -> None:
    build(ktcli, proven=True)
    res = ktcli("close", ID, "-c", "fine", "--force", "--reason", "habit")
    assert res.code == 0, res.err
    assert "--force is not needed" in flat(res.err)
    closure = parse_analysis(stored(store_dir), "s").closure
    assert closure is not None
    assert closure.forced is False


@pytest.mark.parametrize("reason", [(), ("--reason", "  ")])
def test_force_needs_a_reason(ktcli: Run, reason: tuple[str, ...]) -> None:
    build(ktcli)
    res = ktcli("close", ID, "--force", *reason)
    assert res.code == 2
    assert "--force needs --reason" in flat(res.err)


def test_close_twice_is_refused(ktcli: Run) -> None:
    build(ktcli)
    ktcli("close", ID, "--force", "--reason", "dup")
    res = ktcli("close", ID, "--force", "--reason", "again")
    assert res.code == 1
    assert "is closed" in flat(res.err)


def test_help_lists_the_handoff_commands(ktcli: Run) -> None:
    res = ktcli("--help")
    for command in ("escalate", "import", "diff", "update", "close"):
        assert command in res.out


def test_the_escalation_prompts_are_real_questionary_prompts() -> None:
    """The in-process adapter test: keys through a pipe into the prompts escalate and close use."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text("\x1b[B\r")  # arrow down, Enter
        assert cli_escalation._select("Hand off?", ["hand off anyway", "stop and fix"]) == (
            "stop and fix"
        )
        inp.send_text("  Jo, on the phone  \r")
        assert cli_escalation._text("The customer's confirmation?") == "Jo, on the phone"
