"""What is known, what is open, and the next commands: ``ktcli status``, like git status. Pure.

The session ends with it and ``check`` points to it, so nobody reads "all gates
pass" as "done" while the cause is unconfirmed or data is still outstanding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ktcli.core import deciding
from ktcli.core.analysis import (
    answered_rows,
    confirmed_verifications,
    most_probable,
    rank_causes,
    specified_rows,
    top_tie,
)
from ktcli.core.gates import check
from ktcli.core.model import NeedData

if TYPE_CHECKING:
    from ktcli.core.model import Analysis

OpenKind = Literal[
    "statement", "data", "untested", "tie", "verify", "result", "confirm", "request",
    "action", "question", "gate",
]  # fmt: skip


@dataclass(frozen=True)
class Open:
    """One thing still open, and the command that moves it on."""

    kind: OpenKind
    text: str
    command: str


@dataclass
class Status:
    """An analysis at a glance: its state, what is known, what is open."""

    id: str
    state: str
    title: str
    known: list[str] = field(default_factory=list)
    open: list[Open] = field(default_factory=list)

    @property
    def next_commands(self) -> list[str]:
        """The commands of the first open items, without repeats."""
        return list(dict.fromkeys(o.command for o in self.open if o.command))[:3]


def status(a: Analysis) -> Status:
    """What is known, what is open (in the order to work on it), and what to run next."""
    depth = a.appraisal.depth or "depth not chosen"
    title = f"{a.title} ({a.ticket})" if a.ticket else a.title
    out = Status(a.id, f"{a.status}, {depth}", title, known=_known(a))
    if a.status == "closed":
        return out
    for part in (_spec_open, _cause_open, _verify_open, _work_open, _gate_open):
        out.open += part(a)
    return out


def _known(a: Analysis) -> list[str]:
    known = []
    if a.statement is not None:
        known.append(f"statement: {a.statement.text}")
    rows = specified_rows(a)
    known.append(f"facts: {len(answered_rows(a))} of {len(rows)} rows hold a fact")
    if a.causes:
        known.append(f"causes: {len(a.causes)} listed")
    best, tie = most_probable(a), top_tie(a)
    if tie is not None:
        known.append("most probable: a tie between " + " and ".join(r.cause.id for r in tie.causes))
    elif best is not None:
        known.append(
            f"most probable: {best.cause.id} {best.cause.text} "
            f"({len(best.assumptions)} assumption(s))"
        )
    if a.true_cause is not None:
        known.append(f"true cause: {a.true_cause.cause}, confirmed by {a.true_cause.confirmed_by}")
    done = [x.id for x in a.actions if x.status == "done"]
    if done:
        known.append(f"actions done: {', '.join(done)}")
    known += _deciding_known(a)
    if a.closure is not None:
        known.append(f"closed by {a.closure.by}")
        if a.closure.fix_tracked_in:
            known.append(f"open fix tracked in {a.closure.fix_tracked_in}")
    return known


def _deciding_known(a: Analysis) -> list[str]:
    """The decision and the protected plan, when the analysis has them."""
    known = []
    d = a.decision
    if d is not None:
        picked, top = deciding.chosen(d), deciding.top_option(d)
        if picked is not None:
            known.append(f"decision: chose {picked.id} {picked.text}")
        elif top is not None:
            known.append(f"decision: {top.option.id} leads ({top.total} points), not chosen yet")
        else:
            known.append(f"decision: {len(d.options)} option(s), none ranked yet")
    p = a.protection
    if p is not None:
        problems = list(deciding.potential_problems(p))
        open_ = len(deciding.unprotected(a))
        known.append(
            f"protected plan: {len(p.steps)} step(s), {len(problems)} potential problem(s)"
            + (f", {open_} serious one(s) without an action" if open_ else "")
        )
    return known


def _spec_open(a: Analysis) -> list[Open]:
    found = []
    if a.statement is None:
        found.append(
            Open(
                "statement",
                "no problem statement",
                f"ktcli statement {a.id} --object ... --deviation ...",
            )
        )
    for row in specified_rows(a):
        for side, cell in (("is", row.is_), ("is-not", row.is_not)):
            if isinstance(cell, NeedData):
                found.append(
                    Open(
                        "data",
                        f"{row.label} {side.upper()}: needs data ({cell.who}: {cell.how})",
                        f"ktcli fact {a.id} {row.id} ... --side {side} --source ...",
                    )
                )
    return found


def _cause_open(a: Analysis) -> list[Open]:
    found = []
    for ranked in rank_causes(a):
        if ranked.untested and ranked.group < 2:
            row = ranked.untested[0]
            found.append(
                Open(
                    "untested",
                    f"cause {ranked.cause.id} not tested against {', '.join(ranked.untested)}",
                    f"ktcli test {a.id} {ranked.cause.id} {row} --explains ...",
                )
            )
    tie = top_tie(a)
    if tie is not None:
        ids = " and ".join(r.cause.id for r in tie.causes)
        found.append(
            Open(
                "tie",
                f"{ids} tie for most probable: find a fact that separates them, or verify one",
                f"ktcli verify {a.id} {tie.causes[0].cause.id} --checks ... --method ...",
            )
        )
    return found


def _verify_open(a: Analysis) -> list[Open]:
    best = most_probable(a)
    if best is None or a.true_cause is not None:
        return []
    cause = best.cause.id
    planned = [v for v in a.verifications if v.cause == cause and v.status == "planned"]
    if planned:
        return [
            Open(
                "result",
                f"verification {v.id} of {cause} planned: {v.checks} ({v.method})",
                f"ktcli verify {a.id} {cause} --step {v.id} --status confirmed --result ...",
            )
            for v in planned
        ]
    if confirmed_verifications(a, cause):
        return [
            Open(
                "confirm",
                f"{cause} is verified but not confirmed as the true cause",
                f"ktcli confirm {a.id} {cause}",
            )
        ]
    return [
        Open(
            "verify",
            f"most probable cause {cause} is not verified: plan how to prove it",
            f"ktcli verify {a.id} {cause} --checks ... --method ...",
        )
    ]


def _work_open(a: Analysis) -> list[Open]:
    found = [
        Open(
            "request",
            f"data request {r.id} outstanding: {r.what} (from {r.requested_from})",
            f"ktcli request {a.id} --id {r.id} --received ...",
        )
        for r in a.data_requests
        if r.outstanding
    ]
    found += [
        Open(
            "action",
            f"{x.kind} action {x.id} {x.status.replace('_', ' ')}: {x.text}",
            f"ktcli action {a.id} --id {x.id} --done",
        )
        for x in a.actions
        if x.status != "done"
    ]
    # No command answers an open question yet: it is listed, with its owner.
    found += [
        Open("question", f"open question {q.id}: {q.text} (owner: {q.owner or 'nobody'})", "")
        for q in a.open_questions
        if not q.answer
    ]
    return found


def _gate_open(a: Analysis) -> list[Open]:
    return [
        Open("gate", f"{f.rule}: {f.message}", f"ktcli check {a.id}")
        for f in check(a)
        if f.rule not in ("KT101", "KT106", "KT112")  # already listed above, one by one
    ]


def status_lines(s: Status) -> list[str]:
    """The status as plain lines for a terminal or a pipe (no colours, no trailing spaces)."""
    lines = [f"{s.id}: {s.state} · {s.title}", "", "Known:"]
    lines += [f"  {k}" for k in s.known] or ["  nothing yet"]
    lines.append("")
    if not s.open:
        lines.append("Nothing open." if s.state.startswith("closed") else "Nothing open: close it.")
        return lines
    lines.append(f"Open ({len(s.open)}):")
    for item in s.open:
        lines.append(f"  - {item.text}")
        if item.command:
            lines.append(f"      {item.command}")
    lines += ["", "Next:"] + [f"  {c}" for c in s.next_commands]
    return lines
