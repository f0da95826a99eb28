"""Pure rules for deciding and acting: Decision Analysis and Potential Problem Analysis.

MUSTs screen options out; weighted WANTs score the rest and rank them; the
risks of the leaders are weighed before choosing; a choice against the ranking
says why. A plan's serious potential problems get preventive actions (less
likely) or contingent ones (less harmful), each contingent action with its
trigger. Nothing here reads a file, prompts or prints; see
docs/decide-and-protect.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ktcli.errors import ConflictError, NotFoundError

if TYPE_CHECKING:
    from ktcli.core.model import (
        Action,
        Analysis,
        Decision,
        Option,
        PlanStep,
        PotentialProblem,
        Protection,
    )

Loc = tuple[str | int, ...]

#: How many of the best-ranked options have their risks weighed before choosing.
LEADERS = 3


# -- Decision Analysis ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedOption:
    """One option's standing: MUSTs it fails, its weighted total, the WANTs not yet scored."""

    option: Option
    failed: tuple[str, ...]
    total: int
    unscored: tuple[str, ...]

    @property
    def out(self) -> bool:
        """It fails a MUST: no score can bring it back."""
        return bool(self.failed)


def failed_musts(option: Option) -> tuple[str, ...]:
    """The MUSTs this option fails, in the order they were screened."""
    return tuple(m for m, screen in option.screens.items() if not screen.passes)


def weighted_total(d: Decision, option: Option) -> int:
    """Sum of weight x score over the WANTs that have both."""
    total = 0
    for want in d.wants:
        score = option.scores.get(want.id)
        if want.weight is not None and score is not None:
            total += want.weight * score.score
    return total


def assess_option(d: Decision, option: Option) -> RankedOption:
    """One option screened and totalled."""
    unscored = tuple(w.id for w in d.wants if w.id not in option.scores)
    return RankedOption(option, failed_musts(option), weighted_total(d, option), unscored)


def rank_options(d: Decision) -> list[RankedOption]:
    """Options still in, highest weighted total first; those a MUST screened out last."""
    ranked = [assess_option(d, o) for o in d.options]
    # sorted() is stable: equal totals keep the order the options were entered.
    return sorted(ranked, key=lambda r: (r.out, -r.total))


def leaders(d: Decision) -> list[RankedOption]:
    """The best two or three options still in: the ones whose risks are weighed."""
    return [r for r in rank_options(d) if not r.out][:LEADERS]


def top_option(d: Decision) -> RankedOption | None:
    """The one option with the highest total; None with no option in, or a tie at the top."""
    best = leaders(d)
    if not best or (len(best) > 1 and best[1].total == best[0].total):
        return None
    return best[0]


def chosen(d: Decision) -> Option | None:
    """The option chosen, if any."""
    if d.choice is None:
        return None
    return next((o for o in d.options if o.id == d.choice.option), None)


def against_ranking(d: Decision) -> bool:
    """The choice is not the top score (or the top is a tie): it needs a reason."""
    option = chosen(d)
    if option is None:
        return False
    top = top_option(d)
    return top is None or top.option.id != option.id


# -- Potential Problem Analysis ------------------------------------------------------------------


def is_serious(problem: PotentialProblem) -> bool:
    """Serious enough to act on: seriousness high, or medium and not unlikely.

    A likely nuisance (seriousness low) is noted, not planned for; a grave one
    is planned for however unlikely.
    """
    if problem.seriousness == "high":
        return True
    return problem.seriousness == "medium" and problem.probability != "low"


def potential_problems(p: Protection) -> Iterator[tuple[PlanStep, PotentialProblem]]:
    """Every potential problem with its step, in plan order."""
    for step in p.steps:
        for problem in step.problems:
            yield step, problem


def problem_actions(a: Analysis, problem: PotentialProblem) -> list[Action]:
    """The analysis's actions that guard against this problem, in the order it lists them."""
    by_id = {x.id: x for x in a.actions}
    return [by_id[i] for i in problem.actions if i in by_id]


def unprotected(a: Analysis) -> list[PotentialProblem]:
    """Serious potential problems with neither a preventive nor a contingent action."""
    if a.protection is None:
        return []
    return [
        problem
        for _, problem in potential_problems(a.protection)
        if is_serious(problem)
        and not any(x.kind in ("preventive", "contingent") for x in problem_actions(a, problem))
    ]


def guarded(a: Analysis) -> dict[str, list[str]]:
    """Action id -> the potential problems it guards against."""
    out: dict[str, list[str]] = {}
    if a.protection is not None:
        for _, problem in potential_problems(a.protection):
            for action_id in problem.actions:
                out.setdefault(action_id, []).append(problem.id)
    return out


# -- integrity: references that must resolve ------------------------------------------------------


def _dupes(kind: str, ids: list[tuple[Loc, str]]) -> list[tuple[Loc, str]]:
    seen: set[str] = set()
    out: list[tuple[Loc, str]] = []
    for loc, ident in ids:
        if ident in seen:
            out.append((loc, f"duplicate {kind} id {ident!r}"))
        seen.add(ident)
    return out


def _decision_problems(a: Analysis, d: Decision) -> list[tuple[Loc, str]]:
    base: Loc = ("decision",)
    problems = _dupes("MUST", [((*base, "musts", i, "id"), m.id) for i, m in enumerate(d.musts)])
    problems += _dupes("WANT", [((*base, "wants", i, "id"), w.id) for i, w in enumerate(d.wants)])
    problems += _dupes(
        "option", [((*base, "options", i, "id"), o.id) for i, o in enumerate(d.options)]
    )
    musts, wants = {m.id for m in d.musts}, {w.id for w in d.wants}
    for i, o in enumerate(d.options):
        loc: Loc = (*base, "options", i)
        problems += [
            ((*loc, "screens", m), f"unknown MUST {m!r}") for m in o.screens if m not in musts
        ]
        problems += [
            ((*loc, "scores", w), f"unknown WANT {w!r}") for w in o.scores if w not in wants
        ]
    if d.choice is not None and chosen(d) is None:
        problems.append(((*base, "choice", "option"), f"unknown option {d.choice.option!r}"))
    if d.concern is not None and d.concern not in {c.id for c in a.appraisal.concerns}:
        problems.append(((*base, "concern"), f"unknown concern {d.concern!r}"))
    return problems


def _protection_problems(a: Analysis, p: Protection) -> list[tuple[Loc, str]]:
    base: Loc = ("protection",)
    problems = _dupes("step", [((*base, "steps", i, "id"), s.id) for i, s in enumerate(p.steps)])
    located = [
        ((*base, "steps", i, "problems", j), problem)
        for i, step in enumerate(p.steps)
        for j, problem in enumerate(step.problems)
    ]
    problems += _dupes("potential problem", [((*loc, "id"), pp.id) for loc, pp in located])
    actions = {x.id for x in a.actions}
    for loc, pp in located:
        problems += [
            ((*loc, "actions", k), f"unknown action {ref!r}")
            for k, ref in enumerate(pp.actions)
            if ref not in actions
        ]
    if p.concern is not None and p.concern not in {c.id for c in a.appraisal.concerns}:
        problems.append(((*base, "concern"), f"unknown concern {p.concern!r}"))
    return problems


def integrity(a: Analysis) -> list[tuple[Loc, str]]:
    """Duplicate ids and broken references in the decision and the protection."""
    problems: list[tuple[Loc, str]] = []
    if a.decision is not None:
        problems += _decision_problems(a, a.decision)
    if a.protection is not None:
        problems += _protection_problems(a, a.protection)
    return problems


# -- edits used by the commands and the guided session -------------------------------------------


def decision_of(a: Analysis) -> Decision:
    """The analysis's decision, started empty when there is none yet."""
    from ktcli.core.model import Decision

    if a.decision is None:
        a.decision = Decision()
    return a.decision


def protection_of(a: Analysis) -> Protection:
    """The analysis's protection, started empty when there is none yet."""
    from ktcli.core.model import Protection

    if a.protection is None:
        a.protection = Protection()
    return a.protection


def require_option(d: Decision, option_id: str) -> Option:
    """The option, or a NotFoundError that lists the valid ones."""
    option = next((o for o in d.options if o.id == option_id), None)
    if option is None:
        valid = ", ".join(o.id for o in d.options) or "none yet"
        raise NotFoundError(f"no option {option_id!r}", hint=f"Options are: {valid}.")
    return option


def require_objective(d: Decision, objective_id: str, kind: str) -> None:
    """Refuse a MUST or WANT id that does not exist, naming the valid ones."""
    ids = [m.id for m in d.musts] if kind == "MUST" else [w.id for w in d.wants]
    if objective_id not in ids:
        valid = ", ".join(ids) or "none yet"
        raise NotFoundError(f"no {kind} {objective_id!r}", hint=f"{kind}s are: {valid}.")


def require_problem(p: Protection, problem_id: str) -> PotentialProblem:
    """The potential problem, or a NotFoundError that lists the valid ones."""
    found = [pp for _, pp in potential_problems(p) if pp.id == problem_id]
    if not found:
        valid = ", ".join(pp.id for _, pp in potential_problems(p)) or "none yet"
        raise NotFoundError(f"no potential problem {problem_id!r}", hint=f"They are: {valid}.")
    return found[0]


def require_step(p: Protection, step_id: str) -> PlanStep:
    """The plan step, or a NotFoundError that lists the valid ones."""
    step = next((s for s in p.steps if s.id == step_id), None)
    if step is None:
        valid = ", ".join(s.id for s in p.steps) or "none yet"
        raise NotFoundError(f"no plan step {step_id!r}", hint=f"Steps are: {valid}.")
    return step


def refuse_out_option(d: Decision, option: Option, doing: str) -> None:
    """An option a MUST screened out is not scored, weighed or chosen."""
    failed = failed_musts(option)
    if failed:
        # The command line is right; the analysis refuses: exit 1, not 2.
        raise ConflictError(
            f"option {option.id} fails MUST {', '.join(failed)}: it is out, nothing to {doing}",
            hint="Screen it again if the fact was wrong.",
        )
