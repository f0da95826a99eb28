"""The statement's questions."""

from __future__ import annotations

from ktcli.core.model import Fact
from tests.session.scripts import QUICK, drive, fresh


def test_a_statement_from_a_file_gets_its_what_rows_from_the_source_question() -> None:
    a = fresh()
    a.business_impact = "lost orders"
    a.appraisal.depth_reason = "known fix"
    a.progress.append("appraisal.depth_reason")
    from ktcli.core.model import Statement

    a.statement = Statement(object="Order API", deviation="answers in 5 s")
    answers = {
        k: v
        for k, v in QUICK.items()
        if not k.startswith(("impact", "appraisal", "statement.o", "statement.d"))
    }
    _, prompter, _ = drive(a, answers)
    assert prompter.ids[0] == "statement.source"
    row = a.row("what-deviation")
    assert row is not None
    assert row.is_ == Fact(text="answers in 5 s", source="customer call, J. Roe")
