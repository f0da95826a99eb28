"""The session engine: ask until every question is answered or the analyst quits.

Pure: it asks only through the ``Prompter`` it is given (see ``ktcli.ui.prompts``)
and saves through a callback, so the edge decides where questions and files go.

How it moves: the list of questions is recomputed from the analysis after
every answer, and the next question is the first one not yet answered. That one
rule serves a fresh session, ``resume``, loops ("what else bothers you?") and
questions that appear as the analysis grows (one test per cause and row).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from ktcli.core.analysis import drop_stale_pitfalls, record
from ktcli.core.language import find_pitfalls
from ktcli.core.model import Analysis, EffortEntry, PitfallNote, Row
from ktcli.session.catalogue import items, iter_items
from ktcli.session.depth import mode
from ktcli.session.guide import NO_GUIDE, Guide
from ktcli.session.items import COMPLETE, Env, Item, answer_text, answered
from ktcli.session.progress import finished, open_counts, place, summary
from ktcli.session.questions import (
    SECTION_IDS,
    SECTIONS,
    WALKED,
    Board,
    Command,
    GoTo,
    Mark,
    Question,
    Reply,
    Section,
    Value,
)
from ktcli.session.words import words_for

if TYPE_CHECKING:
    from ktcli.session.prompter import Prompter


def sections(a: Analysis) -> tuple[Section, ...]:
    """The sections of the session in the current mode."""
    m = mode(a)
    return tuple(s for s in WALKED if m in s.modes)


def first_unanswered(a: Analysis, guide: Guide = NO_GUIDE) -> Item | None:
    """Where ``resume`` continues: the first question whose answer the analysis lacks."""
    return next((i for i in iter_items(a, guide, unanswered_only=True) if not answered(a, i)), None)


def missing(a: Analysis, guide: Guide = NO_GUIDE) -> list[Question]:
    """What a session would still ask (known so far), without the offers (export, evidence)."""
    return [i.question for i in items(a, guide) if not answered(a, i) and not i.offer]


def accept_given(a: Analysis, guide: Guide = NO_GUIDE) -> None:
    """Count as answered the questions whose content an answers file already gave."""
    for item in items(a, guide):
        if item.tracked and item.id not in a.progress and (item.given or item.done)(a):
            a.progress.append(item.id)


def ensure_rows(a: Analysis, guide: Guide) -> None:
    """Add the playbook's extra rows, after the last row of their dimension."""
    for extra in guide.extra_rows:
        if a.row(extra.id) is not None:
            continue
        row = Row(
            id=extra.id,
            dimension=extra.dimension,
            label=extra.label,
            question=extra.question,
            origin=guide.id or "playbook",
        )
        last = max(
            (n for n, r in enumerate(a.specification) if r.dimension == extra.dimension),
            default=len(a.specification) - 1,
        )
        a.specification.insert(last + 1, row)


@dataclass
class Outcome:
    """How a session ended: finished (maybe with an export wish) or left to resume."""

    complete: bool
    export: str | None = None
    asked: int = 0


@dataclass
class _State:
    asked: list[str] = field(default_factory=list)
    revisit: str | None = None
    walk: str | None = None
    walked: set[str] = field(default_factory=set)
    deferred: set[str] = field(default_factory=set)
    section: str | None = None
    count: int = 0
    #: Ask only this section (``ktcli decide``); None asks the whole session.
    only: str | None = None


def _pick(a: Analysis, guide: Guide, st: _State) -> Item | None:
    # Lazily: on a large grid, building every question before each prompt costs time.
    if st.revisit is not None:
        found = next((i for i in iter_items(a, guide) if i.id == st.revisit), None)
        st.revisit = None
        if found is not None:
            return found
    if st.walk is not None:
        found = next(
            (
                i
                for i in iter_items(a, guide)
                if i.question.section == st.walk and i.id not in st.walked
            ),
            None,
        )
        if found is not None:
            return found
        st.walk = None
    return next(
        (
            i
            for i in iter_items(a, guide, unanswered_only=True)
            if not answered(a, i)
            and i.id not in st.deferred
            and st.only in (None, i.question.section)
        ),
        None,
    )


def _ask(session: _Session, item: Item, is_answered: bool) -> Reply:
    q = item.question
    if is_answered and q.required:
        # Re-asking: Enter keeps what is there.
        q = replace(q, required=False)
    if item.mark is not None:
        q = replace(q, board=Board(session.a, partial(session.mark, item)))
    counts, present = open_counts(session.a, session.env.guide)
    q = replace(
        q,
        place=place(session.a, item, counts),
        finished=finished(session.a, counts, present),
        words=words_for(q.kind, session.a),
    )
    reply = session.prompter.ask(q)
    session.active.tick(session.clock())
    return reply


#: Runs as the session leaves the specification, with the analysis as it stands: may change
#: it (a re-used fix) and returns the words for the history, or "" when it changed nothing.
AfterSpecification = Callable[[Analysis], str]

#: A pause between two answers longer than this is not counted as time on the analysis.
IDLE = timedelta(minutes=10)


@dataclass
class Active:
    """The active time of a session: the gaps between answers, idle gaps left out."""

    last: datetime
    seconds: float = 0.0

    def tick(self, now: datetime) -> None:
        """An answer came at ``now``: count the time since the last one, unless it was idle."""
        gap = now - self.last
        if timedelta(0) < gap <= IDLE:
            self.seconds += gap.total_seconds()
        self.last = max(self.last, now)

    def record(self, a: Analysis, who: str) -> bool:
        """Add the active time to the effort (``kind: session``); False for under a minute."""
        minutes = round(self.seconds / 60)
        self.seconds = 0.0
        if minutes < 1:
            return False
        a.effort.append(
            EffortEntry(
                minutes=minutes, note="guided session", by=who, at=self.last, kind="session"
            )
        )
        record(a, who, f"recorded {minutes} min of guided session time", self.last)
        return True


def run(
    a: Analysis,
    prompter: Prompter,
    save: Callable[[Analysis], object],
    *,
    who: str,
    clock: Callable[[], datetime],
    guide: Guide = NO_GUIDE,
    only: str | None = None,
    after_specification: AfterSpecification | None = None,
    started: datetime | None = None,
) -> Outcome:
    """Ask until every question is answered or the analyst quits; save after every answer.

    ``only`` (a section id) asks that section alone, and never marks the whole
    analysis complete. ``after_specification`` runs as the session leaves the
    specification (``ktcli similar``'s offer, wired in by the CLI). ``started`` is
    when the analyst began, if before this call (``ktcli new`` draws its first
    question before the engine is loaded): the active time counts from there.
    """
    ensure_rows(a, guide)
    st = _State(only=only)
    env = Env(who=who, now=clock(), guide=guide)
    active = Active(started if started is not None else env.now)
    session = _Session(a, prompter, save, env, clock, active, after_specification)
    # Resuming: what is done, what is open, what comes next. Not for a section asked
    # on its own (decide, protect): the whole analysis's next question is not its.
    for line in summary(a, guide) if only is None else []:
        prompter.note(line, "info")
    try:
        outcome = _loop(session, st)
    except KeyboardInterrupt:
        # The caller saves on the way out (cli/session.py): the time goes with it.
        session.active.tick(clock())
        session.active.record(a, who)
        raise
    session.active.tick(clock())
    session.active.record(a, who)
    save(a)
    return outcome


def _loop(session: _Session, st: _State) -> Outcome:
    """Ask until nothing is left or the analyst quits; the caller saves the end."""
    a, prompter, env = session.a, session.prompter, session.env
    guide = env.guide
    only = st.only
    while (item := _pick(a, guide, st)) is not None:
        _enter_section(session, st, item)
        was = answered(a, item)
        reply = _ask(session, item, was)
        if reply is Command.QUIT:
            return Outcome(False, None, st.count)
        answer = _steer(prompter, a, guide, st, item, reply)
        if answer is not None:
            _take(session, st, item, answer, was)
    if st.deferred or only is not None:
        # Answers left for later (or other sections): stop here; resume asks them.
        return Outcome(not st.deferred, env.export, st.count)
    a.progress = [COMPLETE]
    return Outcome(True, env.export, st.count)


def _enter_section(session: _Session, st: _State, item: Item) -> None:
    """A heading for each new section; after the specification, the matrix and the offer."""
    a, prompter = session.a, session.prompter
    if item.question.section == st.section:
        return
    if st.section == "specification":
        prompter.show("matrix", a)
        session.offer_similar()
    st.section = item.question.section
    sec = next(s for s in SECTIONS if s.id == st.section)
    prompter.note(f"{sec.title} - {sec.intro}", "section")


def _steer(
    prompter: Prompter, a: Analysis, guide: Guide, st: _State, item: Item, reply: Reply
) -> Value | None:
    """Act on a jump or a key that moves the session; None for those, else the answer given."""
    if isinstance(reply, GoTo):
        if reply.section in SECTION_IDS:
            st.walk, st.walked = reply.section, set()
        return None
    if reply is Command.MATRIX:
        prompter.show("matrix", a)
        return None
    if reply is Command.BACK:
        st.revisit = _previous(items(a, guide), item, st)
        if st.revisit is None:
            prompter.note("This is the first question.", "info")
            st.revisit = item.id
        return None
    if isinstance(reply, Command) and item.question.kind != "cell":
        prompter.note("Need more data and not applicable are for IS / IS NOT facts.", "info")
        st.revisit = item.id
        return None
    return reply


def _take(session: _Session, st: _State, item: Item, answer: Value, was: bool) -> None:
    """Apply an answer, probe it, show what follows it; an empty one may mean something else."""
    if item.mark is not None:
        _left_matrix(session, st, item)
        return
    if isinstance(answer, str) and not answer.strip() and item.question.suggested:
        answer = item.question.suggested
    if isinstance(answer, str) and not answer.strip() and _blank(session.prompter, st, item, was):
        return
    if item.check is not None and isinstance(answer, str) and answer.strip():
        checked = _checked(session, st, item, answer.strip())
        if checked is None:
            return
        answer = checked
    st.count += 1
    _walked(st, item)
    session.apply(item, item.apply, answer)
    if isinstance(answer, str) and answer.strip() and item.question.checks:
        session.probe(item, answer.strip())
    if item.after is not None:
        session.prompter.show(item.after, session.a)


def _checked(session: _Session, st: _State, item: Item, answer: str) -> str | None:
    """The answer as its check reads it; None when refused or not confirmed (asked again)."""
    assert item.check is not None
    checked = item.check(answer, session.clock())
    refusal = checked.problem
    if not refusal and checked.confirm:
        reply = session.prompter.ask(
            Question(
                f"{item.id}.confirm",
                item.question.section,
                "confirm",
                checked.confirm,
                field=item.question.field,
                default=True,
            )
        )
        refusal = "" if reply is True else checked.declined
    if refusal:
        session.prompter.note(refusal, "warning")
        st.revisit = item.id
        return None
    return checked.value


def _left_matrix(session: _Session, st: _State, item: Item) -> None:
    """The matrix screen was left: its marks are saved; open cells wait for resume."""
    st.count += 1
    _walked(st, item)
    if not item.done(session.a):
        st.deferred.add(item.id)
    elif item.after is not None:
        session.prompter.show(item.after, session.a)


def _blank(prompter: Prompter, st: _State, item: Item, was: bool) -> bool:
    """Act on an empty answer: left for later, refused, or kept; False when it is to be applied."""
    if item.deferrable and not was:
        st.count += 1
        st.deferred.add(item.id)
        _walked(st, item)
        return True
    if item.question.kind not in ("text", "cell"):
        return False
    if item.question.required and not was:
        prompter.note("An answer is needed here.", "warning")
        st.revisit = item.id
        return True
    if was:
        # Enter on a question asked again keeps the answer.
        _walked(st, item)
        return True
    return False


def _walked(st: _State, item: Item) -> None:
    st.asked.append(item.id)
    if st.walk is not None:
        st.walked.add(item.id)


@dataclass
class _Session:
    """Applying answers: change, record in the history, save; and the probing questions."""

    a: Analysis
    prompter: Prompter
    save: Callable[[Analysis], object]
    env: Env
    clock: Callable[[], datetime]
    active: Active
    after_specification: AfterSpecification | None = None

    def offer_similar(self) -> None:
        """Past analyses like this one, once it is specified; not again once a fix is re-used."""
        if self.after_specification is None or self.a.fix_reused_from is not None:
            return
        what = self.after_specification(self.a)
        self.active.tick(self.clock())
        if what:
            record(self.a, self.env.who, what, self.clock())
            self.save(self.a)

    def apply(self, item: Item, how: Callable[[Analysis, Value, Env], str], value: Value) -> None:
        a = self.a
        self.env.now = self.clock()
        self.active.tick(self.env.now)
        what = how(a, value, self.env)
        if item.tracked and item.id not in a.progress and not (item.loop and answer_text(value)):
            a.progress.append(item.id)
        if what:
            record(a, self.env.who, what, self.env.now)
        # An answer given again replaces the text a kept warning was about.
        drop_stale_pitfalls(a)
        self.save(a)

    def mark(self, item: Item, m: Mark) -> str:
        """Apply and save one mark of a matrix screen.

        A verdict's reason is the analyst's own reasoning, not what a customer said,
        so it is not probed (issue 11); a warning an older ktcli kept on it goes.
        """
        how = item.mark
        assert how is not None
        where = f"causes.{m.cause}.tests.{m.row}.note"
        self.a.pitfalls = [p for p in self.a.pitfalls if p.field != where]
        self.apply(item, lambda a, v, env: how(a, m), "")
        return ""

    def probe(self, item: Item, text: str) -> None:
        """For each pitfall, the probing question; the analyst refines the answer or keeps it."""
        for _ in range(3):
            hits = find_pitfalls(text, self.env.guide.terms, kinds=item.question.checks)
            if not hits:
                return
            for hit in hits:
                self.prompter.note(f"'{hit.term}': {hit.question}", "probe")
            reply = self.prompter.ask(
                Question(
                    f"{item.id}.refine",
                    item.question.section,
                    "text",
                    "Refine the answer, or press Enter to keep it:",
                    field=item.question.field,
                    default=text,
                    required=False,
                )
            )
            refined = answer_text(reply) if isinstance(reply, str) else ""
            if not refined or refined == text:
                for hit in hits:
                    self.a.pitfalls.append(
                        PitfallNote(
                            field=item.question.field or item.id,
                            kind=hit.kind,
                            term=hit.term,
                            question=hit.question,
                            text=text,
                        )
                    )
                record(
                    self.a,
                    self.env.who,
                    f"kept a warning ({hits[0].kind}) on {item.id}",
                    self.clock(),
                )
                self.save(self.a)
                return
            text = refined
            self.apply(item, item.refine or item.apply, refined)


def _previous(all_items: list[Item], current: Item, st: _State) -> str | None:
    ids = [i.id for i in all_items]
    while st.asked:
        prev = st.asked.pop()
        if prev in ids and prev != current.id:
            return prev
    if current.id in ids:
        at = ids.index(current.id)
        if at > 0:
            return ids[at - 1]
    return None
