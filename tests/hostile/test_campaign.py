"""Issue 16, measured in the suite: kill -9 loses nothing saved, mutated files never crash.

Small versions of ``bench/bench_kill.py`` and ``bench/bench_fuzz.py``, using their
code so the benches and the suite check the same thing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import bench_fuzz
import bench_kill
from ktcli.core.document import to_yaml


@pytest.mark.pty
@pytest.mark.parametrize(
    ("answered", "mode", "delay"),
    [
        (1, "after-send", 0.0),  # the first answer sent, its save maybe unfinished
        (6, "typing", 0.1),  # half an answer to "When was it first seen?" on the line
        (9, "soon-after", 0.03),  # a few ms after the cause was sent
    ],
)
def test_a_killed_session_keeps_every_saved_answer(
    tmp_path: Path, answered: int, mode: str, delay: float
) -> None:
    pytest.importorskip("pexpect")
    outcome = bench_kill.kill_session(tmp_path, answered, mode, delay)
    assert outcome.corrupt == 0
    assert outcome.lost == 0
    assert outcome.left_open == 0, "the next locked open cleans what the kill left"


@pytest.fixture(scope="module")
def handoffs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("handoffs")
    old, new = bench_kill.versions(causes=10)
    files = {"old": root / "old.yaml", "new": root / "new.yaml"}
    files["old"].write_text(to_yaml(old), "utf-8")
    files["new"].write_text(to_yaml(new), "utf-8")
    return files


@pytest.mark.parametrize(("with_old", "delay"), [(True, 0.45), (False, 0.3)])
def test_a_killed_import_leaves_the_old_version_or_the_new(
    tmp_path: Path, handoffs: dict[str, Path], with_old: bool, delay: float
) -> None:
    outcome = bench_kill.kill_import(tmp_path, handoffs, with_old=with_old, delay=delay)
    assert outcome.corrupt == 0
    assert outcome.lost == 0
    assert outcome.left_open == 0


def test_300_mutated_files_are_accepted_or_refused_with_file_line_col() -> None:
    tally, _ = bench_fuzz.run(300, seed=16)
    assert [tb for _kind, _data, tb in tally.tracebacks] == []
    assert tally.unlocated == 0, [msg for _data, msg in tally.unlocated_samples]
    assert tally.located > 100, "the mutations must reach the readers' refusals"
    assert tally.accepted + tally.located == 300
