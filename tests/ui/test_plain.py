"""Large analyses in ``show``: the same content as rich's tables, laid out as plain lines."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from ktcli.core.analysis import set_test
from ktcli.core.document import to_yaml
from ktcli.core.model import Analysis, Cause
from ktcli.ui import render
from ktcli.ui.plain import wrap
from ktcli.ui.terminal import Terminal
from tests.conftest import Run
from tests.factories import specified, with_cause
from tests.ui.test_render import text_of

BOX = re.compile(r"[─│╭╮╰╯├┤┬┴┼]+")


def large(causes: int = render.LARGE_CAUSES + 1) -> Analysis:
    """Enough causes for the plain layout, with every kind of note and a long cause."""
    a = specified("large")
    for n in range(1, causes + 1):
        with_cause(a, f"c{n}", {"what-object": "explains_only_if", "where-location": "untested"})
    set_test(a, "c3", "what-deviation", "does_not_explain", "not on this path")
    long_word = "x" * 150
    a.causes.append(Cause(id="c-long", text=f"a cause with a long word {long_word} in it"))
    set_test(a, "c-long", "what-object", "does_not_explain", "漢字のメモ、幅の広い文字")
    return a


def words(text: str) -> list[str]:
    """The words a reader sees, whatever the layout: no box lines, sorted.

    A word longer than the width is folded by either layout, so runs of x are left out.
    """
    return sorted(BOX.sub(" ", re.sub("x{2,}", "", text)).split())


@pytest.mark.parametrize("width", [60, 80, 160])
def test_large_sections_fit_the_width(width: int) -> None:
    a = large()
    for text in (
        text_of(render.render_ranking(a), width=width),
        text_of(render.render_analysis(a), width=width),
    ):
        assert all(cell_len(line) <= width for line in text.splitlines())
        assert "漢字のメモ" in text


def test_large_sections_keep_every_word_of_the_rich_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    # At 120 columns rich folds no word but the long one, so the words can be compared.
    a = large()
    plain_show = text_of(render.render_analysis(a), width=120)
    monkeypatch.setattr(render, "LARGE_CAUSES", 10_000)
    rich_show = text_of(render.render_analysis(a), width=120)
    assert plain_show != rich_show
    assert words(plain_show) == words(rich_show)


def test_the_plain_ranking_keeps_notes_under_their_cause() -> None:
    text = text_of(render.render_ranking(large()), width=100)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^ 1\s+c\S+\s", line))
    cause_column = lines[start].index(lines[start].split()[2])
    notes = [line for line in lines[start + 1 : start + 4] if line.strip()]
    assert notes
    for line in notes:
        # A note's symbol sits in the id column, its text where the cause's text starts.
        assert line[cause_column - 1] == " "
        assert line[cause_column] != " " or line[:cause_column].strip() == ""


def test_a_small_analysis_keeps_rich_tables() -> None:
    a = specified("small")
    with_cause(a, "c1")
    assert "╭" in text_of(render.render_analysis(a))  # the matrix, as before
    assert render.LARGE_CAUSES >= 8


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("one two three", 7, ["one two", "three"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("漢字漢字", 4, ["漢字", "漢字"]),
        ("a\nb", 10, ["a", "b"]),
        ("", 5, [""]),
    ],
)
def test_wrap(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines


def rich_printed(console: Console, renderable: object) -> str:
    with console.capture() as captured:
        console.print(renderable)
    return captured.get()


@pytest.mark.parametrize("width", [30, 60, 160])
@pytest.mark.parametrize(
    ("color", "no_color"), [(None, False), ("truecolor", False), ("256", True)]
)
def test_plain_tables_drawn_without_rich_print_what_rich_prints(
    width: int, color: str | None, no_color: bool
) -> None:
    # At 30 columns the causes' header and the grid are wider than the screen: cut as rich cuts.
    console = Console(
        file=io.StringIO(),
        width=width,
        force_terminal=color is not None,
        color_system=color,  # type: ignore[arg-type]
        no_color=no_color,
        highlight=False,
        soft_wrap=False,
    )
    a = large()
    a.causes[0].id = "a-long-cause-id"  # a grid wider than 30 columns
    expected = rich_printed(console, render.render_analysis(a))
    assert Terminal(out=console).text(render.render_analysis(a)) == expected
    if color:
        assert "\x1b[1m" in expected  # bold headers: the escape codes are compared too


def test_without_a_plain_table_rich_prints_it_all() -> None:
    console = Console(file=io.StringIO(), width=80, highlight=False, soft_wrap=False)
    parts = (Text("one"), Text("two"))  # rich joins texts given together on one line
    assert Terminal(out=console).text(*parts) == rich_printed(console, Text("one two"))


def test_piped_show_of_a_large_analysis_is_plain(ktcli: Run, store_dir: Path) -> None:
    store_dir.mkdir(parents=True, exist_ok=True)
    (store_dir / "large.yaml").write_text(to_yaml(large()), encoding="utf-8")
    res = ktcli("show", "large")
    assert res.code == 0, res.err
    lines = res.out.splitlines()
    assert not [n for n, line in enumerate(lines) if line != line.rstrip()], "trailing spaces"
    assert not any("\u2500" <= ch <= "\u257f" for ch in res.out), "box-drawing when piped"
    assert " c-long " in res.out
    assert "漢字のメモ" in res.out
