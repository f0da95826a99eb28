"""Depth rules: which depth the ticket argues for, and which one is in force."""

from __future__ import annotations

from ktcli.core.model import Analysis
from ktcli.session.questions import Depth
from ktcli.session.wording import FACTORS

_QUICK_PREFIX = "quick pass: "
_FULL_PREFIX = "full analysis: "


def suggest_depth(a: Analysis, factors: tuple[str, ...] = ()) -> tuple[Depth, str]:
    """Quick or full, and why: full for high priority, reopened, complex, no known fix, costly."""
    reasons = [c.label for c in FACTORS if c.value in factors]
    if a.appraisal.reopened and "reopened" not in factors:
        reasons.append("reopened: it came back after a fix")
    if "high_priority" not in factors and any(c.priority == "high" for c in a.appraisal.concerns):
        reasons.insert(0, "a concern of high priority")
    if reasons:
        return "full", _FULL_PREFIX + "; ".join(reasons)
    urgent = any(c.urgency == "high" for c in a.appraisal.concerns)
    return "quick", _QUICK_PREFIX + ("familiar and urgent" if urgent else "familiar, no known risk")


def suggested_depth(a: Analysis) -> Depth:
    """The depth the recorded reason argues for (the reason is written by :func:`suggest_depth`)."""
    reason = a.appraisal.depth_reason or ""
    if reason.startswith(_QUICK_PREFIX):
        return "quick"
    if reason.startswith(_FULL_PREFIX):
        return "full"
    return suggest_depth(a)[0]


def mode(a: Analysis) -> Depth:
    """The depth in force; before it is chosen, the appraisal is asked in full."""
    return a.appraisal.depth or "full"


def chosen_at_start(a: Analysis, depth: Depth) -> None:
    """The analyst gave the depth when starting (``--depth``): the session asks it once.

    Neither the factors that would suggest a depth nor the reason are asked
    (issue 10); the reason recorded says how the depth was chosen.
    """
    a.appraisal.depth = depth
    if a.appraisal.depth_reason is None:
        a.appraisal.depth_reason = f"{depth} analysis, chosen when starting (--depth {depth})"
    for asked in ("appraisal.factors", "appraisal.depth_reason"):
        if asked not in a.progress:
            a.progress.append(asked)
