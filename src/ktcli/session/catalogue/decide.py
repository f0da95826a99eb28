"""Decision Analysis, guided: statement, MUSTs, WANTs, options, the leaders' risks, the choice.

Options are screened against the MUSTs and scored against the weighted WANTs.
Asked only once the analysis holds a decision (``ktcli decide ID`` starts one).
An option a MUST screened out is asked nothing more; risks are asked for the
leaders once every option still in is scored, so they are weighed before the
choice. Numbers (weights, scores) are typed: "8" and Enter.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ktcli.core import deciding
from ktcli.core.ids import next_id
from ktcli.core.model import Analysis, Choice, Decision, Must, Option, Risk, Score, Screen, Want
from ktcli.session.items import Env, Item, answer_text
from ktcli.session.questions import ALL_CHECKS, NO_CAUSAL, Question, Value
from ktcli.session.questions import Choice as Pick
from ktcli.session.wording import RATINGS

SEC = "decide"
PASS_FAIL = (Pick("pass", "passes"), Pick("fail", "fails: the option is out"))


def iter_items(a: Analysis) -> Iterator[Item]:
    """Every question of the decision, for the decision as it stands."""
    d = a.decision
    if d is None:
        return
    yield _statement(d)
    yield _loop(
        "must", "A MUST: mandatory and measurable (Enter when there are no more)", _add_must
    )
    yield _loop(
        "want", "A WANT: what would be good to have (Enter when there are no more)", _add_want
    )
    yield from _weights(d)
    yield _loop("option", "An option to choose from (Enter when there are no more)", _add_option)
    for option in d.options:
        yield from _screens(d, option)
    for option in d.options:
        yield from _scores(d, option)
    if all(not r.unscored for r in deciding.leaders(d)):
        for ranked in deciding.leaders(d):
            yield from _risks(ranked.option)
        yield from _choice(d)


def _decision(a: Analysis) -> Decision:
    assert a.decision is not None
    return a.decision


def _statement(d: Decision) -> Item:
    def apply(a: Analysis, v: Value, env: Env) -> str:
        _decision(a).statement = answer_text(v)
        return f"set the decision statement: {answer_text(v)}"

    return Item(
        Question(
            "decide.statement",
            SEC,
            "text",
            "What is being chosen, and to what end?",
            hint="e.g. 'which part of the release to roll back, to restore checkout today'",
            field="decision.statement",
            default=d.statement,
            checks=NO_CAUSAL,
        ),
        lambda a: bool(_decision(a).statement),
        apply,
    )


def _add_must(d: Decision, text: str) -> str:
    d.musts.append(Must(id=next_id("m", [m.id for m in d.musts]), text=text))
    return f"added a MUST: {text}"


def _add_want(d: Decision, text: str) -> str:
    d.wants.append(Want(id=next_id("w", [w.id for w in d.wants]), text=text))
    return f"added a WANT: {text}"


def _add_option(d: Decision, text: str) -> str:
    d.options.append(Option(id=next_id("o", [o.id for o in d.options]), text=text))
    return f"added an option: {text}"


def _loop(kind: str, text: str, add: object) -> Item:
    # "p99 must be below 1 s" is an objective, not a guessed cause: no causal probe here.
    def apply(a: Analysis, v: Value, env: Env) -> str:
        return add(_decision(a), answer_text(v)) if answer_text(v) else ""  # type: ignore[operator]

    return Item(
        Question(f"decide.{kind}", SEC, "text", text, field=f"decision.{kind}s", required=False,
                 checks=NO_CAUSAL),
        lambda a: False,
        apply,
        tracked=True,
        loop=True,
    )  # fmt: skip


def _number(v: Value) -> int | None:
    text = answer_text(v)
    return int(text) if text.isdigit() and 1 <= int(text) <= 10 else None


def _weights(d: Decision) -> Iterator[Item]:
    for want in d.wants:

        def apply(a: Analysis, v: Value, env: Env, wid: str = want.id) -> str:
            w = next(w for w in _decision(a).wants if w.id == wid)
            w.weight = _number(v)
            return f"weighted WANT {wid}: {w.weight}" if w.weight else ""

        yield Item(
            Question(f"decide.{want.id}.weight", SEC, "text",
                     "How much does it matter, 1 (a little) to 10 (essential)?",
                     context=(f"WANT {want.id}: {want.text}",), field=f"decision.wants.{want.id}",
                     default=str(want.weight) if want.weight else None),
            partial(lambda a, wid: any(w.id == wid and w.weight for w in _decision(a).wants),
                    wid=want.id),
            apply,
        )  # fmt: skip


def _screens(d: Decision, option: Option) -> Iterator[Item]:
    for must in d.musts:
        screen = option.screens.get(must.id)
        if deciding.failed_musts(option) and screen is None:
            return  # out: nothing more to ask of it
        context = (f"Option {option.id}: {option.text}", f"MUST {must.id}: {must.text}")

        def verdict(
            a: Analysis, v: Value, env: Env, oid: str = option.id, mid: str = must.id
        ) -> str:
            opt = deciding.require_option(_decision(a), oid)
            opt.screens[mid] = Screen(passes=v == "pass", fact=None)
            return f"screened {oid} against {mid}: {v}"

        def fact(a: Analysis, v: Value, env: Env, oid: str = option.id, mid: str = must.id) -> str:
            deciding.require_option(_decision(a), oid).screens[mid].fact = answer_text(v)
            return f"fact for {oid} against {mid}: {answer_text(v)}"

        key = f"decide.{option.id}.{must.id}"
        yield Item(
            Question(key, SEC, "choice", "Does it pass this MUST?", choices=PASS_FAIL,
                     context=context, field=f"decision.options.{option.id}.screens"),
            partial(_screened, oid=option.id, mid=must.id, fact=False),
            verdict,
        )  # fmt: skip
        if screen is not None:
            yield Item(
                Question(f"{key}.fact", SEC, "text", "The fact that says so?", context=context,
                         field=f"decision.options.{option.id}.screens.{must.id}",
                         checks=ALL_CHECKS),
                partial(_screened, oid=option.id, mid=must.id, fact=True),
                fact,
            )  # fmt: skip


def _screened(a: Analysis, *, oid: str, mid: str, fact: bool) -> bool:
    screen = deciding.require_option(_decision(a), oid).screens.get(mid)
    return screen is not None and (not fact or bool(screen.fact))


def _scored(a: Analysis, *, oid: str, wid: str, fact: bool) -> bool:
    score = deciding.require_option(_decision(a), oid).scores.get(wid)
    return score is not None and (not fact or bool(score.fact))


def _scores(d: Decision, option: Option) -> Iterator[Item]:
    if deciding.failed_musts(option) or len(option.screens) < len(d.musts):
        return
    for want in d.wants:
        score = option.scores.get(want.id)
        context = (f"Option {option.id}: {option.text}", f"WANT {want.id}: {want.text}")

        def value(a: Analysis, v: Value, env: Env, oid: str = option.id, wid: str = want.id) -> str:
            n = _number(v)
            if n is None:
                return ""
            deciding.require_option(_decision(a), oid).scores[wid] = Score(score=n, fact=None)
            return f"scored {oid} against {wid}: {n}"

        def fact(a: Analysis, v: Value, env: Env, oid: str = option.id, wid: str = want.id) -> str:
            deciding.require_option(_decision(a), oid).scores[wid].fact = answer_text(v)
            return f"fact for {oid} against {wid}: {answer_text(v)}"

        key = f"decide.{option.id}.{want.id}"
        yield Item(
            Question(key, SEC, "text", "How well does it meet this WANT, 1 to 10?",
                     context=context, field=f"decision.options.{option.id}.scores"),
            partial(_scored, oid=option.id, wid=want.id, fact=False),
            value,
        )  # fmt: skip
        if score is not None:
            yield Item(
                Question(f"{key}.fact", SEC, "text", "The fact behind the score?", context=context,
                         field=f"decision.options.{option.id}.scores.{want.id}", checks=ALL_CHECKS),
                partial(_scored, oid=option.id, wid=want.id, fact=True),
                fact,
            )  # fmt: skip


def _risks(option: Option) -> Iterator[Item]:
    def add(a: Analysis, v: Value, env: Env, oid: str = option.id) -> str:
        if not answer_text(v):
            return ""
        opt = deciding.require_option(_decision(a), oid)
        opt.risks.append(Risk(text=answer_text(v), probability="medium", seriousness="medium"))
        return f"added a risk to {oid}: {answer_text(v)}"

    yield Item(
        Question(f"decide.{option.id}.risk", SEC, "text",
                 "What could go wrong if it is chosen? (Enter when nothing more)",
                 context=(f"Leader {option.id}: {option.text}",),
                 field=f"decision.options.{option.id}.risks", required=False, checks=ALL_CHECKS),
        lambda a: False,
        add,
        tracked=True,
        loop=True,
    )  # fmt: skip
    for n, risk in enumerate(option.risks, 1):
        for rating in ("probability", "seriousness"):

            def rate(a: Analysis, v: Value, env: Env, oid: str = option.id, i: int = n - 1,
                     r: str = rating) -> str:  # fmt: skip
                setattr(deciding.require_option(_decision(a), oid).risks[i], r, answer_text(v))
                return f"rated risk {i + 1} of {oid}: {r} {answer_text(v)}"

            yield Item(
                Question(f"decide.{option.id}.risk{n}.{rating}", SEC, "choice",
                         f"Its {rating}?", choices=RATINGS, default=getattr(risk, rating),
                         context=(f"Risk of {option.id}: {risk.text}",)),
                lambda a: False,
                rate,
                tracked=True,
            )  # fmt: skip


def _choice(d: Decision) -> Iterator[Item]:
    ranked = [r for r in deciding.rank_options(d) if not r.out]
    if not ranked:
        return
    top = deciding.top_option(d)

    def choose(a: Analysis, v: Value, env: Env) -> str:
        _decision(a).choice = Choice(option=answer_text(v), by=env.who, at=env.now)
        return f"chose {answer_text(v)}"

    choices = tuple(Pick(r.option.id, f"{r.option.text} (total {r.total})") for r in ranked)
    yield Item(
        Question("decide.choice", SEC, "choice", "Which option do you choose?", choices=choices,
                 default=d.choice.option if d.choice else (top.option.id if top else None),
                 field="decision.choice"),
        lambda a: _decision(a).choice is not None,
        choose,
    )  # fmt: skip
    if d.choice is None:
        return
    against = deciding.against_ranking(d)

    def reason(a: Analysis, v: Value, env: Env) -> str:
        choice = _decision(a).choice
        assert choice is not None
        choice.reason = answer_text(v) or None
        return f"reason for the choice: {answer_text(v)}" if answer_text(v) else ""

    text = "It is not the top score: why this one?" if against else "Why this one? (Enter to skip)"
    yield Item(
        Question("decide.reason", SEC, "text", text, field="decision.choice.reason",
                 required=against, default=d.choice.reason, checks=ALL_CHECKS),
        lambda a: bool(_decision(a).choice and _decision(a).choice.reason),  # type: ignore[union-attr]
        reason,
        tracked=not against,
    )  # fmt: skip
