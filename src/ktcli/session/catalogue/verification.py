"""Verification: how to prove the likeliest cause, what it showed, the true cause."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Literal

from ktcli.core.analysis import (
    assess,
    confirm_problems,
    confirmed_verifications,
    most_probable,
    rank_causes,
    set_verification_status,
)
from ktcli.core.ids import next_id
from ktcli.core.model import Analysis, Cause, TrueCause, Verification
from ktcli.session.guide import NO_GUIDE, Guide
from ktcli.session.items import Env, Item, answer_text
from ktcli.session.questions import NO_CAUSAL, Choice, Depth, Question, Value

_SECTION = "verification"


def verification_target(a: Analysis, m: Depth) -> Cause | None:
    """The cause to verify: the most probable one; in quick mode, the likely cause."""
    if m == "quick":
        return a.causes[0] if a.causes else None
    best = most_probable(a)
    if best is not None:
        return best.cause
    ranked = [r for r in rank_causes(a) if r.group < 2]
    return ranked[0].cause if ranked else None


def iter_items(a: Analysis, m: Depth, guide: Guide = NO_GUIDE) -> Iterator[Item]:
    """How to verify the target cause, what it showed, and naming the true cause."""
    target = verification_target(a, m)
    if target is None:
        return
    yield from _plans(a, m, guide, target)
    if m == "quick":
        return
    if a.true_cause is None and _declined(a) and not _proof_planned(a, target):
        # "Not yet" to naming the true cause: then say how it will be proven, so the
        # plan is saved and resume (frontline or backline) opens on its result.
        yield _prove_item(target)
    for ver in [x for x in a.verifications if x.cause == target.id]:
        yield _result_item(ver)
        if ver.result:
            yield _status_item(ver)
    if a.true_cause is None and not confirm_problems(a, target.id):
        yield _true_cause_item(target)


def _plans(a: Analysis, m: Depth, guide: Guide, target: Cause) -> Iterator[Item]:
    """How to check each assumption the target's tests rest on; without any, the cause itself."""
    known = next((k for k in guide.causes if target.origin_ref == f"{guide.id}/{k.id}"), None)
    checks = [note for _, note in assess(a, target).assumptions] if m == "full" else []
    wanted = checks or [f"{target.id} is the true cause"]
    for n, what in enumerate(wanted):

        def plan(a: Analysis, v: Value, env: Env, c: str = target.id, w: str = what) -> str:
            existing = next((x for x in a.verifications if x.cause == c and x.checks == w), None)
            if existing is not None:
                existing.method = answer_text(v)
                return f"verification {existing.id}: {answer_text(v)}"
            new = Verification(
                id=next_id("v", [x.id for x in a.verifications]),
                cause=c,
                checks=w,
                method=answer_text(v),
            )
            a.verifications.append(new)
            return f"planned verification {new.id} of {c}: {answer_text(v)}"

        existing = next(
            (x for x in a.verifications if x.cause == target.id and x.checks == what), None
        )
        yield Item(
            Question(
                f"verify.{target.id}.{n + 1}",
                _SECTION,
                "text",
                "How will you confirm this, safely, before acting on it?"
                if not checks
                else "How will you check this assumption?",
                hint=f"the playbook says: {known.confirm}"
                if known and known.confirm
                else "observation, data or a safe experiment: 'roll one EU host back to build 41 "
                "and compare p95'",
                field="verifications",
                context=(f"Cause {target.id}: {target.text}", f"Check: {what}"),
                default=existing.method if existing else None,
                # How the analyst will check it: their own plan, not probed.
            ),
            partial(_planned, cause=target.id, checks=what),
            plan,
        )


def _result_item(ver: Verification) -> Item:
    def result(a: Analysis, v: Value, env: Env, vid: str = ver.id) -> str:
        x = next(x for x in a.verifications if x.id == vid)
        if not answer_text(v):
            return ""
        x.result = answer_text(v)
        return f"verification {vid} result: {answer_text(v)}"

    return Item(
        Question(
            f"verify.{ver.id}.result",
            _SECTION,
            "text",
            "What did it show? (Enter if it is still to do)",
            field=f"verifications.{ver.id}.result",
            context=(f"Verification {ver.id}: {ver.checks}", f"Method: {ver.method}"),
            default=ver.result,
            required=False,
            checks=NO_CAUSAL,
        ),
        partial(_verified, vid=ver.id, part="result"),
        result,
        given=lambda a: True,
        deferrable=True,
    )


def _status_item(ver: Verification) -> Item:
    def status(a: Analysis, v: Value, env: Env, vid: str = ver.id) -> str:
        x = next(x for x in a.verifications if x.id == vid)
        withdrawn = set_verification_status(
            a, vid, "confirmed" if answer_text(v) == "confirmed" else "refuted"
        )
        x.by, x.at = env.who, env.now
        if _TRUE_CAUSE_ID in a.progress:
            # A new result: naming the true cause is a fresh question again.
            a.progress.remove(_TRUE_CAUSE_ID)
        return withdrawn or f"verification {vid}: {x.status}"

    return Item(
        Question(
            f"verify.{ver.id}.status",
            _SECTION,
            "choice",
            "Did it confirm the cause?",
            field=f"verifications.{ver.id}.status",
            context=(f"Result: {ver.result}",),
            choices=(
                Choice("confirmed", "confirmed"),
                Choice("refuted", "refuted: the cause is not proven"),
            ),
        ),
        partial(_verified, vid=ver.id, part="status"),
        status,
    )


def _true_cause_item(target: Cause) -> Item:
    def name_it(a: Analysis, v: Value, env: Env, c: str = target.id) -> str:
        if v is not True:
            return ""
        a.true_cause = TrueCause(
            cause=c,
            verifications=confirmed_verifications(a, c),
            confirmed_by=env.who,
            confirmed_at=env.now,
        )
        return f"confirmed {c} as the true cause"

    return Item(
        Question(
            _TRUE_CAUSE_ID,
            _SECTION,
            "confirm",
            f"Record {target.id} as the true cause?",
            context=(f"Cause {target.id}: {target.text}",),
            field="true_cause",
            default=True,
        ),
        lambda a: a.true_cause is not None,
        name_it,
        tracked=True,
    )


_TRUE_CAUSE_ID = "verify.true_cause"


def _declined(a: Analysis) -> bool:
    return _TRUE_CAUSE_ID in a.progress


def _proof_checks(target: Cause) -> str:
    return f"{target.id} is the true cause"


def _proof_planned(a: Analysis, target: Cause) -> bool:
    checks = _proof_checks(target)
    return any(
        v.cause == target.id and v.checks == checks and v.status == "planned"
        for v in a.verifications
    )


def _prove_item(target: Cause) -> Item:
    checks = _proof_checks(target)

    def plan(a: Analysis, v: Value, env: Env) -> str:
        new = Verification(
            id=next_id("v", [x.id for x in a.verifications]),
            cause=target.id,
            checks=checks,
            method=answer_text(v),
        )
        a.verifications.append(new)
        return f"planned verification {new.id} of {target.id}: {answer_text(v)}"

    return Item(
        Question(
            f"verify.{target.id}.prove",
            _SECTION,
            "text",
            f"How will you prove {target.id} is the true cause?",
            hint="the observation, data or safe experiment that would settle it; "
            "it is saved as a planned step, and resume starts there",
            field="verifications",
            context=(f"Cause {target.id}: {target.text}",),
        ),
        lambda a: _proof_planned(a, target),
        plan,
    )


def _planned(a: Analysis, *, cause: str, checks: str) -> bool:
    return any(v.cause == cause and v.checks == checks for v in a.verifications)


def _verified(a: Analysis, *, vid: str, part: Literal["result", "status"]) -> bool:
    v = next((v for v in a.verifications if v.id == vid), None)
    if v is None:
        return False
    return bool(v.result) if part == "result" else v.status != "planned"
