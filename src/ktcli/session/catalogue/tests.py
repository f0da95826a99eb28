"""Testing the causes: every cause against every answered row, a verdict and its reason."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ktcli.core.analysis import answered_rows
from ktcli.core.model import Analysis, Cause, CauseTest
from ktcli.session.items import PENDING, Env, Item, answer_text, cell_text
from ktcli.session.questions import Question, Value
from ktcli.session.wording import VERDICT_NOTE, VERDICTS


def iter_items(a: Analysis, *, unanswered_only: bool = False) -> Iterator[Item]:
    """A verdict and its reason for every cause against every answered row."""
    rows = answered_rows(a)
    facts = [
        (
            f"{row.label} - IS: {cell_text(row.is_)}",
            f"{row.label} - IS NOT: {cell_text(row.is_not)}",
        )
        for row in rows
    ]
    for cause in a.causes:
        for n, row in enumerate(rows):
            test = cause.tests.get(row.id)
            if unanswered_only and test is not None and test.note != PENDING:
                # Looking for the next question on a large grid: skip what is done
                # without building it (200 causes x 30 rows is 12,000 questions).
                continue
            context = (f"Cause {cause.id}: {cause.text}", *facts[n])

            def verdict(a: Analysis, v: Value, env: Env, c: str = cause.id, r: str = row.id) -> str:
                cz = a.cause(c)
                assert cz is not None
                old = cz.tests.get(r)
                note = old.note if old is not None and old.verdict == answer_text(v) else PENDING
                cz.tests[r] = CauseTest(verdict=answer_text(v), note=note)  # type: ignore[arg-type]
                return f"tested {c} against {r}: {answer_text(v).replace('_', ' ')}"

            yield Item(
                Question(
                    f"test.{cause.id}.{row.id}",
                    "tests",
                    "choice",
                    "If this is the true cause, how does it explain this IS and IS NOT?",
                    field=f"causes.{cause.id}.tests.{row.id}",
                    context=context,
                    default=test.verdict if test else None,
                    choices=VERDICTS,
                ),
                partial(_tested, cause=cause, row=row.id, note=False),
                verdict,
            )
            if test is None:
                continue

            def note(a: Analysis, v: Value, env: Env, c: str = cause.id, r: str = row.id) -> str:
                cz = a.cause(c)
                assert cz is not None
                cz.tests[r].note = answer_text(v)
                return f"{c} vs {r}: {answer_text(v)}"

            yield Item(
                Question(
                    f"test.{cause.id}.{row.id}.note",
                    "tests",
                    "text",
                    VERDICT_NOTE[test.verdict],
                    field=f"causes.{cause.id}.tests.{row.id}.note",
                    context=context,
                    default=test.note if test.note != PENDING else None,
                    # The analyst's own reasoning, not what a customer said: no probe
                    # ("it explains why checkout is slow" is not a vague complaint).
                ),
                partial(_tested, cause=cause, row=row.id, note=True),
                note,
                after="ranking" if n == len(rows) - 1 else None,
            )


def _tested(a: Analysis, *, cause: Cause, row: str, note: bool) -> bool:
    # Bound to the Cause object, not its id: a lookup by id per test made a 200 x 30
    # grid quadratic. Safe, because the items are rebuilt after every answer.
    test = cause.tests.get(row)
    return test is not None and (not note or test.note != PENDING)
