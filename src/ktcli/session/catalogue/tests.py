"""Testing the causes: every cause against every answered row, on one matrix screen.

The grid is one question (kind ``matrix``): the screen (``ktcli.ui.matrix``)
moves over causes x rows, and every verdict it takes is applied and saved at
once through the question's board (see :class:`ktcli.session.questions.Board`).
After a fact rules a cause out, its other rows may be skipped: they are recorded
in ``Cause.skipped``, not as tested.
"""

from __future__ import annotations

from collections.abc import Iterator

from ktcli.core.analysis import answered_rows
from ktcli.core.model import Analysis, Cause, CauseTest
from ktcli.session.items import PENDING, Env, Item
from ktcli.session.questions import SKIP, Mark, Question, Value

#: The note of a verdict given without a reason (a reason is optional; an assumption is not).
NO_REASON = "(no reason given)"
VERDICT_VALUES = ("explains", "explains_only_if", "does_not_explain")


def decided(cause: Cause, row: str) -> bool:
    """The cell holds a verdict with its note (or its assumption), or was skipped on purpose."""
    if row in cause.skipped:
        return True
    test = cause.tests.get(row)
    return test is not None and test.note != PENDING


def open_cells(a: Analysis) -> Iterator[tuple[Cause, str]]:
    """The cells still to decide, cause by cause, row by row."""
    rows = [r.id for r in answered_rows(a)]
    for cause in a.causes:
        for row in rows:
            if not decided(cause, row):
                yield cause, row


def ruled_out(cause: Cause) -> bool:
    """A fact the cause cannot explain: its remaining rows may be skipped."""
    return any(t.verdict == "does_not_explain" for t in cause.tests.values())


def apply_mark(a: Analysis, m: Mark) -> str:
    """Record one decision of the matrix; the words for the history."""
    cause = a.cause(m.cause)
    if cause is None or a.row(m.row) is None:
        return ""
    if m.verdict == SKIP:
        if not ruled_out(cause) or m.row in cause.tests:
            return ""
        cause.skipped.append(m.row)
        return f"skipped {m.cause} against {m.row}: ruled out already"
    if m.verdict not in VERDICT_VALUES:
        return ""
    note = m.note.strip()
    if not note:
        note = PENDING if m.verdict == "explains_only_if" else NO_REASON
    if m.row in cause.skipped:
        cause.skipped.remove(m.row)
    cause.tests[m.row] = CauseTest(verdict=m.verdict, note=note)  # type: ignore[arg-type]
    if not ruled_out(cause):
        # The fact that ruled it out no longer does: the skipped rows are open again.
        cause.skipped.clear()
    words = m.verdict.replace("_", " ")
    return f"tested {m.cause} against {m.row}: {words}" + (f" ({note})" if m.note.strip() else "")


def iter_items(a: Analysis) -> Iterator[Item]:
    """The matrix, while any cause and answered row are to be tested."""
    if not a.causes or not answered_rows(a):
        return
    cells = len(a.causes) * len(answered_rows(a))
    yield Item(
        Question(
            "tests.matrix",
            "tests",
            "matrix",
            "If this were the true cause, how would it explain each IS and IS NOT?",
            hint=f"{len(a.causes)} causes x {cells // len(a.causes)} rows",
            field="causes",
        ),
        _all_decided,
        _nothing,
        after="ranking",
        deferrable=True,
        mark=apply_mark,
    )


def _all_decided(a: Analysis) -> bool:
    return next(open_cells(a), None) is None


def _nothing(a: Analysis, v: Value, env: Env) -> str:
    # Every verdict was applied (and saved) as it was made.
    return ""
