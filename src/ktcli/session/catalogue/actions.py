"""Actions: interim, corrective, preventive, each with an owner in full mode."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ktcli.core.ids import next_id
from ktcli.core.model import Action, Analysis
from ktcli.session.items import Env, Item, answer_text, retext
from ktcli.session.questions import NO_CAUSAL, Depth, Question, Value


def iter_items(a: Analysis, m: Depth) -> Iterator[Item]:
    """One question per kind of action, and in full mode the owner of each action."""
    kinds: list[tuple[str, str, str]] = [
        (
            "interim",
            "What restores service now, while the cause is worked on?",
            "'route EU checkout through the US pool'",
        )
    ]
    if m == "full":
        kinds.append(
            ("corrective", "What removes the true cause?", "'fix the pool size in build 43'")
        )
        kinds.append(
            (
                "preventive",
                "What stops it coming back, here and elsewhere?",
                "'load test every build with the EU traffic shape'",
            )
        )
    for kind, text, example in kinds:

        def add(a: Analysis, v: Value, env: Env, k: str = kind) -> str:
            if not answer_text(v):
                return ""
            act = Action(id=next_id("a", [x.id for x in a.actions]), kind=k, text=answer_text(v))  # type: ignore[arg-type]
            a.actions.append(act)
            return (
                f"added an {k} action: {act.text}"
                if k == "interim"
                else f"added a {k} action: {act.text}"
            )

        yield Item(
            Question(
                f"action.{kind}",
                "actions",
                "text",
                f"{text} (Enter if none yet)",
                hint=f"e.g. {example}",
                field="actions",
                required=False,
                checks=NO_CAUSAL,
            ),
            partial(_has_action, kind=kind),
            add,
            tracked=True,
            given=lambda a: bool(a.actions),
            refine=retext(lambda a: a.actions),
        )
    if m == "full":
        for act in a.actions:

            def owner(a: Analysis, v: Value, env: Env, aid: str = act.id) -> str:
                x = next(x for x in a.actions if x.id == aid)
                x.owner = answer_text(v) or None
                return f"action {aid} owner: {answer_text(v) or 'none'}"

            yield Item(
                Question(
                    f"action.{act.id}.owner",
                    "actions",
                    "text",
                    "Who owns it?",
                    context=(f"{act.kind.capitalize()} action {act.id}: {act.text}",),
                    field=f"actions.{act.id}.owner",
                    default=act.owner,
                    required=False,
                ),
                partial(_owned, aid=act.id),
                owner,
                tracked=True,
                given=lambda a: True,
            )


def _has_action(a: Analysis, *, kind: str) -> bool:
    return any(x.kind == kind for x in a.actions)


def _owned(a: Analysis, *, aid: str) -> bool:
    return any(x.id == aid and x.owner for x in a.actions)
