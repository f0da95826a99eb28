"""Property: any valid analysis survives export and import unchanged, in YAML and in JSON."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ktcli.core.document import parse_analysis, to_json, to_yaml
from ktcli.core.model import (
    STANDARD_ROWS,
    Action,
    Analysis,
    Appraisal,
    Cause,
    CauseTest,
    Change,
    Choice,
    Closure,
    Concern,
    DataRequest,
    Decision,
    Distinction,
    Escalation,
    Fact,
    HistoryEntry,
    Must,
    NeedData,
    NotApplicable,
    OpenQuestion,
    Option,
    PitfallNote,
    PlanStep,
    PlaybookRef,
    PotentialProblem,
    Protection,
    Risk,
    Row,
    Score,
    Screen,
    Statement,
    TrueCause,
    Verification,
    Want,
)

# Any Unicode a person could type or paste, including control characters, bidi
# overrides and line separators: everything but lone surrogates.
text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda s: bool(s.strip())
)
opt_text = st.none() | st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
idents = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,12}\Z").filter(lambda s: ".." not in s)
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda m: timezone(timedelta(minutes=m))
)
stamps = st.builds(
    lambda dt, tz: dt.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
    offsets,
)
ratings = st.sampled_from(["high", "medium", "low"])
cells = st.none() | st.one_of(
    st.builds(
        Fact,
        text=text,
        source=text,
        status=st.sampled_from(["reported", "verified"]),
        evidence=st.lists(text, max_size=2),
    ),
    st.builds(NotApplicable, reason=text),
    st.builds(NeedData, who=text, how=text),
)


weights = st.integers(1, 10)


@st.composite
def decisions(draw: st.DrawFn, concerns: list[str]) -> Decision | None:
    """None, or a decision whose screens, scores and choice name its own ids."""
    if not draw(st.booleans()):
        return None
    musts = [Must(id=f"m{i}", text=draw(text)) for i in range(draw(st.integers(0, 2)))]
    wants = [
        Want(id=f"w{i}", text=draw(text), weight=draw(st.none() | weights))
        for i in range(draw(st.integers(0, 2)))
    ]
    options = [
        Option(
            id=f"o{i}",
            text=draw(text),
            screens={m.id: Screen(passes=draw(st.booleans()), fact=draw(opt_text)) for m in musts},
            scores={w.id: Score(score=draw(weights), fact=draw(opt_text)) for w in wants},
            risks=draw(
                st.lists(
                    st.builds(Risk, text=text, probability=ratings, seriousness=ratings), max_size=2
                )
            ),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    choice = None
    if options and draw(st.booleans()):
        choice = Choice(
            option=draw(st.sampled_from([o.id for o in options])),
            reason=draw(opt_text),
            by=draw(opt_text),
            at=draw(st.none() | stamps),
        )
    return Decision(
        concern=draw(st.sampled_from([None, *concerns])),
        statement=draw(opt_text),
        musts=musts,
        wants=wants,
        options=options,
        choice=choice,
    )


@st.composite
def protections(draw: st.DrawFn, concerns: list[str], actions: list[str]) -> Protection | None:
    """None, or a protected plan whose problems name actions that exist."""
    if not draw(st.booleans()):
        return None
    n = iter(range(100))
    steps = [
        PlanStep(
            id=f"s{i}",
            text=draw(text),
            problems=[
                PotentialProblem(
                    id=f"p{next(n)}",
                    text=draw(text),
                    probability=draw(ratings),
                    seriousness=draw(ratings),
                    causes=draw(st.lists(text, max_size=2)),
                    actions=draw(st.lists(st.sampled_from(actions), max_size=2)) if actions else [],
                )
                for _ in range(draw(st.integers(0, 2)))
            ],
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    return Protection(
        concern=draw(st.sampled_from([None, *concerns])), plan=draw(opt_text), steps=steps
    )


@st.composite
def analyses(draw: st.DrawFn) -> Analysis:
    """A valid analysis: references resolve, ids are unique, anything else goes."""
    rows = [
        Row.model_validate(
            {"id": rid, "dimension": dim, "label": label, "is": draw(cells), "is_not": draw(cells)}
        )
        for rid, dim, label in STANDARD_ROWS
    ]
    extra_ids = draw(st.lists(idents, max_size=2, unique=True))
    for rid in extra_ids:
        if rid not in {r.id for r in rows}:
            rows.append(
                Row.model_validate(
                    {
                        "id": rid,
                        "dimension": draw(st.sampled_from(["what", "where", "when", "extent"])),
                        "label": draw(text),
                        "question": draw(opt_text),
                        "origin": "team-playbook",
                        "is": draw(cells),
                        "is_not": draw(cells),
                    }
                )
            )
    row_ids = [r.id for r in rows]
    cause_ids = draw(st.lists(idents, max_size=4, unique=True))
    causes = [
        Cause(
            id=cid,
            text=draw(text),
            origin=draw(st.sampled_from(["distinction", "change", "experience", "playbook"])),
            origin_ref=draw(st.none() | idents),
            tests={
                rid: CauseTest(
                    verdict=draw(
                        st.sampled_from(["explains", "explains_only_if", "does_not_explain"])
                    ),
                    note=draw(text),
                )
                for rid in draw(st.lists(st.sampled_from(row_ids), max_size=4, unique=True))
            },
        )
        for cid in cause_ids
    ]
    verifications = [
        Verification(
            id=f"v{i}",
            cause=draw(st.sampled_from(cause_ids)),
            checks=draw(text),
            method=draw(text),
            result=draw(opt_text),
            status=draw(st.sampled_from(["planned", "confirmed", "refuted"])),
            by=draw(opt_text),
            at=draw(st.none() | stamps),
        )
        for i in range(draw(st.integers(0, 2) if cause_ids else st.just(0)))
    ]
    true_cause = None
    if cause_ids and draw(st.booleans()):
        true_cause = TrueCause(
            cause=draw(st.sampled_from(cause_ids)),
            verifications=[v.id for v in verifications],
            confirmed_by=draw(text),
            confirmed_at=draw(stamps),
        )
    distinctions = [
        Distinction(
            id=f"d{i}", text=draw(text), rows=draw(st.lists(st.sampled_from(row_ids), max_size=2))
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    extras: dict[str, Any] = {
        "ticket": draw(opt_text),
        "business_impact": draw(opt_text),
        "status": draw(st.sampled_from(["open", "escalated", "closed"])),
        "analysts": draw(st.lists(text, max_size=2)),
        "playbook": draw(
            st.none()
            | st.builds(
                PlaybookRef,
                id=idents,
                version=text,
                sha256=st.from_regex(r"\A[0-9a-f]{64}\Z"),
                items=st.dictionaries(text, text, max_size=2),
            )
        ),
        "appraisal": Appraisal(
            concerns=[
                Concern(
                    id=f"k{i}",
                    text=draw(text),
                    seriousness=draw(ratings),
                    urgency=draw(ratings),
                    growth=draw(ratings),
                    owner=draw(opt_text),
                )
                for i in range(draw(st.integers(0, 2)))
            ],
            depth=draw(st.sampled_from([None, "quick", "full"])),
            depth_reason=draw(opt_text),
            reopened=draw(st.booleans()),
        ),
        "statement": draw(st.none() | st.builds(Statement, object=text, deviation=text)),
        "distinctions": distinctions,
        "changes": [
            Change(
                id=f"ch{i}",
                text=draw(text),
                when=draw(text),
                distinction=draw(st.sampled_from([None, *[d.id for d in distinctions]])),
                rows=draw(st.lists(st.sampled_from(row_ids), max_size=2)),
            )
            for i in range(draw(st.integers(0, 2)))
        ],
        "actions": [
            Action(
                id=f"a{i}",
                kind=draw(st.sampled_from(["interim", "corrective", "preventive", "contingent"])),
                text=draw(text),
                owner=draw(opt_text),
                status=draw(st.sampled_from(["planned", "in_progress", "done"])),
                trigger=draw(opt_text),
            )
            for i in range(draw(st.integers(0, 3)))
        ],
        "data_requests": [
            DataRequest(
                id=f"r{i}",
                what=draw(text),
                requested_from=draw(text),
                asked_at=draw(st.none() | stamps),
                received_at=draw(st.none() | stamps),
                result=draw(opt_text),
                row=draw(st.sampled_from([None, *row_ids])),
            )
            for i in range(draw(st.integers(0, 2)))
        ],
        "open_questions": [
            OpenQuestion(id=f"q{i}", text=draw(text), owner=draw(opt_text), answer=draw(opt_text))
            for i in range(draw(st.integers(0, 2)))
        ],
        "pitfalls": draw(
            st.lists(
                st.builds(PitfallNote, field=text, kind=text, term=text, question=text, text=text),
                max_size=2,
            )
        ),
        "progress": draw(st.lists(idents, max_size=3)),
        "escalations": draw(
            st.lists(
                st.builds(
                    Escalation,
                    at=stamps,
                    by=text,
                    to=text,
                    reason=text,
                    missing=st.lists(text, max_size=2),
                ),
                max_size=2,
            )
        ),
        "closure": draw(
            st.none()
            | st.builds(
                Closure,
                at=stamps,
                by=text,
                customer_confirmation=opt_text,
                forced=st.booleans(),
                reason=opt_text,
            )
        ),
        "history": draw(
            st.lists(st.builds(HistoryEntry, at=stamps, who=text, what=text), max_size=3)
        ),
    }
    concerns = [c.id for c in extras["appraisal"].concerns]
    extras["decision"] = draw(decisions(concerns))
    extras["protection"] = draw(protections(concerns, [x.id for x in extras["actions"]]))
    return Analysis(
        id=draw(idents),
        title=draw(text),
        created_at=draw(stamps),
        updated_at=draw(stamps),
        specification=rows,
        causes=causes,
        verifications=verifications,
        true_cause=true_cause,
        **extras,
    )


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(analyses())
def test_yaml_round_trip(a: Analysis) -> None:
    text = to_yaml(a)
    back = parse_analysis(text, "prop.yaml")
    assert back == a
    assert to_yaml(back) == text


@SETTINGS
@given(analyses())
def test_json_round_trip(a: Analysis) -> None:
    text = to_json(a)
    back = parse_analysis(text, "prop.json")
    assert back == a
    assert to_json(back) == text
