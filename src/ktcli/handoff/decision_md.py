"""The decision and the protection as tables, for the Markdown handoff and for ``show``.

Pure: analysis in, plain cells out. :func:`decision_blocks` and
:func:`protection_blocks` say *what* the tables hold (plain text, unescaped);
:func:`markdown_lines` escapes every cell for a ticket, and ``ktcli.ui`` renders
the same blocks in the terminal, so both say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ktcli.core import deciding
from ktcli.handoff.mdtext import inline

if TYPE_CHECKING:
    from ktcli.core.model import Action, Analysis, Decision, Protection


@dataclass(frozen=True)
class Block:
    """One titled part: sentences, then a table (header and rows), either may be empty."""

    title: str
    lead: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _fact(fact: str | None) -> str:
    return f": {fact}" if fact and fact.strip() else " (no fact)"


def _screens(d: Decision) -> Block:
    header = ["Option", *(f"MUST {m.id}: {m.text}" for m in d.musts), "Result"]
    rows = []
    for r in deciding.rank_options(d):
        cells = []
        for m in d.musts:
            s = r.option.screens.get(m.id)
            cells.append(
                "not screened" if s is None else f"{'pass' if s.passes else 'fail'}{_fact(s.fact)}"
            )
        result = f"out: fails {', '.join(r.failed)}" if r.out else "in"
        rows.append([f"{r.option.id} {r.option.text}", *cells, result])
    return Block("Options against the MUSTs", header=header, rows=rows)


def _scores(d: Decision) -> Block:
    weight = {w.id: w.weight for w in d.wants}
    header = ["Rank", "Option"]
    header += [f"WANT {w.id}: {w.text} (weight {w.weight or 'none'})" for w in d.wants]
    header.append("Total")
    rows = []
    for rank, r in enumerate((r for r in deciding.rank_options(d) if not r.out), 1):
        cells = []
        for w in d.wants:
            s = r.option.scores.get(w.id)
            points = f" = {s.score * (weight[w.id] or 0)}" if s is not None else ""
            cells.append("not scored" if s is None else f"{s.score}{points}{_fact(s.fact)}")
        rows.append([str(rank), f"{r.option.id} {r.option.text}", *cells, str(r.total)])
    lead = [
        "Each score (1-10) times its WANT's weight; options a MUST screened out are not scored."
    ]
    return Block("Options against the WANTs, weighted", lead, header, rows)


def _risks(d: Decision) -> Block:
    rows = [
        [f"{r.option.id} {r.option.text}", risk.text, risk.probability, risk.seriousness]
        for r in deciding.leaders(d)
        for risk in r.option.risks
    ]
    unweighed = [r.option.id for r in deciding.leaders(d) if not r.option.risks]
    lead = [f"No risks recorded for: {', '.join(unweighed)}."] if unweighed else []
    return Block(
        "Risks of the leaders",
        lead,
        ["Option", "What could go wrong", "Probability", "Seriousness"],
        rows,
    )


def _choice(d: Decision) -> Block:
    option = deciding.chosen(d)
    if d.choice is None or option is None:
        return Block("Choice", ["No choice yet."])
    total = deciding.weighted_total(d, option)
    lead = [f"Chosen: {option.id} {option.text} (total {total})."]
    if deciding.against_ranking(d):
        top = deciding.top_option(d)
        best = (
            f"the top score is {top.option.id} ({top.total})" if top else "the top score is a tie"
        )
        lead.append(f"Against the ranking: {best}.")
    lead.append(f"Why: {d.choice.reason}." if d.choice.reason else "Why: no reason recorded.")
    return Block("Choice", lead)


def decision_blocks(a: Analysis) -> list[Block]:
    """The Decision Analysis, part by part; empty when the analysis has none."""
    d = a.decision
    if d is None:
        return []
    lead = [f"Deciding: {d.statement or 'no decision statement yet'}"]
    if d.concern:
        lead.append(f"For concern {d.concern}.")
    return [Block("Decision", lead), _screens(d), _scores(d), _risks(d), _choice(d)]


def _action_cell(actions: list[Action]) -> str:
    parts = []
    for x in actions:
        owner = f" (owner: {x.owner})" if x.owner else ""
        trigger = f"; when: {x.trigger}" if x.trigger else ""
        parts.append(f"{x.id} {x.text}{trigger}{owner}")
    return "\n".join(parts) or "none"


def _plan_rows(a: Analysis, p: Protection) -> list[list[str]]:
    rows = []
    for step in p.steps:
        label = f"{step.id} {step.text}"
        if not step.problems:
            rows.append([label, "none foreseen", "", "", "", ""])
        for i, pp in enumerate(step.problems):
            acts = deciding.problem_actions(a, pp)
            rating = f"{pp.probability} / {pp.seriousness}" + (
                " (serious)" if deciding.is_serious(pp) else ""
            )
            rows.append(
                [
                    label if i == 0 else "",
                    f"{pp.id} {pp.text}",
                    rating,
                    "\n".join(pp.causes) or "none recorded",
                    _action_cell([x for x in acts if x.kind == "preventive"]),
                    _action_cell([x for x in acts if x.kind == "contingent"]),
                ]
            )
    return rows


def protection_blocks(a: Analysis) -> list[Block]:
    """The Potential Problem Analysis as one table of steps x problems x actions."""
    p = a.protection
    if p is None:
        return []
    lead = [f"Protecting: {p.plan or 'no plan named yet'}"]
    if p.concern:
        lead.append(f"For concern {p.concern}.")
    header = [
        "Step",
        "Potential problem",
        "Probability / seriousness",
        "Likely causes",
        "Preventive",
        "Contingent (trigger)",
    ]
    return [Block("Protecting the plan", lead, header, _plan_rows(a, p))]


def _decision_facts(d: Decision) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {
        "decision.statement": ("Decision statement", d.statement),
    }
    for m in d.musts:
        out[f"decision.musts.{m.id}"] = (f"MUST {m.id}", m.text)
    for w in d.wants:
        out[f"decision.wants.{w.id}"] = (f"WANT {w.id}", f"{w.text} (weight {w.weight or 'none'})")
    for o in d.options:
        key = f"decision.options.{o.id}"
        out[key] = (f"Option {o.id}", o.text)
        for must_id, s in o.screens.items():
            verdict = "pass" if s.passes else "fail"
            out[f"{key}.screens.{must_id}"] = (
                f"Option {o.id} against {must_id}",
                f"{verdict}{_fact(s.fact)}",
            )
        for want_id, sc in o.scores.items():
            out[f"{key}.scores.{want_id}"] = (
                f"Option {o.id} against {want_id}",
                f"{sc.score}{_fact(sc.fact)}",
            )
        for i, r in enumerate(o.risks):
            out[f"{key}.risks.{i}"] = (
                f"Option {o.id} risk {i + 1}",
                f"{r.text} ({r.probability} / {r.seriousness})",
            )
    if d.choice is not None:
        why = f": {d.choice.reason}" if d.choice.reason else ""
        out["decision.choice"] = ("Choice", f"{d.choice.option}{why}")
    return out


def facts(a: Analysis) -> dict[str, tuple[str, str | None]]:
    """Every item of the decision and protection: where -> (label, text), for ``diff``."""
    out: dict[str, tuple[str, str | None]] = {}
    if a.decision is not None:
        out.update(_decision_facts(a.decision))
    p = a.protection
    if p is not None:
        out["protection.plan"] = ("Plan", p.plan)
        for step in p.steps:
            out[f"protection.steps.{step.id}"] = (f"Plan step {step.id}", step.text)
        for step, pp in deciding.potential_problems(p):
            out[f"protection.{pp.id}"] = (
                f"Potential problem {pp.id} ({step.id})",
                f"{pp.text} ({pp.probability} / {pp.seriousness}); causes: "
                + ("; ".join(pp.causes) or "none")
                + f"; actions: {', '.join(pp.actions) or 'none'}",
            )
    return out


def _lower(text: str) -> str:
    """Lower the first letter for the middle of a sentence, but not of an acronym ('EU')."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def plan_sentence(a: Analysis) -> str | None:
    """For the customer: "We chose X because ...; if Y happens, we will Z." None with neither.

    The contingent actions with a trigger are the "if": what we do should the
    plan go wrong anyway.
    """
    parts = []
    d = a.decision
    option = deciding.chosen(d) if d is not None else None
    if d is not None and d.choice is not None and option is not None:
        reason = (d.choice.reason or "").strip().rstrip(".")
        parts.append(
            f"we chose to {_lower(option.text)}" + (f" because {reason}" if reason else "")
        )
    parts += [
        f"if {_lower(x.trigger.strip())}, we will {_lower(x.text)}"
        for x in a.actions
        if x.kind == "contingent" and x.trigger and x.trigger.strip() and x.status != "done"
    ]
    if not parts:
        return None
    text = "; ".join(parts)
    return text[:1].upper() + text[1:].rstrip(".") + "."


def markdown_lines(a: Analysis) -> list[str]:
    """Both analyses as Markdown sections, every cell escaped; empty when there are none."""
    lines: list[str] = []
    for group in (decision_blocks(a), protection_blocks(a)):
        for i, block in enumerate(group):
            lines += ["", f"{'##' if i == 0 else '###'} {block.title}"]
            for sentence in block.lead:
                lines += ["", inline(sentence)]
            if block.header:
                lines.append("")
            if block.header and block.rows:
                lines.append("| " + " | ".join(inline(h) for h in block.header) + " |")
                lines.append("|" + "|".join(" --- " for _ in block.header) + "|")
                lines += [
                    "| " + " | ".join(inline(c) or " " for c in row) + " |" for row in block.rows
                ]
            elif block.header:
                lines.append("_None recorded._")
    return lines
