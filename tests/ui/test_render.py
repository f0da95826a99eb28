"""ktcli.ui.render: what ``show``, ``list`` and ``check`` put on the screen.

Renderables are printed to an in-memory rich console at a fixed width, so the
tests read exactly what a user would see.
"""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console, RenderableType

from ktcli.core.analysis import new_analysis, set_cell, set_test
from ktcli.core.gates import check
from ktcli.core.model import (
    Analysis,
    Cause,
    Concern,
    Fact,
    NeedData,
    NotApplicable,
    Statement,
    Verification,
)
from ktcli.ui.check_view import render_findings
from ktcli.ui.render import (
    GRID_CAUSES,
    render_analysis,
    render_matrix,
    render_ranking,
)
from tests.conftest import EXAMPLES, Run

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
EXAMPLE = EXAMPLES / "checkout-latency.yaml"


def text_of(renderable: RenderableType, *, width: int = 80, color: bool = False) -> str:
    """What a terminal of this width shows; with color, the raw escape codes too."""
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="truecolor" if color else None,
        highlight=False,
        legacy_windows=False,
    )
    console.print(renderable)
    return buf.getvalue()


def example() -> Analysis:
    from ktcli.core.document import parse_analysis

    return parse_analysis(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))


def small() -> Analysis:
    """Statement, one fact of each kind, two causes (one ruled out), nothing verified."""
    a = new_analysis("small", "Mail delayed", who="ana", now=T0, business_impact="sales waits")
    a.statement = Statement(object="Outbound mail", deviation="arrives 40 min late")
    set_cell(a, "what-object", "is", Fact(text="mail to gmail.test", source="queue log"))
    set_cell(a, "what-object", "is_not", Fact(text="mail to outlook.test", source="queue log"))
    set_cell(a, "where-location", "is", NotApplicable(reason="one relay only"))
    set_cell(a, "when-first", "is", NeedData(who="bob", how="grep the relay log"))
    a.causes = [Cause(id="c1", text="greylisting"), Cause(id="c2", text="full disk")]
    set_test(a, "c1", "what-object", "explains_only_if", "gmail greylists our new IP")
    set_test(a, "c2", "what-object", "does_not_explain", "a full disk stops all mail")
    return a


# -- content ----------------------------------------------------------------------------------


def test_matrix_shows_each_cell_kind_and_blank_marker() -> None:
    out = text_of(render_matrix(small()), width=200)
    assert "mail to gmail.test" in out
    assert "queue log · reported" in out
    assert "not applicable: one relay only" in out
    assert "need data: bob / grep the relay log" in out
    assert "⚠ blank" in out
    # The row id is shown under its label, so the user can type it in 'ktcli fact'.
    assert "where-location" in out


def test_ranking_orders_and_says_what_remains() -> None:
    out = text_of(render_ranking(small()), width=200)
    assert out.index("c1 greylisting") < out.index("c2 full disk")
    assert "explains all" in out
    assert "does not" in out
    assert "Most probable cause: c1 greylisting" in out
    assert "Remaining to verify:" in out
    assert "assumption (what-object): gmail greylists our new IP" in out
    assert "no confirmed verification of c1 yet" in out


def test_ranking_of_a_confirmed_cause_names_its_proofs() -> None:
    out = text_of(render_ranking(example()), width=200)
    assert "Confirmed as the true cause (v1, v3, v4)." in out
    assert "Remaining to verify" not in out
    assert "verification v2 refuted" in out


def test_ranking_without_a_surviving_cause() -> None:
    a = small()
    set_test(a, "c1", "what-object", "does_not_explain", "gmail never greylists")
    assert "Most probable cause: none yet" in text_of(render_ranking(a), width=200)


def test_analysis_has_every_section_in_order() -> None:
    out = text_of(render_analysis(example()))
    sections = [
        "Appraisal",
        "Problem statement",
        "IS / IS NOT",
        "Distinctions and changes",
        "Possible causes",
        "Ranking",
        "Verification",
        "True cause",
        "Actions",
        "Data requests",
        "Open questions",
        "Escalations",
        "Closure",
    ]
    positions = [out.index(f"{s} ─") for s in sections]
    assert positions == sorted(positions)
    for kind in ("Interim: restore", "Corrective: remove", "Preventive: stop"):
        assert kind in out
    assert "customer confirmation: Lea Brandt" in out
    assert "outstanding" in out


def test_analysis_fresh_from_create_renders_without_errors() -> None:
    out = text_of(render_analysis(new_analysis("x", "t", who="a", now=T0)))
    assert "no statement yet" in out
    assert "no possible causes yet" in out
    assert "not closed (status: open)" in out


@pytest.mark.parametrize("width", [80, 60])
def test_every_line_fits_the_terminal(width: int) -> None:
    a = example()
    # A long unbreakable word must fold, not run past the edge.
    a.title = "x" * 200
    a.causes[0].text = "https://" + "y" * 150
    for line in text_of(render_analysis(a), width=width).splitlines():
        assert cell_len(line) <= width, line


def test_meaning_is_not_truncated_at_80_columns() -> None:
    a = example()
    out = text_of(render_analysis(a))
    words = set(out.replace("│", " ").split())
    # Long texts in narrow cells arrive whole, wrapped, never cut with an ellipsis.
    assert "…" not in out
    row = a.row("extent-trend")
    assert row is not None
    assert isinstance(row.is_not, NeedData)
    for text in (row.is_not.how, a.causes[0].text, a.appraisal.depth_reason or ""):
        assert set(text.split()) <= words


def test_cause_grid_splits_many_causes_into_tables_that_fit() -> None:
    a = small()
    a.causes = [Cause(id=f"cause-{n:02d}", text=f"cause {n}") for n in range(20)]
    for c in a.causes:
        set_test(a, c.id, "what-object", "explains", "yes")
    out = text_of(render_analysis(a))
    header_lines = [ln for ln in out.splitlines() if "cause-00" in ln or "cause-19" in ln]
    assert header_lines  # every cause is in a grid header
    grid_headers = [ln for ln in out.splitlines() if ln.lstrip().startswith("row ")]
    assert len(grid_headers) == -(-20 // GRID_CAUSES)
    assert all(cell_len(ln) <= 80 for ln in out.splitlines())


def test_untested_cells_are_marked() -> None:
    a = small()
    set_cell(a, "extent-size", "is", Fact(text="40 minutes", source="headers"))
    out = text_of(render_analysis(a), width=200)
    assert "? not tested" in out
    assert "not tested: EXTENT: size of one deviation" in out


# -- user text is data -------------------------------------------------------------------------

NASTY = [
    "[/x] closes nothing",
    "[link=https://evil.test]click me[/link]",
    "[bold red]shouting[/]",
    "\x1b[2J\x1b[H cleared?",
    "\x1b]8;;https://evil.test\x1b\\osc link\x1b]8;;\x1b\\",
    "c1 control \x9b31m and bell \x07",
    "bidi \u202eevil\u202c and \u2066isolate\u2069",
    ":smile: :warning: emoji codes",
]


@pytest.mark.parametrize("nasty", NASTY)
@pytest.mark.parametrize("color", [False, True])
def test_user_text_is_never_markup_or_escape_codes(nasty: str, color: bool) -> None:
    a = small()
    a.title = nasty
    a.business_impact = nasty
    a.causes[0].text = nasty
    a.causes[0].tests["what-object"].note = nasty
    set_cell(a, "what-object", "is", Fact(text=nasty, source=nasty, evidence=[nasty]))
    a.appraisal.concerns.append(
        Concern(id="k1", text=nasty, seriousness="low", urgency="low", growth="low", owner=nasty)
    )
    out = text_of(render_analysis(a), color=color)
    # No hyperlink, no screen clearing, no raw control or bidi characters from the user.
    assert "\x1b]8;" not in out
    assert "\x1b[2J" not in out
    for ch in ("\x9b", "\x07", "\u202e", "\u2066"):
        assert ch not in out
    plain = text_of(render_analysis(a))
    assert "\x1b" not in plain
    visible = "".join(plain.split())
    if nasty.startswith("["):
        assert "".join(nasty.split()) in visible  # markup shown as typed
    if "\x1b" in nasty:
        assert "\\x1b" in plain  # the escape is visible, harmless text


def test_user_text_in_findings_is_data() -> None:
    a = small()
    a.title = "[link=https://evil.test]t[/link] \x1b[2J"
    a.id = "small"
    out = text_of(render_findings(a, check(a)), color=True)
    assert "\x1b]8;" not in out
    assert "\x1b[2J" not in out


# -- list and check ----------------------------------------------------------------------------


def test_findings_list_every_gate_with_its_state_when_all_pass() -> None:
    from ktcli.core.gates import GATES

    lines = text_of(render_findings(example(), [])).strip().splitlines()
    assert lines[0] == "checkout-latency"
    marked = [line.split()[:2] for line in lines if line[:1] in "✓✗"]
    assert marked == [["✓", g.rule] for g in GATES]
    assert lines[-1] == "all 18 quality gates pass"


def test_all_gates_passing_still_says_what_is_open() -> None:
    out = text_of(render_findings(example(), [], still_open=3), width=120)
    assert "all 18 quality gates pass; 3 thing(s) still open: ktcli status checkout-latency" in out


def test_findings_list_rule_message_and_where() -> None:
    a = small()
    out = text_of(render_findings(a, check(a)), width=200)
    assert "✗ KT104" in out
    assert "✓ KT102" in out
    assert "row-blank" in out
    assert "specification.where-on-object.is" in " ".join(out.split()).replace(" ", "")
    assert "quality gates fail" in out


# -- through the CLI -------------------------------------------------------------------------------


def test_show_list_check_through_the_cli(ktcli: Run) -> None:
    assert ktcli("import", str(EXAMPLE)).code == 0
    assert ktcli("create", "--title", "Second", "--id", "second").code == 0
    shown = ktcli("show", "checkout-latency")
    assert shown.code == 0, shown.err
    assert "Checkout API slow to create orders" in shown.out
    listed = ktcli("list")
    assert listed.code == 0
    assert listed.out.index("second") < listed.out.index("checkout-latency")
    passed = ktcli("check", "checkout-latency")
    assert passed.code == 0
    assert "all 18 quality gates pass" in passed.out
    failed = ktcli("check", "second")
    assert failed.code == 1
    assert "✗ KT101" in failed.out


def test_list_shows_a_hand_broken_file(ktcli: Run, store_dir: Path) -> None:
    assert ktcli("create", "--title", "Fine", "--id", "fine").code == 0
    (store_dir / "broken.yaml").write_text("schema_version: 1\nid: [\n", encoding="utf-8")
    res = ktcli("list")
    assert res.code == 0
    assert "broken" in res.out
    assert "not valid YAML" in " ".join(res.out.split())
    assert "1 could not be read" in res.out


def test_pure_modules_import_no_cli_or_prompt_libraries() -> None:
    code = (
        "import sys, ktcli.ui.render, ktcli.handoff.markdown\n"
        "bad = {'typer', 'questionary', 'rich.markdown'} & set(sys.modules)\n"
        "print(sorted(bad))\n"
        "import importlib; del sys.modules['ktcli.handoff.markdown']\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    code = "import sys, ktcli.handoff.markdown\nprint(sorted(m for m in sys.modules if m.startswith('rich')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_render_never_prints(capsys: pytest.CaptureFixture[str]) -> None:
    render_analysis(example())
    render_findings(small(), [])
    assert capsys.readouterr() == ("", "")


def test_verification_steps_show_status_and_result() -> None:
    a = small()
    a.verifications.append(
        Verification(id="v1", cause="c1", checks="greylisting", method="ask gmail", result="yes")
    )
    out = text_of(render_analysis(a), width=200)
    flat = " ".join(out.split())
    assert "v1 planned · cause c1" in flat
    assert "result yes" in flat


def quick() -> Analysis:
    """A finished quick pass: the IS of WHERE, WHEN and EXTENT, nothing else of the matrix."""
    a = new_analysis("quick", "VPN drops", who="ana", now=T0, business_impact="staff offline")
    a.appraisal.depth = "quick"
    for row in ("where-location", "when-first", "extent-objects"):
        set_cell(a, row, "is", Fact(text=f"{row} fact", source="customer"))
    return a


@pytest.mark.parametrize("width", [60, 160])
def test_a_quick_matrix_warns_of_no_row_it_skipped_on_purpose(width: int) -> None:
    out = text_of(render_matrix(quick()), width=width)
    assert "⚠ blank" not in out
    assert "8 rows not asked in a quick analysis" in out
    assert "WHAT: object" not in out, "no tower of rows quick mode never asks"
    assert "when-first fact" in out
    assert out.count("not asked") == 4, "the three IS NOTs, left out on purpose, and the caption"
    assert all(cell_len(line) <= width for line in out.splitlines())


def test_a_full_matrix_still_warns_of_a_blank() -> None:
    a = quick()
    a.appraisal.depth = "full"
    assert "⚠ blank" in text_of(render_matrix(a), width=100)


@pytest.mark.parametrize("command", [["show", "checkout-latency"], ["list"]])
def test_piped_show_and_list_are_plain(ktcli: Run, command: list[str]) -> None:
    assert ktcli("import", str(EXAMPLE)).code == 0
    res = ktcli(*command)
    assert res.code == 0
    lines = res.out.splitlines()
    assert lines
    assert not [n for n, line in enumerate(lines) if line != line.rstrip()], "trailing spaces"
    assert not any("\u2500" <= ch <= "\u257f" for ch in res.out), "box-drawing when piped"
