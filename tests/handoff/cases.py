"""Analyses the handoff rules are tested on."""

from __future__ import annotations

from ktcli.core.model import Action, Analysis, NeedData, TrueCause, Verification
from tests.factories import T0, fact, specified, with_cause


def proven(analysis_id: str = "a1") -> Analysis:
    """Every row answered or marked, c1 verified and confirmed, c2 ruled out, a fix done."""
    a = specified(analysis_id)
    for row in a.specification:
        if isinstance(row.is_not, NeedData):
            row.is_not = fact(f"is not {row.id}")
    answered = [r.id for r in a.specification if r.answered]
    with_cause(a, "c1", {answered[0]: "explains_only_if"})
    with_cause(a, "c2", {answered[1]: "does_not_explain"})
    a.verifications.append(
        Verification(
            id="v1", cause="c1", checks="the deploy log", method="read it", status="confirmed"
        )
    )
    a.true_cause = TrueCause(cause="c1", verifications=["v1"], confirmed_by="bob", confirmed_at=T0)
    a.actions += [
        Action(id="a1", kind="interim", text="restart the pool", status="done"),
        Action(id="a2", kind="corrective", text="roll back build 42", status="done"),
        Action(id="a3", kind="preventive", text="canary every build", status="planned"),
    ]
    return a
