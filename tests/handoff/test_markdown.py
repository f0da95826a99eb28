"""ktcli.handoff.markdown: the handoff for people, pasted into a ticket.

The escaping tests parse the output with a real CommonMark/GFM parser
(markdown-it-py, which rich already depends on) and check the token tree:
every table row keeps its number of cells, no user text turns into HTML, a
link, a heading or code, and the text still reads as the user wrote it.
The golden file of the worked example lives in tests/test_example.py.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ktcli.core.analysis import new_analysis, set_cell, set_test
from ktcli.core.model import (
    ID_PATTERN,
    Action,
    Analysis,
    Cause,
    Fact,
    HistoryEntry,
    NeedData,
    NotApplicable,
    Statement,
)
from ktcli.core.text import clean
from ktcli.handoff.markdown import to_markdown
from ktcli.handoff.mdtext import fence, inline, when

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)

# GFM tables and strikethrough; linkify needs an extra package and is not what we test.
MD = MarkdownIt("gfm-like", {"linkify": False})

NASTY = [
    "a | b | c",
    "back\\slash \\| and \\\\",
    "`code | with pipe` and ``double``",
    "<script>alert(1)</script>",
    "&lt;already escaped&gt; &amp; AT&T",
    "line one\nline two\r\nline three",
    "[x](https://evil.test) ![img](https://evil.test/i.png)",
    "# heading\n## another",
    "*bold* _em_ **strong** ~~strike~~",
    "- a list\n1. item\n> quote",
    "--- \n===",
    "\x1b[2J\x1b[31m red \x9b bidi \u202eevil\u202c",
    "<https://autolink.test> <b>bold</b>",
    "| --- | --- |",
    "trailing backslash \\",
    "   leading and trailing spaces   ",
]


def base() -> Analysis:
    a = new_analysis("md", "Mail delayed", who="ana", now=T0, ticket="INC-1")
    a.statement = Statement(object="Outbound mail", deviation="arrives 40 min late")
    set_cell(a, "what-object", "is", Fact(text="gmail", source="queue log", status="verified"))
    set_cell(a, "what-object", "is_not", Fact(text="outlook", source="queue log"))
    a.causes = [Cause(id="c1", text="greylisting"), Cause(id="c2", text="disk full")]
    set_test(a, "c1", "what-object", "explains", "gmail greylists")
    set_test(a, "c2", "what-object", "does_not_explain", "all mail would stop")
    return a


def tables(tokens: list[Token]) -> list[list[list[Token]]]:
    """Each table as its rows, each row as the inline tokens of its cells."""
    out: list[list[list[Token]]] = []
    row: list[Token] = []
    in_cell = False
    for tok in tokens:
        if tok.type == "table_open":
            out.append([])
        elif tok.type == "tr_open":
            row = []
        elif tok.type in ("th_open", "td_open"):
            in_cell = True
        elif tok.type in ("th_close", "td_close"):
            in_cell = False
        elif tok.type == "inline" and in_cell:
            row.append(tok)
        elif tok.type == "tr_close":
            out[-1].append(row)
    return out


def readable(tok: Token) -> str:
    """The text a reader sees in an inline token: text, code and line breaks."""
    parts: list[str] = []
    for child in tok.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or child.content == "<br>":
            parts.append("\n")
    return "".join(parts)


def expected(text: str) -> str:
    """What the reader should see for user text: controls made visible, lines trimmed."""
    return "\n".join(line.strip() for line in clean(text.replace("\r\n", "\n")).split("\n"))


def child_types(tokens: list[Token]) -> set[str]:
    return {c.type for t in tokens for c in (t.children or [])} | {t.type for t in tokens}


def find_cell(doc: list[list[list[Token]]], first: str, column: int) -> Token:
    for table in doc:
        for row in table:
            if row and readable(row[0]) == first:
                return row[column]
    raise AssertionError(f"no row starting with {first!r}")


@pytest.mark.parametrize("nasty", NASTY)
def test_tables_keep_their_shape_and_text_reads_as_written(nasty: str) -> None:
    a = base()
    a.title = nasty
    a.ticket = nasty
    a.business_impact = nasty
    a.causes[0].text = nasty
    a.causes[0].origin_ref = nasty
    set_test(a, "c1", "what-object", "explains_only_if", nasty)
    set_cell(a, "what-object", "is", Fact(text=nasty, source=nasty, evidence=[nasty, "x"]))
    set_cell(a, "where-location", "is", NotApplicable(reason=nasty))
    set_cell(a, "when-first", "is", NeedData(who=nasty, how=nasty))
    a.actions.append(Action(id="a1", kind="interim", text=nasty, owner=nasty))
    a.history.append(HistoryEntry(at=T0, who="ana", what=nasty))
    md = to_markdown(a)
    tokens = MD.parse(md)

    doc = tables(tokens)
    assert len(doc) >= 5
    for table in doc:
        width = len(table[0])
        assert width >= 2
        assert all(len(row) == width for row in table), [len(r) for r in table]

    # Nothing the user wrote becomes HTML, a link, an image, emphasis, a heading or a list.
    types = child_types(tokens)
    for bad in ("html_block", "link_open", "image", "s_open", "hr", "blockquote_open"):
        assert bad not in types, bad
    html = {c.content for t in tokens for c in (t.children or []) if c.type == "html_inline"}
    assert html <= {"<br>"}
    headings = [t for t in tokens if t.type == "heading_open"]
    assert sum(1 for t in headings if t.tag == "h1") == 1
    codes = {c.content for t in tokens for c in (t.children or []) if c.type == "code_inline"}
    assert all(re.match(ID_PATTERN, c) for c in codes), codes

    # Cells holding only user text parse to plain text and line breaks, nothing else,
    # and the reader sees the text as written (controls made visible, lines trimmed).
    want = expected(nasty)
    cause_cell = find_cell(doc, "c1", 2)
    history = [row for table in doc for row in table if readable(row[0]).startswith("2026")]
    title = next(t for i, t in enumerate(tokens) if i and tokens[i - 1].type == "heading_open")
    for tok, text in ((cause_cell, want), (history[-1][2], want), (title, f"{want}: {want}")):
        assert {c.type for c in tok.children or []} <= {"text", "html_inline"}
        assert readable(tok) == text


def test_long_multiline_text_leaves_the_table_for_a_fence() -> None:
    a = base()
    log = "ERROR ```` not a fence\n" + "\n".join(f"line {n} | col" for n in range(6))
    set_cell(a, "what-object", "is", Fact(text=log, source="relay log"))
    md = to_markdown(a)
    tokens = MD.parse(md)
    cell = find_cell(tables(tokens), "WHAT: object\nwhat-object", 1)
    assert readable(cell).startswith("(see note 1 below)")
    fences = [t for t in tokens if t.type == "fence"]
    assert [f.content for f in fences] == [log + "\n"]
    assert "Note 1 (WHAT: object, IS):" in md


@pytest.mark.parametrize(
    ("text", "fence_len"),
    [("plain", 3), ("a ``` b", 4), ("````` five", 6), ("`one`", 3)],
)
def test_fence_outruns_backticks(text: str, fence_len: int) -> None:
    block = fence(text)
    assert block.startswith("`" * fence_len + "text\n")
    assert not block.startswith("`" * (fence_len + 1))
    (tok,) = MD.parse(block)
    assert tok.type == "fence"
    assert tok.content == text + "\n"


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("<x>", "&lt;x&gt;"),
        ("a\nb", "a<br>b"),
        ("\\", "\\\\"),
        ("`#*_[]~&", "\\`\\#\\*\\_\\[\\]\\~&amp;"),
        ("\x1b", "\\\\x1b"),
    ],
)
def test_inline_escapes(raw: str, escaped: str) -> None:
    assert inline(raw) == escaped


def test_sections_in_order_and_three_action_kinds_apart() -> None:
    a = base()
    for n, kind in enumerate(("preventive", "interim", "corrective")):
        a.actions.append(Action(id=f"a{n}", kind=kind, text=f"do {kind}"))  # type: ignore[arg-type]
    md = to_markdown(a)
    order = [
        "# INC-1: Mail delayed",
        "## Business impact",
        "## Appraisal",
        "## Problem statement",
        "## Specification: IS / IS NOT",
        "## Distinctions",
        "## Changes",
        "## Possible causes and their tests",
        "## Ranking",
        "## Verification",
        "## True cause",
        "## Actions",
        "**Interim: restore service now**",
        "- [ ] `a1` do interim",
        "**Corrective: remove the true cause**",
        "- [ ] `a2` do corrective",
        "**Preventive: stop it coming back**",
        "- [ ] `a0` do preventive",
        "## Data requests",
        "## Open questions",
        "## Pitfall warnings kept",
        "## Escalations",
        "## Closure",
        "## History",
    ]
    positions = [md.index(s) for s in order]
    assert positions == sorted(positions)


def test_ranking_names_most_probable_and_what_remains() -> None:
    md = to_markdown(base())
    assert "| 1 | `c1` | explains all facts | 0 |" in md
    assert "| 2 | `c2` | does not explain | 0 | WHAT: object |" in md
    assert "**Most probable cause:** `c1` greylisting" in md
    assert "- no confirmed verification of c1 yet" in md


def test_grid_spreads_many_causes_over_small_tables() -> None:
    a = base()
    a.causes = [Cause(id=f"c{n}", text=f"cause {n}") for n in range(1, 10)]
    for c in a.causes:
        set_test(a, c.id, "what-object", "explains", "yes")
    grids = [t for t in tables(MD.parse(to_markdown(a))) if readable(t[0][0]) == "Row"]
    grids = [g for g in grids if readable(g[0][1]).startswith("c")]
    assert [len(g[0]) - 1 for g in grids] == [3, 3, 3]


def test_output_is_deterministic_and_ends_with_one_newline() -> None:
    a = base()
    first = to_markdown(a)
    assert first == to_markdown(a.model_copy(deep=True))
    assert first.endswith("\n")
    assert not first.endswith("\n\n")
    assert "\n\n\n" not in first


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc), "2026-01-02 03:04 UTC"),
        (
            datetime(2026, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=5, minutes=30))),
            "2026-01-02 03:04 +05:30",
        ),
        (
            datetime(2026, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=-3))),
            "2026-01-02 03:04 -03:00",
        ),
    ],
)
def test_when_keeps_the_offset(value: datetime, text: str) -> None:
    assert when(value) == text


def test_export_markdown_through_the_cli(ktcli: Any) -> None:
    assert ktcli("create", "--title", "a | b <i>", "--id", "pipes").code == 0
    res = ktcli("export", "pipes", "--format", "markdown")
    assert res.code == 0, res.err
    assert res.out.startswith("# a \\| b &lt;i&gt;\n")


@pytest.mark.parametrize(
    ("impact", "shown"),
    [("- half the orders", "\\- half the orders"), ("1. checkout, 2. login", "1\\. checkout")],
)
def test_a_business_impact_that_starts_like_a_list_stays_text(impact: str, shown: str) -> None:
    """Issue 16: '- ', '+ ' or '1. ' at the start became a Markdown list in the handoff."""
    from tests.factories import specified

    a = specified()
    a.business_impact = impact
    assert shown in to_markdown(a)
