"""The customer's status update: what we know, what we ruled out, what we do next. Pure.

Internal words (IS NOT, cause ids, gates, verdicts) never appear: only the
analysts' own texts, framed in plain sentences.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ktcli.core.analysis import answered_rows, rank_causes
from ktcli.core.model import Fact
from ktcli.core.vocabulary import ACTION_KIND_TITLES, ACTION_STATUS_LABELS
from ktcli.handoff.mdtext import inline

if TYPE_CHECKING:
    from ktcli.core.model import Analysis, Row
    from ktcli.core.vocabulary import ActionKind

#: Plain words for the standard rows; playbook rows use their label without the dimension.
_PLAIN_ROW: dict[str, str] = {
    "what-object": "Affected",
    "what-deviation": "What goes wrong",
    "where-location": "Where it happens",
    "where-on-object": "Where exactly",
    "when-first": "First seen",
    "when-pattern": "How often since",
    "when-lifecycle": "At what point",
    "extent-objects": "How many are affected",
    "extent-size": "How large the problem is",
    "extent-per-object": "How often per item",
    "extent-trend": "Trend",
}


def _plain_label(row: Row) -> str:
    if row.id in _PLAIN_ROW:
        return _PLAIN_ROW[row.id]
    label = row.label.split(":", 1)[-1].strip()
    return label[:1].upper() + label[1:]


@dataclass(frozen=True)
class CustomerUpdate:
    """The four parts of a status update, each a list of plain sentences."""

    title: str
    problem: str | None
    known: list[str]
    ruled_out: list[str]
    next_steps: list[str]
    next_update: str


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def customer_update(a: Analysis, *, next_update: str | None = None) -> CustomerUpdate:
    """What we know, what we ruled out and why, what we do next, and when we write again.

    Internal words (IS NOT, cause ids, gates, verdicts) never appear: only the
    analysts' own texts, framed in plain sentences.
    """
    title = f"{a.ticket}: {a.title}" if a.ticket else a.title
    problem = None
    if a.statement is not None:
        # "Order API: answers in more than 5 s": the colon reads right whether or not
        # the deviation starts with a verb.
        problem = _sentence(f"{a.statement.object}: {a.statement.deviation}")
    known: list[str] = []
    if a.business_impact:
        known.append(_sentence(f"Impact on your business: {a.business_impact}"))
    for row in answered_rows(a):
        if not isinstance(row.is_, Fact):
            continue
        sentence = f"{_plain_label(row)}: {row.is_.text}"
        if isinstance(row.is_not, Fact):
            sentence += _but_not(row.is_not.text)
        known.append(_sentence(sentence))
    for req in a.data_requests:
        if req.received_at is not None and req.result:
            known.append(_sentence(f"From {req.plain_what}: {req.result}"))

    ruled_out: list[str] = []
    refuted = {v.cause: v for v in a.verifications if v.status == "refuted"}
    for ranked in rank_causes(a):
        cause = ranked.cause
        if ranked.contradictions:
            why = "; ".join(note for _, note in ranked.contradictions)
            ruled_out.append(_sentence(f"{cause.text}: ruled out, because {why}"))
        elif cause.id in refuted:
            v = refuted[cause.id]
            found = v.result or "it did not hold"
            ruled_out.append(_sentence(f"{cause.text}: ruled out; we checked {v.checks}: {found}"))

    next_steps = _next_steps(a)
    default = "none planned" if a.status == "closed" else "as soon as we learn something new"
    when = next_update or default
    return CustomerUpdate(title, problem, known, ruled_out, next_steps, when)


#: The customer's words for each kind: a sentence lead, not the label (ACTION_KIND_TITLES).
_ACTION_LEAD: dict[ActionKind, str] = {
    "interim": "To keep you running in the meantime",
    "corrective": "To remove the cause",
    "preventive": "To stop it from happening again",
    "contingent": "Should it go wrong anyway",
}


def _actions(a: Analysis) -> list[str]:
    """Actions by kind, interim first: a workaround is never presented as the fix.

    What was chosen, and the contingent actions with their triggers, come as one
    sentence ("we chose X because ...; if Y, we will Z"), from handoff/decision_md.py.
    """
    from ktcli.handoff.decision_md import plan_sentence

    plan = plan_sentence(a)
    return [
        _sentence(f"{_ACTION_LEAD[kind]}: {act.text} ({ACTION_STATUS_LABELS[act.status]})")
        for kind in ACTION_KIND_TITLES
        for act in a.actions
        if act.kind == kind and kind != "contingent"
    ] + ([plan] if plan else [])


def _next_steps(a: Analysis) -> list[str]:
    steps: list[str] = []
    cause = a.cause(a.true_cause.cause) if a.true_cause is not None else None
    if a.status == "closed":
        if cause is not None:
            steps.append(_sentence(f"The cause was: {cause.text}"))
        steps += _actions(a)
        tracked = a.closure.fix_tracked_in if a.closure is not None else None
        if tracked:
            steps.append(
                _sentence(
                    f"The permanent fix is tracked in {tracked}; we will tell you when it is "
                    "in place"
                )
            )
        steps.append("This case is closed. Tell us at once if the problem comes back.")
        return steps
    if a.escalations and a.status == "escalated":
        steps.append(
            _sentence(
                f"Your case is now with our {_team(a.escalations[-1].to)}. They continue from "
                "everything you have already told us, so you will not be asked the same "
                "questions again"
            )
        )
    if cause is not None:
        steps.append(_sentence(f"We have confirmed the cause: {cause.text}"))
    else:
        refuted = {v.cause for v in a.verifications if v.status == "refuted"}
        leading = [r for r in rank_causes(a) if not r.contradictions and r.cause.id not in refuted]
        if leading:
            steps.append(
                _sentence(f"Our leading explanation, not yet proven: {leading[0].cause.text}")
            )
        steps += [_sentence(f"We are checking {v.checks}") for v in a.verifications
                  if v.status == "planned"]  # fmt: skip
    steps += _actions(a)
    steps += [
        # The customer reads what we wait for, never the commands meant for analysts.
        _sentence(f"We are waiting for {req.plain_what} from {req.requested_from}")
        for req in a.data_requests
        if req.outstanding
    ]
    return steps or ["We are collecting the facts of the problem."]


#: Plain-text updates go into e-mails and ticket comments: wrap like an e-mail.
_WIDTH = 76


def update_text(u: CustomerUpdate) -> str:
    """The status update as plain text, for an e-mail or a ticket comment."""
    out = [f"Status update: {u.title}", ""]
    if u.problem:
        out += [
            "The problem",
            *textwrap.wrap(u.problem, _WIDTH, initial_indent="  ", subsequent_indent="  "),
            "",
        ]
    sections = (
        ("What we know", u.known or ["We are still collecting the facts."]),
        ("What we have ruled out, and why", u.ruled_out or ["Nothing yet."]),
        ("What we are doing next", u.next_steps),
    )
    for heading, lines in sections:
        out.append(heading)
        for line in lines:
            out += textwrap.wrap(line, _WIDTH, initial_indent="  - ", subsequent_indent="    ")
        out.append("")
    out += ["Next update", f"  {_sentence(u.next_update[:1].upper() + u.next_update[1:])}", ""]
    return "\n".join(out)


def update_markdown(u: CustomerUpdate) -> str:
    """The status update as GitHub-flavoured Markdown, user text escaped."""
    out = [f"## Status update: {inline(u.title)}", ""]
    if u.problem:
        out += ["**The problem:** " + inline(u.problem), ""]
    sections = (
        ("What we know", u.known or ["We are still collecting the facts."]),
        ("What we have ruled out, and why", u.ruled_out or ["Nothing yet."]),
        ("What we are doing next", u.next_steps),
    )
    for heading, lines in sections:
        out += [f"### {heading}", ""]
        out += [f"- {inline(line)}" for line in lines]
        out.append("")
    nxt = _sentence(u.next_update[:1].upper() + u.next_update[1:])
    out += ["### Next update", "", inline(nxt), ""]
    return "\n".join(out)


_NEGATIONS = ("not ", "no ", "never ", "none ", "nothing ", "nobody ", "without ")


def _but_not(text: str) -> str:
    """The IS NOT after its IS, without a double negative ("but not: not worse")."""
    if text.lower().startswith(_NEGATIONS):
        return f" ({text})"
    return f" (but not {text})"


def _team(name: str) -> str:
    """A team's name as a sentence needs it: "Payments team" as it is, "DB" as "DB team"."""
    return name if name.lower().rstrip(".").endswith("team") else f"{name} team"
