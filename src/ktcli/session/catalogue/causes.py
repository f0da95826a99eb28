"""Possible causes: from the changes and distinctions, the playbook, and experience."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ktcli.core.ids import next_id
from ktcli.core.model import Analysis, Cause
from ktcli.session.guide import Guide
from ktcli.session.items import Env, Item, answer_text, retext
from ktcli.session.questions import NO_CAUSAL, Choice, Depth, Question, Value

_SECTION = "causes"


def iter_items(a: Analysis, m: Depth, guide: Guide) -> Iterator[Item]:
    """The likely cause (quick), or causes from changes, distinctions, playbook, experience."""
    if m == "quick":
        yield _likely_item(a, guide)
        return
    yield from _from_sources(a)
    if guide.causes:
        yield _playbook_item(guide)
    yield _more_item(a)


def _likely_item(a: Analysis, guide: Guide) -> Item:
    known = "; ".join(k.text for k in guide.causes)

    def likely(a: Analysis, v: Value, env: Env) -> str:
        if a.causes:
            a.causes[0].text = answer_text(v)
            return f"likely cause: {answer_text(v)}"
        c = _add_cause(a, answer_text(v), "experience", None)
        return f"added the likely cause {c.id}: {c.text}"

    return Item(
        Question(
            "cause.likely",
            _SECTION,
            "text",
            "What is the likely cause?",
            hint=f"known for this product: {known}"
            if known
            else "from experience with tickets like this: 'expired TLS certificate on eu-lb'",
            field="causes",
            default=a.causes[0].text if a.causes else None,
            checks=NO_CAUSAL,
        ),
        lambda a: bool(a.causes),
        likely,
    )


def _from_sources(a: Analysis) -> Iterator[Item]:
    """One question per change, and per distinction that no change is linked to."""
    sources: list[tuple[str, str, str]] = [("change", c.id, c.text) for c in a.changes]
    linked = {c.distinction for c in a.changes}
    sources += [("distinction", d.id, d.text) for d in a.distinctions if d.id not in linked]
    for origin, ref, text in sources:

        def from_it(a: Analysis, v: Value, env: Env, o: str = origin, r: str = ref) -> str:
            if not answer_text(v):
                return ""
            c = _add_cause(a, answer_text(v), o, r)
            return f"added a possible cause {c.id}: {c.text}"

        yield Item(
            Question(
                f"cause.from.{ref}",
                _SECTION,
                "text",
                "How could this have produced the deviation? (Enter to skip)",
                hint="one mechanism: 'build 42 pools DB connections per host; busy hosts wait'",
                field="causes",
                context=(f"{origin.capitalize()} {ref}: {text}",),
                required=False,
                checks=NO_CAUSAL,
            ),
            partial(_has_cause_from, ref=ref),
            from_it,
            tracked=True,
            given=lambda a: bool(a.causes),
            refine=retext(lambda a: a.causes),
        )


def _playbook_item(guide: Guide) -> Item:
    def pick(a: Analysis, v: Value, env: Env) -> str:
        chosen = v if isinstance(v, tuple) else ()
        added = []
        for known in guide.causes:
            ref = f"{guide.id}/{known.id}"
            if known.id in chosen and not any(c.origin_ref == ref for c in a.causes):
                added.append(_add_cause(a, known.text, "playbook", ref).id)
        return f"added playbook causes: {', '.join(added) or 'none'}"

    return Item(
        Question(
            "cause.playbook",
            _SECTION,
            "checkbox",
            "Which known causes from the playbook could fit?",
            field="causes",
            choices=tuple(Choice(k.id, k.text) for k in guide.causes),
            required=False,
        ),
        lambda a: False,
        pick,
        tracked=True,
        given=lambda a: bool(a.causes),
    )


def _more_item(a: Analysis) -> Item:
    def more(a: Analysis, v: Value, env: Env) -> str:
        if not answer_text(v):
            return ""
        c = _add_cause(a, answer_text(v), "experience", None)
        return f"added a possible cause {c.id}: {c.text}"

    return Item(
        Question(
            "cause.more",
            _SECTION,
            "text",
            "Another possible cause, from knowledge or experience? (Enter when done)"
            if a.causes
            else "A possible cause, from knowledge or experience?",
            hint="each one a mechanism that could produce exactly this deviation",
            field="causes",
            required=not a.causes,
            checks=NO_CAUSAL,
        ),
        lambda a: False,
        more,
        tracked=True,
        given=lambda a: bool(a.causes),
        loop=True,
        refine=retext(lambda a: a.causes),
    )


def _add_cause(a: Analysis, text: str, origin: str, ref: str | None) -> Cause:
    cause = Cause(
        id=next_id("c", [c.id for c in a.causes]),
        text=text,
        origin=origin,  # type: ignore[arg-type]
        origin_ref=ref,
    )
    a.causes.append(cause)
    return cause


def _has_cause_from(a: Analysis, *, ref: str) -> bool:
    return any(c.origin_ref == ref for c in a.causes)
