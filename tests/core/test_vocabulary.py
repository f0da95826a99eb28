"""The vocabulary: one label per value, for every value the document can hold."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from ktcli.core import model, vocabulary
from ktcli.core.vocabulary import (
    ACTION_KIND_TITLES,
    ACTION_STATUS_LABELS,
    DEPTH_LABELS,
    NEXT_STEP_LABELS,
    RATINGS,
    SIDE_LABELS,
    VERDICT_LEADS,
    VERDICT_SHORT,
    VERDICT_SYMBOLS,
    VERDICT_WORDS,
)


@pytest.mark.parametrize(
    ("table", "values"),
    [
        (SIDE_LABELS, vocabulary.Side),
        (RATINGS, vocabulary.Rating),
        (NEXT_STEP_LABELS, vocabulary.NextStep),
        (DEPTH_LABELS, vocabulary.Depth),
        (VERDICT_SYMBOLS, vocabulary.Verdict),
        (VERDICT_WORDS, vocabulary.Verdict),
        (VERDICT_SHORT, vocabulary.Verdict),
        (VERDICT_LEADS, vocabulary.Verdict),
        (ACTION_KIND_TITLES, vocabulary.ActionKind),
        (ACTION_STATUS_LABELS, vocabulary.ActionStatus),
    ],
)
def test_every_value_has_exactly_one_label(table: Any, values: Any) -> None:
    assert list(table) == list(get_args(values))


@pytest.mark.parametrize(
    ("model_class", "field", "values"),
    [
        (model.Concern, "seriousness", vocabulary.Rating),
        (model.Concern, "next_step", vocabulary.NextStep),
        (model.Appraisal, "depth", vocabulary.Depth),
        (model.CauseTest, "verdict", vocabulary.Verdict),
        (model.Action, "kind", vocabulary.ActionKind),
        (model.Action, "status", vocabulary.ActionStatus),
    ],
)
def test_the_document_stores_the_vocabulary_values(
    model_class: Any, field: str, values: Any
) -> None:
    annotation = model_class.model_fields[field].annotation
    assert values in (annotation, *get_args(annotation))


def test_the_symbols_of_a_grid_are_distinct() -> None:
    symbols = [*VERDICT_SYMBOLS.values(), vocabulary.UNTESTED_SYMBOL]
    assert len(set(symbols)) == len(symbols)
