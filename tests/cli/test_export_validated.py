"""``ktcli export`` of bytes it validated before: the same output, without the model."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from ktcli.core.document import parse_analysis, to_yaml
from ktcli.core.model import Analysis
from ktcli.handoff.export import render
from ktcli.store import validated
from tests.conftest import EXAMPLES, Run, run_in_child
from tests.core.test_document import analyses
from tests.factories import specified, with_cause

EXAMPLE = EXAMPLES / "checkout-latency.yaml"
FORMATS = ("yaml", "json", "markdown")


def full_path(text: str, fmt: str) -> str:
    """What the validating path prints for this document."""
    a = parse_analysis(text, "x.yaml")
    return render(a, fmt)  # type: ignore[arg-type]


def export_in_child(args: list[str]) -> tuple[str, bool]:
    """Run ``ktcli export`` in a fresh interpreter: its stdout, and whether the model was built."""
    out, modules = run_in_child("export", *args)
    return out, "ktcli.core.model" in modules


def assert_an_invalid_edit_is_refused(ktcli: Run, store_dir: Path, *command: str) -> None:
    """The stored example edited by hand into an invalid file: refused, whatever came before."""
    stored = store_dir / "checkout-latency.yaml"
    stored.write_text(
        stored.read_text(encoding="utf-8").replace("status: closed", "status: shelved", 1),
        encoding="utf-8",
    )
    res = ktcli(*command)
    assert res.code == 1
    assert res.out == ""
    assert "status" in res.err


@pytest.mark.parametrize("fmt", FORMATS)
def test_second_export_is_the_same_bytes_without_the_model(ktcli: Run, fmt: str) -> None:
    assert ktcli("import", str(EXAMPLE)).code == 0
    first, built_first = export_in_child(["checkout-latency", "-f", fmt])
    second, built_second = export_in_child(["checkout-latency", "-f", fmt])
    assert built_first
    assert not built_second
    assert second == first == full_path(EXAMPLE.read_text(encoding="utf-8"), fmt)


def test_an_edited_file_takes_the_validating_path(ktcli: Run, store_dir: Path) -> None:
    assert ktcli("import", str(EXAMPLE)).code == 0
    assert ktcli("export", "checkout-latency").code == 0
    stored = store_dir / "checkout-latency.yaml"
    text = stored.read_text(encoding="utf-8")
    edited = text.replace("title: Checkout API slow", "title: Checkout API very slow", 1)
    assert edited != text
    stored.write_text(edited, encoding="utf-8")
    out, built = export_in_child(["checkout-latency"])
    assert built
    assert out == full_path(edited, "yaml")


def test_an_invalid_edit_is_refused_though_the_old_bytes_were_validated(
    ktcli: Run, store_dir: Path
) -> None:
    assert ktcli("import", str(EXAMPLE)).code == 0
    assert ktcli("export", "checkout-latency").code == 0
    assert_an_invalid_edit_is_refused(ktcli, store_dir, "export", "checkout-latency")


def test_a_file_whose_export_differs_prints_the_recorded_export(ktcli: Run, tmp_path: Path) -> None:
    # Comments and another key order: valid, but not what ktcli emits.
    handoff = tmp_path / "handoff.yaml"
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0] == "---\n"  # the document start, then schema_version, moved to the end
    handoff.write_text(
        "# sent by backline\n" + lines[0] + "".join(lines[2:]) + lines[1], encoding="utf-8"
    )
    first, built_first = export_in_child([str(handoff)])
    second, built_second = export_in_child([str(handoff)])
    assert built_first
    assert not built_second
    assert second == first == EXAMPLE.read_text(encoding="utf-8")


def test_the_stored_id_is_part_of_what_was_validated(ktcli: Run, store_dir: Path) -> None:
    assert ktcli("import", str(EXAMPLE)).code == 0
    assert ktcli("export", "checkout-latency").code == 0
    # The same bytes under another name hold the wrong id: refused, recorded or not.
    (store_dir / "other.yaml").write_bytes((store_dir / "checkout-latency.yaml").read_bytes())
    res = ktcli("export", "other")
    assert res.code == 1
    assert "holds analysis 'checkout-latency'" in res.err


def test_a_damaged_entry_is_ignored(ktcli: Run) -> None:
    assert ktcli("import", str(EXAMPLE)).code == 0
    assert ktcli("export", "checkout-latency", "-f", "markdown").code == 0
    [entry] = list(validated.cache_dir().iterdir())
    entry.write_bytes(entry.read_bytes()[:-10])  # a write cut short
    out, built = export_in_child(["checkout-latency", "-f", "markdown"])
    assert built
    assert out == full_path(EXAMPLE.read_text(encoding="utf-8"), "markdown")


def test_entries_are_private_to_the_user(ktcli: Run, tmp_path: Path) -> None:
    assert ktcli("import", str(EXAMPLE)).code == 0
    assert ktcli("export", "checkout-latency").code == 0
    folder = validated.cache_dir()
    assert folder.is_relative_to(tmp_path / "state")  # the user's state dir, not the store
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_export_to_a_file_takes_the_same_path(ktcli: Run, tmp_path: Path) -> None:
    assert ktcli("import", str(EXAMPLE)).code == 0
    outputs = [tmp_path / "one.yaml", tmp_path / "two.yaml"]
    for out in outputs:
        assert ktcli("export", "checkout-latency", "-o", str(out)).code == 0
    assert outputs[0].read_bytes() == outputs[1].read_bytes() == EXAMPLE.read_bytes()


def test_a_ranked_analysis_round_trips_through_the_recorded_export(
    ktcli: Run, store_dir: Path
) -> None:
    a = specified("ranked")
    with_cause(a, "c1")
    with_cause(a, "c2", default="does_not_explain")
    store_dir.mkdir(parents=True, exist_ok=True)
    (store_dir / "ranked.yaml").write_text(to_yaml(a), encoding="utf-8")
    outs = {fmt: [ktcli("export", "ranked", "-f", fmt).out for _ in range(2)] for fmt in FORMATS}
    for fmt, (first, second) in outs.items():
        assert first == second == full_path(to_yaml(a), fmt)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(a=analyses())
def test_random_analyses_export_the_same_on_both_paths(
    ktcli: Run, tmp_path: Path, a: Analysis
) -> None:
    handoff = tmp_path / f"{a.id}.yaml"
    handoff.write_text(to_yaml(a), encoding="utf-8")
    for fmt in FORMATS:
        first = ktcli("export", str(handoff), "-f", fmt)
        second = ktcli("export", str(handoff), "-f", fmt)
        assert first.code == 0
        assert second.code == 0
        assert second.out == first.out == full_path(to_yaml(a), fmt)
        assert validated.lookup(handoff.read_bytes(), "", fmt) == first.out.encode("utf-8")


def test_show_json_of_bytes_shown_before_skips_the_model_and_prints_the_same(
    ktcli: Run, store_dir: Path
) -> None:
    assert ktcli("import", str(EXAMPLE)).code == 0
    first, first_modules = run_in_child("show", "checkout-latency", "--json")
    second, second_modules = run_in_child("show", "checkout-latency", "--json")
    assert "ktcli.core.model" in first_modules
    assert "ktcli.core.model" not in second_modules
    assert second == first == ktcli("show", "checkout-latency", "--json").out
    # Bytes edited by hand are other bytes: validated again, and refused here.
    assert_an_invalid_edit_is_refused(ktcli, store_dir, "show", "checkout-latency", "--json")


def test_plain_show_of_bytes_shown_before_skips_the_model_and_prints_the_same(
    ktcli: Run, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ktcli("import", str(EXAMPLE)).code == 0
    first, first_modules = run_in_child("show", "checkout-latency")
    second, second_modules = run_in_child("show", "checkout-latency")
    assert "ktcli.core.model" in first_modules
    assert "ktcli.core.model" not in second_modules
    assert second == first == ktcli("show", "checkout-latency").out
    assert "Checkout API slow" in first
    # Another width is another text, made afresh, not the one remembered for 80 columns.
    monkeypatch.setenv("COLUMNS", "60")
    narrow = run_in_child("show", "checkout-latency")[0]
    assert narrow != first
    assert max(map(len, narrow.splitlines())) <= 60
    assert narrow == ktcli("show", "checkout-latency").out
    assert_an_invalid_edit_is_refused(ktcli, store_dir, "show", "checkout-latency")
