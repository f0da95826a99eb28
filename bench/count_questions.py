"""Count the questions of a complete quick and a complete full session of the worked example.

A scripted prompter answers every question from examples/checkout-latency.yaml
(the facts, causes, tests and verification recorded there), starting from a
fresh analysis with only the title: ``ktcli new --title ... --depth quick``
and ``ktcli new --title ...`` (full, the depth chosen in the appraisal).
Also times the pitfall check of every free-text answer.

Then the decision of the worked example through the guided decision
(``ktcli decide ID``, the "decide" section only), counting prompts and
keystrokes: a typed answer is its characters plus Enter, Enter alone is 1, a
choice is its number key plus Enter (2), or Enter (1) when the preselected
answer is taken; a probing follow-up kept with Enter is 1. The same for the
protection of the rollout (``ktcli protect ID``, the "protect" section only).

Each count is given twice: as today, every character of a text typed; and
with completion, for an analyst who takes the completion the prompt offers
(``ktcli.session.words``: the analysis's own words, Tab to take) whenever,
after at least two characters of a word, it offers exactly the word they
want. The text recorded is the same either way (each is rebuilt and checked).
The matrix screen's note line completes from the words the analysis held when
the screen opened, plus each note entered since (``Vocabulary``), as the
screen does.

Usage: python bench/count_questions.py
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ktcli import yamlio
from ktcli.core.analysis import new_analysis
from ktcli.core.document import parse_analysis
from ktcli.core.language import find_pitfalls
from ktcli.core.model import Analysis, Decision, Fact, NeedData, NotApplicable, Protection
from ktcli.session.depth import chosen_at_start
from ktcli.session.engine import run
from ktcli.session.questions import Board, Command, Question
from ktcli.session.testing import DEFAULT, ScriptedPrompter
from ktcli.session.words import MIN_TYPED, WORD, Vocabulary, complete, texts

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "checkout-latency.yaml"
#: The same sessions at commit 074021c, before the matrix screen and the one-step fact,
#: counted with the same keystroke rules: (prompts, keystrokes).
BEFORE = {"quick": (12, 935), "full": (205, 6771)}
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


class FromExample:
    """Answers every question from a finished analysis, as its analyst would have."""

    def __init__(self, ex: Analysis, live: Analysis) -> None:
        self.ex, self.live = ex, live
        self.concerns = [c.text for c in ex.appraisal.concerns]
        self.derived = [c.text for c in ex.causes if c.origin in ("change", "distinction")]
        self.others = [c.text for c in ex.causes if c.origin not in ("change", "distinction")]
        self.texts: list[str] = []

    def _ex_cause(self, cause_id: str) -> Any:
        live = self.live.cause(cause_id)
        return next((c for c in self.ex.causes if live and c.text == live.text), None)

    def __call__(self, q: Question) -> Any:
        parts = q.id.split(".")
        if q.id.endswith(".refine"):
            return DEFAULT
        answer = self._answer(q, parts)
        if isinstance(answer, str) and answer:
            self.texts.append(answer)
        return answer

    def _answer(self, q: Question, parts: list[str]) -> Any:
        ex = self.ex
        if q.id == "impact":
            return ex.business_impact
        if q.id == "appraisal.more":
            return self.concerns.pop(0) if self.concerns else ""
        if parts[0] == "appraisal" and parts[1].startswith("k"):
            c = next(c for c in ex.appraisal.concerns if c.id == parts[1])
            if parts[2] == "ratings":  # one answer, a letter each: "hhm"
                return "".join(getattr(c, r)[0] for r in ("seriousness", "urgency", "growth"))
            return getattr(c, parts[2])
        if q.id == "appraisal.focus":
            return ex.appraisal.concerns[0].id
        if q.id == "appraisal.factors":
            return ("high_priority", "complex", "no_known_fix", "costly")
        if q.id == "appraisal.depth":
            return ex.appraisal.depth
        if q.id == "appraisal.depth_reason":
            return ex.appraisal.depth_reason
        if parts[0] == "statement":
            assert ex.statement is not None
            what = ex.row("what-object")
            source = what.is_.source if what and isinstance(what.is_, Fact) else "customer"
            if parts[1] == "verified":
                return bool(what and isinstance(what.is_, Fact) and what.is_.status == "verified")
            return {"object": ex.statement.object, "deviation": ex.statement.deviation}.get(
                parts[1], source
            )
        if parts[0] == "spec":
            row = ex.row(parts[1])
            cell = row.cell("is" if parts[2] == "is" else "is_not") if row else None
            if len(parts) == 3:
                if isinstance(cell, NotApplicable):
                    return Command.NOT_APPLICABLE
                if isinstance(cell, NeedData):
                    return Command.NEED_DATA
                return cell.text if isinstance(cell, Fact) else "not known"
            if parts[3] == "verified":
                return isinstance(cell, Fact) and cell.status == "verified"
            return getattr(cell, parts[3] if parts[3] != "source" else "source", "n/a")
        if parts[0] == "dist":
            return next((d.text for d in ex.distinctions if d.rows[:1] == [parts[1]]), "")
        if parts[0] == "change" and len(parts) == 2:
            mine = next(d for d in self.live.distinctions if d.id == parts[1])
            theirs = next((d for d in ex.distinctions if d.text == mine.text), None)
            return next((c.text for c in ex.changes if theirs and c.distinction == theirs.id), "")
        if parts[0] == "change":
            mine_c = next(c for c in self.live.changes if c.id == parts[1])
            return next((c.when for c in ex.changes if c.text == mine_c.text), "unknown")
        if q.id.startswith("cause.from."):
            return self.derived.pop(0) if self.derived else ""
        if q.id == "cause.more":
            return self.others.pop(0) if self.others else ""
        if q.id == "cause.likely":
            assert ex.true_cause is not None
            return next(c.text for c in ex.causes if c.id == ex.true_cause.cause)
        if parts[0] == "test":
            theirs = self._ex_cause(parts[1])
            test = theirs.tests.get(parts[2]) if theirs else None
            if len(parts) == 3:
                return test.verdict if test else "explains"
            return test.note if test else "as recorded"
        if parts[0] == "verify" and parts[1].startswith("v"):
            checks = _checks(self.live, parts[1])
            v = next((v for v in ex.verifications if v.checks == checks), None)
            if parts[2] == "result":
                # A complete session records a result for every step it planned;
                # an empty answer would leave the step for a later resume.
                return v.result if v and v.result else "as expected: nothing against the cause"
            return v.status if v and v.status != "planned" else "confirmed"
        if parts[0] == "verify" and parts[1] == "true_cause":
            return True
        if parts[0] == "verify":
            theirs = self._ex_cause(parts[1])
            methods = [v.method for v in ex.verifications if theirs and v.cause == theirs.id]
            return methods[0] if methods else "compare before and after on one host"
        if parts[0] == "action" and parts[1] in ("interim", "corrective", "preventive"):
            return next((x.text for x in ex.actions if x.kind == parts[1]), "")
        if parts[0] == "action":
            mine_a = next(x for x in self.live.actions if x.id == parts[1])
            return next((x.owner or "" for x in ex.actions if x.text == mine_a.text), "")
        if q.id == "handoff.export":
            return "none"
        raise AssertionError(f"no answer for {q.id}")


def keystrokes(q: Question, reply: Any) -> int:
    """The keys an analyst types for one reply, as the terminal prompts take them.

    Every answer ends with Enter (the one key model). Text: the characters and
    Enter (Enter alone keeps a default or takes a suggestion); need more data,
    not applicable: ``?`` or ``-`` and Enter; a Ctrl key: one; yes/no: Enter on
    the default, else ``y`` or ``n`` and Enter; a list: a digit shortcut (up to 9
    options, else an arrow per step) and Enter, or Enter alone on the option
    already pointed at; ticks: an arrow per step, space per tick, Enter.
    """
    if reply in (Command.NEED_DATA, Command.NOT_APPLICABLE):
        return 2
    if isinstance(reply, Command) or reply is DEFAULT:
        return 1
    if q.kind == "confirm":
        return 1 if reply == bool(q.default) else 2
    if q.kind == "source":
        return _source_keys(q, reply)
    if q.kind == "choice":
        values = [c.value for c in q.choices]
        at = values.index(q.default) if q.default in values else 0
        to = values.index(reply) if reply in values else at
        if to == at:
            return 1
        return 2 if len(values) <= 9 else abs(to - at) + 1
    if q.kind == "checkbox":
        values = [c.value for c in q.choices]
        picked = [values.index(v) for v in reply if v in values]
        return (max(picked) if picked else 0) + len(picked) + 1
    text = reply if isinstance(reply, str) else ""
    if isinstance(q.default, str) and text == q.default:
        return 1
    return len(text) + 1


def completing(words: tuple[str, ...], text: str) -> int:
    """The keys that type ``text`` (Enter not included) when completions are taken.

    At each word, after :data:`MIN_TYPED` characters, a completion that makes
    the word the analyst wants is taken with one key (Tab); else the next
    character is typed. The rebuilt text must be the text.
    """
    if not words:
        return len(text)
    wanted = {m.start(): m.group() for m in WORD.finditer(text)}
    keys, typed, start = 0, "", 0
    while len(typed) < len(text):
        at = len(typed)
        start = at if at in wanted else start
        word = wanted.get(start, "")
        rest = complete(words, typed) if at - start >= MIN_TYPED and word else ""
        if len(rest) > 1 and typed[start:] + rest == word:
            typed += rest
        else:
            typed += text[at]
        keys += 1
    assert typed == text, (typed, text)
    return keys


def completed_keys(q: Question, reply: Any) -> int:
    """:func:`keystrokes` when the completions the prompt offers are taken."""
    keys = keystrokes(q, reply)
    if q.kind in ("text", "cell") and isinstance(reply, str) and keys == len(reply) + 1:
        return completing(q.words, reply) + 1
    return keys


def _source_keys(q: Question, reply: Any) -> int:
    """Enter alone takes the first source offered; Tab n times picks the n-th; else typed.

    Ctrl-V once when the status is not the one shown first.
    """
    source, status = reply
    values = [c.value for c in q.choices]
    was = q.default[1] if isinstance(q.default, tuple) else "reported"
    toggle = 1 if status != was else 0
    if (isinstance(q.default, tuple) and source == q.default[0]) or source == q.suggested:
        return 1 + toggle
    if source in values:
        return values.index(source) + 2 + toggle
    return len(source) + 1 + toggle


def typed_text(q: Question, reply: Any) -> int:
    """The characters of recorded text typed for a reply (a new source included), not keys."""
    if q.kind == "source":
        source = reply[0]
        offered = [c.value for c in q.choices]
        kept = isinstance(q.default, tuple) and source == q.default[0]
        return 0 if kept or source == q.suggested or source in offered else len(source)
    if q.kind in ("text", "cell") and isinstance(reply, str) and reply != q.default:
        return len(reply)
    return 0


class Counting(ScriptedPrompter):
    """The scripted prompter, counting the keys each reply takes."""

    keys: int = 0
    #: The same keys when the completions offered are taken.
    completed: int = 0
    #: Of the keys, the characters of recorded text: no prompt can type those for the analyst.
    text: int = 0
    #: What completion would save on the matrix screen's note line, which has none.
    _board: Board | None = None
    #: The matrix screen's words, built when it opens (one screen per board).
    _words: tuple[Board, Vocabulary] | None = None

    def ask(self, question: Question) -> Any:
        self._board = question.board
        reply = super().ask(question)
        self.keys += keystrokes(question, reply)
        self.completed += completed_keys(question, reply)
        self.text += typed_text(question, reply)
        return reply

    def _cell(self, question: Question) -> Any:
        # On the matrix screen: one key per verdict (the cursor moves on by itself),
        # then the note and Enter.
        reply = super()._cell(question)
        text = reply if isinstance(reply, str) else ""
        keys = 1 if question.kind == "choice" else len(text) + 1
        self.keys += keys
        self.text += 0 if question.kind == "choice" else len(text)
        if question.kind == "text" and text and self._board is not None:
            if self._words is None or self._words[0] is not self._board:
                self._words = (self._board, Vocabulary(texts(self._board.analysis)))
            vocabulary = self._words[1]
            keys = completing(vocabulary.words, text) + 1
            vocabulary.add(text)
        self.completed += keys
        return reply


def _checks(a: Analysis, vid: str) -> str:
    return next(v.checks for v in a.verifications if v.id == vid)


def session(ex: Analysis, depth: str | None) -> tuple[Counting, Analysis, FromExample]:
    live = new_analysis("count", ex.title, who="bench", now=NOW, ticket=ex.ticket)
    if depth is not None:
        chosen_at_start(live, depth)  # type: ignore[arg-type]  # as ktcli new --depth does
    answers = FromExample(ex, live)
    prompter = Counting({}, fallback=answers)
    outcome = run(live, prompter, lambda a: None, who="bench", clock=lambda: NOW)
    assert outcome.complete
    return prompter, live, answers


class GuideAnswers:
    """Answers a guide (decide, protect) from the example, counting keys and texts typed."""

    def __init__(self) -> None:
        self.keys = 0
        self.completed = 0
        self.texts: list[str] = []

    def __call__(self, q: Question) -> Any:
        answer = DEFAULT if q.id.endswith(".refine") else self._answer(q.id.split(".")[1:])
        self.keys += keystrokes(q, answer)
        self.completed += completed_keys(q, answer)
        if isinstance(answer, str) and answer and q.kind == "text":
            self.texts.append(answer)
        return answer

    def _answer(self, parts: list[str]) -> Any:
        raise NotImplementedError


class ProtectionFromExample(GuideAnswers):
    """Answers the guided protection from the example's protection, counting keystrokes."""

    def __init__(self, ex: Analysis, live: Analysis) -> None:
        super().__init__()
        assert ex.protection is not None
        self.ex, self.live, self.p = ex, live, ex.protection
        self.loops: dict[str, list[str]] = {"step": [st.text for st in self.p.steps] + [""]}
        for step in self.p.steps:
            self.loops[f"{step.id}.problem"] = [pp.text for pp in step.problems] + [""]
            for pp in step.problems:
                acts = [x for x in ex.actions if x.id in pp.actions]
                self.loops[f"{pp.id}.cause"] = [*pp.causes, ""]
                for kind in ("preventive", "contingent"):
                    self.loops[f"{pp.id}.{kind}"] = [x.text for x in acts if x.kind == kind] + [""]

    def _answer(self, parts: list[str]) -> Any:
        key = ".".join(parts)
        if key in self.loops:
            return self.loops[key].pop(0)
        if key == "plan":
            return self.p.plan
        if parts[0].startswith("p"):
            pp = next(pp for st in self.p.steps for pp in st.problems if pp.id == parts[0])
            return getattr(pp, parts[1])
        mine = next(x for x in self.live.actions if x.id == parts[0])
        theirs = next(x for x in self.ex.actions if x.text == mine.text)
        return getattr(theirs, parts[1]) or ""


class DecisionFromExample(GuideAnswers):
    """Answers the guided decision from the example's decision, counting keystrokes."""

    def __init__(self, ex: Analysis) -> None:
        super().__init__()
        assert ex.decision is not None
        self.d = ex.decision
        self.loops: dict[str, list[str]] = {
            "must": [m.text for m in self.d.musts] + [""],
            "want": [w.text for w in self.d.wants] + [""],
            "option": [o.text for o in self.d.options] + [""],
        }
        for o in self.d.options:
            self.loops[f"{o.id}.risk"] = [r.text for r in o.risks] + [""]

    def _answer(self, parts: list[str]) -> Any:
        d = self.d
        key = ".".join(parts)
        if key in self.loops:
            return self.loops[key].pop(0)
        if key == "statement":
            return d.statement
        if key == "choice":
            assert d.choice is not None
            return d.choice.option
        if key == "reason":
            assert d.choice is not None
            return d.choice.reason or ""
        if parts[-1] == "weight":
            return str(next(w.weight for w in d.wants if w.id == parts[0]))
        option = next(o for o in d.options if o.id == parts[0])
        if parts[1].startswith("risk"):
            return getattr(option.risks[int(parts[1][4:]) - 1], parts[2])
        if parts[1].startswith("m"):
            screen = option.screens[parts[1]]
            return (screen.fact or "") if len(parts) == 3 else ("pass" if screen.passes else "fail")
        score = option.scores[parts[1]]
        return (score.fact or "") if len(parts) == 3 else str(score.score)


def decision_session(ex: Analysis) -> tuple[ScriptedPrompter, Analysis, DecisionFromExample]:
    """The worked example's decision, asked from scratch by the guided decision."""
    live = new_analysis("count", ex.title, who="bench", now=NOW, ticket=ex.ticket)
    live.decision = Decision()
    answers = DecisionFromExample(ex)
    prompter = ScriptedPrompter({}, fallback=answers)
    outcome = run(live, prompter, lambda a: None, who="bench", clock=lambda: NOW, only="decide")
    assert outcome.complete
    return prompter, live, answers


def protection_session(ex: Analysis) -> tuple[ScriptedPrompter, Analysis, ProtectionFromExample]:
    """The worked example's rollout protection, asked from scratch by the guided protection."""
    live = new_analysis("count", ex.title, who="bench", now=NOW, ticket=ex.ticket)
    live.protection = Protection()
    answers = ProtectionFromExample(ex, live)
    prompter = ScriptedPrompter({}, fallback=answers)
    outcome = run(live, prompter, lambda a: None, who="bench", clock=lambda: NOW, only="protect")
    assert outcome.complete
    return prompter, live, answers


def main() -> None:
    ex = parse_analysis(yamlio.read(EXAMPLE), str(EXAMPLE))
    all_texts: list[str] = []
    for label, depth in (("quick (ktcli new --depth quick)", "quick"), ("full", None)):
        prompter, live, answers = session(ex, depth)
        asked = [q for q in prompter.asked if not q.id.endswith(".refine")]
        probes = len(prompter.asked) - len(asked)
        by_section = Counter(q.section for q in asked)
        was_prompts, was_keys = BEFORE[depth or "full"]
        print(
            f"{label}: {len(asked)} questions (+{probes} probing follow-ups), "
            f"{prompter.keys} keystrokes; before: {was_prompts} questions, {was_keys} keystrokes "
            f"({len(asked) / was_prompts:.0%} of the prompts, {prompter.keys / was_keys:.0%} "
            "of the keys)"
        )
        print("  " + ", ".join(f"{s} {n}" for s, n in by_section.items()))
        typed = prompter.text
        print(
            f"  of which {typed} characters of recorded text ({typed / prompter.keys:.0%}); "
            f"the other {prompter.keys - typed} keys choose, pick sources and confirm"
        )
        if depth is None:
            print(f"  floor with every text still typed: {typed / was_keys:.0%} of the keys before")
        saved = prompter.keys - prompter.completed
        print(
            f"  with completion taken: {prompter.completed} keystrokes "
            f"({prompter.completed / was_keys:.0%} of the keys before); completion saves "
            f"{saved} keys ({saved / prompter.keys:.0%} of today's)"
        )
        print(f"  kept pitfall warnings: {len(live.pitfalls)}")
        all_texts += answers.texts
    prompter, live, decided = decision_session(ex)
    asked = [q for q in prompter.asked if not q.id.endswith(".refine")]
    probes = len(prompter.asked) - len(asked)
    assert live.decision is not None
    assert live.decision.choice is not None
    chosen = live.decision.choice.option
    print(
        f"decision (ktcli decide ID): {len(asked)} questions (+{probes} probing follow-ups), "
        f"{decided.keys} keystrokes ({decided.completed} with completion taken); chose {chosen}"
    )
    typed = sum(len(t) for t in decided.texts)
    print(f"  of which {typed} characters of text in {len(decided.texts)} answers")
    all_texts += decided.texts
    prompter, live, protected = protection_session(ex)
    asked = [q for q in prompter.asked if not q.id.endswith(".refine")]
    probes = len(prompter.asked) - len(asked)
    print(
        f"protection (ktcli protect ID): {len(asked)} questions (+{probes} probing follow-ups), "
        f"{protected.keys} keystrokes ({protected.completed} with completion taken); "
        f"{len(live.actions)} actions"
    )
    typed = sum(len(t) for t in protected.texts)
    print(f"  of which {typed} characters of text in {len(protected.texts)} answers")
    all_texts += protected.texts
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        for text in all_texts:
            find_pitfalls(text, kinds=("vague", "causal", "loaded", "bundled"))
    per = (time.perf_counter() - start) / (runs * len(all_texts))
    longest = max(len(t) for t in all_texts)
    print(
        f"pitfall check: {per * 1e6:.1f} µs per answer on average over {len(all_texts)} answers "
        f"of the example (longest {longest} characters)"
    )


if __name__ == "__main__":
    main()
