"""Closing rules: what is still missing before an analysis may close. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ktcli.core.model import Analysis


@dataclass(frozen=True)
class Problem:
    """A reason an analysis may not close yet, and what to do about it."""

    kind: Literal["true_cause", "verification", "corrective", "confirmation"]
    message: str
    hint: str


def closing_problems(a: Analysis, customer_confirmation: str | None) -> list[Problem]:
    """What is missing before ``a`` may close: proof, the fix, and the customer's word.

    Only a corrective action counts as the fix: an interim action restores
    service but leaves the cause in place, and a preventive one guards the future.
    """
    problems: list[Problem] = []
    tc = a.true_cause
    if tc is None:
        problems.append(
            Problem(
                "true_cause",
                "no true cause confirmed yet",
                f"Verify a cause, then 'ktcli confirm {a.id} CAUSE'.",
            )
        )
    else:
        recorded = [v for v in a.verifications if v.id in tc.verifications]
        if not any(v.status == "confirmed" and v.cause == tc.cause for v in recorded):
            problems.append(
                Problem(
                    "verification",
                    f"true cause {tc.cause} has no recorded, confirmed verification",
                    f"Record one: 'ktcli verify {a.id} {tc.cause} --checks ... --method ... "
                    f"--result ... --status confirmed', then 'ktcli confirm {a.id} {tc.cause}'.",
                )
            )
    if not any(x.kind == "corrective" for x in a.actions):
        interim = sum(1 for x in a.actions if x.kind == "interim")
        note = f" ({interim} interim action(s) restore service but do not remove the cause)"
        problems.append(
            Problem(
                "corrective",
                "no corrective action" + (note if interim else ""),
                f"Record the fix: 'ktcli action {a.id} corrective \"...\" --done'.",
            )
        )
    if not (customer_confirmation or "").strip():
        problems.append(
            Problem(
                "confirmation",
                "no confirmation from the customer that the fix works",
                'Pass --customer-confirmation "what the customer said, and when".',
            )
        )
    return problems
