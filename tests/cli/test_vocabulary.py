"""The command-line choices are the vocabulary's values (typer needs enums, so they are repeated)."""

from __future__ import annotations

import enum
from typing import Any, get_args

import pytest

from ktcli.cli import build, common, session, work
from ktcli.core import vocabulary


@pytest.mark.parametrize(
    ("choices", "values"),
    [
        (build.DepthOpt, vocabulary.Depth),
        (session.DepthOpt, vocabulary.Depth),
        (work.ActionKindOpt, vocabulary.ActionKind),
        (common.RatingOpt, vocabulary.Rating),
    ],
)
def test_cli_choices_are_the_vocabulary(choices: type[enum.Enum], values: Any) -> None:
    assert [c.value for c in choices] == list(get_args(values))


def test_side_choices_name_the_vocabulary_sides() -> None:
    assert [c.key for c in common.SideOpt] == list(vocabulary.SIDE_LABELS)
