"""The analysis's own words, and the completion of the word being typed from them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ktcli.core.analysis import new_analysis
from ktcli.core.model import Cause, Fact
from ktcli.session.engine import run
from ktcli.session.testing import ScriptedPrompter, UnexpectedQuestion
from ktcli.session.words import complete, ranked, vocabulary

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


def test_the_vocabulary_holds_the_long_words_people_wrote_most_frequent_first() -> None:
    a = new_analysis("inc-1", "connection-pool exhausted on checkout-svc", who="ana", now=NOW)
    row = a.specification[0]
    row.is_ = Fact(text="checkout-svc pods in eu-1", source="Grafana board")
    a.causes.append(Cause(id="c1", text="connection-pool too small after release 4.2"))
    words = vocabulary(a)
    assert words[0] == "connection-pool"  # twice, and the most recent of those written twice
    assert words[1] == "checkout-svc"
    assert {"exhausted", "Grafana", "board", "release", "small"} <= set(words)
    assert not {"eu-1", "pods", "4.2"} & set(words)  # under 5 characters


def test_ties_go_to_the_most_recent_word() -> None:
    assert ranked(["alpha bravo", "charlie"]) == ("charlie", "bravo", "alpha")
    assert ranked(["alpha bravo", "charlie alpha"]) == ("alpha", "charlie", "bravo")


def test_complete_gives_the_rest_of_the_first_word_that_fits() -> None:
    words = ("connection-pool", "connections", "checkout-svc", "Grafana")
    assert complete(words, "the conn") == "ection-pool"
    assert complete(words, "the connection-") == "pool"
    assert complete(words, "the connections") == ""  # already whole
    assert complete(words, "the c") == ""  # two characters first
    assert complete(words, "the ch") == "eckout-svc"
    assert complete(words, "the gra") == "fana"  # any case when none in the same case
    assert complete(words, "the ") == ""
    assert complete(words, "conn ") == ""  # a space ends the word
    assert complete((), "conn") == ""


def test_same_case_first() -> None:
    assert complete(("Checkout", "checkpoint"), "Che") == "ckout"
    assert complete(("Checkout", "checkpoint"), "che") == "ckpoint"


def test_the_engine_gives_typed_questions_the_analysis_words_as_it_stands() -> None:
    a = new_analysis("inc-1", "connection-pool exhausted", who="ana", now=NOW)
    prompter = ScriptedPrompter(
        {
            "impact": "checkout orders fail",
            "appraisal.more": ["x", ""],
            "appraisal.k1.ratings": "hhh",
        }
    )
    with pytest.raises(UnexpectedQuestion):
        run(a, prompter, lambda _: None, who="ana", clock=lambda: NOW)
    impact, concern = prompter.asked[:2]
    assert impact.words == ("exhausted", "connection-pool")
    # The impact just answered is in the words of the next question.
    assert concern.words == ("orders", "checkout", "exhausted", "connection-pool")
    choices = [q for q in prompter.asked if q.kind in ("choice", "confirm", "checkbox")]
    assert choices
    assert all(q.words == () for q in choices)
