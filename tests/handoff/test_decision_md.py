"""The decision and protection in the handoff: Markdown tables, show, diff, customer update."""

from __future__ import annotations

from ktcli.core.model import Option
from ktcli.handoff.decision_md import markdown_lines, plan_sentence
from ktcli.handoff.markdown import to_markdown
from ktcli.handoff.update import customer_update, update_text
from ktcli.handoff.versions import diff
from tests.core.test_deciding import decided, protected
from tests.factories import blank


def test_an_analysis_without_them_has_no_such_sections() -> None:
    assert markdown_lines(blank()) == []
    assert "## Decision" not in to_markdown(blank())
    assert plan_sentence(blank()) is None


def test_options_by_musts_and_by_weighted_wants_as_tables() -> None:
    md = to_markdown(decided())
    assert "| Option | MUST m1: Restores p99 below 1 s | MUST m2: No downtime | Result |" in md
    assert (
        "| o3 Restart the pods | fail: came back in 20 min | pass: rolling | out: fails m1 |" in md
    )
    header = (
        "| Rank | Option | WANT w1: Keeps the release's other fixes (weight 8) "
        "| WANT w2: Fast to apply (weight 5) | Total |"
    )
    assert header in md
    assert (
        "| 1 | o2 Revert only the pool setting | 10 = 80: keeps all | 7 = 35: 5 min | 115 |" in md
    )
    assert (
        "| 2 | o1 Roll back the whole release | 2 = 16: drops 14 fixes | 9 = 45: one click | 61 |"
        in md
    )
    assert "| o1 Roll back the whole release | Old TLS bug returns | medium | high |" in md
    assert "Chosen: o2 Revert only the pool setting (total 115)." in md
    assert "Why: no reason recorded." in md


def test_a_choice_against_the_ranking_says_so() -> None:
    a = decided()
    assert a.decision is not None
    assert a.decision.choice is not None
    a.decision.choice.option = "o1"
    assert "Against the ranking: the top score is o2 (115)." in to_markdown(a)


def test_user_text_in_the_tables_is_escaped() -> None:
    a = decided()
    assert a.decision is not None
    a.decision.options.append(Option(id="o4", text="a | b <script>\nnext \\ line"))
    md = to_markdown(a)
    assert (
        "| o4 a \\| b &lt;script&gt;<br>next \\\\ line | not screened | not screened | in |" in md
    )


def test_plan_steps_by_problems_by_actions() -> None:
    md = to_markdown(protected())
    assert (
        "| s1 Apply in eu-west-1 | p1 Black Friday traffic hits the database | medium / high "
        "(serious) | 3x traffic | a1 Load-test at twice Friday's peak "
        "| a2 Scale out the pool; when: p99 > 2 s (owner: SRE) |"
    ) in md.replace("&gt;", ">")
    assert "|   | p2 Dashboard lag | high / low | none recorded | none | none |" in md


def test_the_customer_hears_what_was_chosen_and_what_happens_if() -> None:
    a = protected()
    a.decision = decided().decision
    assert a.decision is not None
    assert a.decision.choice is not None
    a.decision.choice.reason = "it keeps every other fix."
    assert plan_sentence(a) == (
        "We chose to revert only the pool setting because it keeps every other fix; "
        "if p99 > 2 s, we will scale out the pool."
    )
    text = update_text(customer_update(a))
    assert "We chose to revert only the pool setting" in text
    assert "Should it go wrong anyway" not in text


def test_diff_names_each_changed_item() -> None:
    before, after = decided(), decided()
    assert after.decision is not None
    after.decision.options[1].scores["w2"].score = 3
    after.decision.wants[0].weight = 9
    changed = {(d.where, d.old, d.new) for d in diff(before, after)}
    assert ("decision.options.o2.scores.w2", "7: 5 min", "3: 5 min") in changed
    assert (
        "decision.wants.w1",
        "Keeps the release's other fixes (weight 8)",
        "Keeps the release's other fixes (weight 9)",
    ) in changed
    added = {d.where for d in diff(blank(), protected())}
    assert {"protection.plan", "protection.steps.s1", "protection.p1", "actions.a2"} <= added
