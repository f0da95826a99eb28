"""Closing rules: what is still missing before an analysis may close. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ktcli.core.gates import check

if TYPE_CHECKING:
    from ktcli.core.model import Analysis


@dataclass(frozen=True)
class Problem:
    """A reason an analysis may not close yet, and what to do about it."""

    kind: Literal["true_cause", "verification", "corrective", "confirmation", "gate"]
    message: str
    hint: str


#: Gates about a closed analysis itself: they judge how it was closed, not whether it may.
_ABOUT_CLOSING = ("KT107", "KT108")


def closing_problems(
    a: Analysis, customer_confirmation: str | None, fix_tracked_in: str | None = None
) -> list[Problem]:
    """What is missing before ``a`` may close: proof, the fix, the gates and the customer's word.

    Only a corrective action counts as the fix: an interim action restores
    service but leaves the cause in place, and a preventive one guards the future.
    The fix must be done, or the analyst names where the open one is tracked
    (``fix_tracked_in``, e.g. a problem ticket). Every quality gate must pass.
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
    problems += _fix_problems(a, fix_tracked_in)
    problems += [
        Problem(
            "gate",
            f"quality gate {f.rule} fails: {f.message}",
            f"See 'ktcli check {a.id}'.",
        )
        for f in check(a)
        if f.rule not in _ABOUT_CLOSING
    ]
    if not (customer_confirmation or "").strip():
        problems.append(
            Problem(
                "confirmation",
                "no confirmation from the customer that the fix works",
                'Pass --customer-confirmation "what the customer said, and when".',
            )
        )
    return problems


def _fix_problems(a: Analysis, fix_tracked_in: str | None) -> list[Problem]:
    corrective = [x for x in a.actions if x.kind == "corrective"]
    if not corrective:
        interim = sum(1 for x in a.actions if x.kind == "interim")
        note = f" ({interim} interim action(s) restore service but do not remove the cause)"
        return [
            Problem(
                "corrective",
                "no corrective action" + (note if interim else ""),
                f"Record the fix: 'ktcli action {a.id} corrective \"...\" --done'.",
            )
        ]
    if any(x.status == "done" for x in corrective) or (fix_tracked_in or "").strip():
        return []
    open_ = ", ".join(f"{x.id} ({x.status.replace('_', ' ')})" for x in corrective)
    return [
        Problem(
            "corrective",
            f"no corrective action is done yet: {open_}",
            "Finish it ('ktcli action ... --done'), or name where the open fix is tracked: "
            "--fix-tracked-in PRB-123.",
        )
    ]
