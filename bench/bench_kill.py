"""kill -9 at random points of a session, an import, an escalation: nothing corrupt or lost.

Three kinds of run, each in a fresh store (``KTCLI_HOME``), ``NO_COLOR=1``:

session   ``ktcli new --depth quick`` in a real pty (pexpect), a random number of
          questions answered, then SIGKILL: right after an answer is sent (its save
          may not have finished), a few ms later, or while the next one is typed;
import    ``ktcli import FILE`` of a large handoff into a store holding an older
          version of it or nothing, killed after 0-300 ms (or up to a clean run's time);
escalate  ``ktcli escalate ID --to L3 --reason r -o OUT --yes``, killed after 0-800 ms (or up to
          a clean run's time).

After each kill: every ``*.yaml`` in the store and the output folder must parse;
the session's file holds a prefix of the answers typed, including every answer
whose save completed; the import's and escalation's stored history extends what
was there before. Leftovers (``.*.tmp``, lock files naming a dead holder) are
counted right after the kill, after the next ``ktcli show ID`` (which reads
without the lock) and after the next locked open (re-importing the stored file,
which takes the lock and finds it identical)::

    python bench/bench_kill.py [--runs 120] [--seed 16]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate import T0, big_analysis
from ktcli.core.analysis import record
from ktcli.core.document import parse_analysis, to_yaml
from ktcli.core.model import Analysis

KTCLI = [sys.executable, "-m", "ktcli"]
SESSION_ID = "inc-1"
BIG_ID = "big"
TIMEOUT = 30

# The questions of a quick session in order, with the answer typed; "" is Enter
# (the suggestion, or nothing ticked), which leaves no text of ours to look for.
QUICK: list[tuple[str, str]] = [
    ("What does this problem cost the customer's business?", "1 in 5 EU orders lost"),
    ("Which one object shows the problem?", "Order API"),
    ("What exactly is wrong with it?", "answers in more than 5 s"),
    ("Who or what told you this?", "customer call, J. Roe"),
    ("Which of the playbook's evidence applies here?", ""),
    ("IS - Where is the object when it happens?", "EU pool eu-1"),
    ("When was it first seen?", "2026-11-20 14:05 UTC"),
    ("How many objects have the problem?", "3 of 12 EU hosts"),
    ("What is the likely cause?", "DB pool too small in build 42"),
    ("How will you confirm this", "roll one EU host back to build 41"),
    ("What restores service now", "route EU checkout via the US pool"),
]


@dataclass
class Outcome:
    corrupt: int = 0
    lost: int = 0
    left_killed: int = 0
    left_show: int = 0
    left_open: int = 0
    tmp_killed: int = 0  # of the leftovers, how many are temp files (the rest: locks)
    tmp_show: int = 0
    tmp_open: int = 0


def env_for(store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KTCLI_", "FORCE_COLOR"))}
    env.update(
        KTCLI_HOME=str(store),
        KTCLI_CACHE=str(store.parent / "validated"),
        KTCLI_ANALYST="ana",
        KTCLI_NOW="2026-11-24T09:00:00Z",
        NO_COLOR="1",
        TERM="xterm-256color",
        COLUMNS="100",
        LINES="40",
        PROMPT_TOOLKIT_NO_CPR="1",
    )
    return env


def ktcli(store: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KTCLI, *args], env=env_for(store), cwd=cwd, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers(*folders: Path) -> int:
    """Temp files and lock files that still name a holder that is gone."""
    count = 0
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if re.fullmatch(r"\..*\.tmp", path.name):
                count += 1
            elif path.suffix == ".lock":
                m = re.search(r" pid (\d+) ", path.read_text("utf-8", "replace"))
                if m and not _pid_alive(int(m.group(1))):
                    count += 1
    return count


def temp_files(*folders: Path) -> int:
    return sum(
        1 for f in folders if f.is_dir() for p in f.iterdir() if re.fullmatch(r"\..*\.tmp", p.name)
    )


def corrupt_files(*folders: Path) -> int:
    bad = 0
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.glob("*.yaml"):
            try:
                parse_analysis(path.read_text("utf-8"), str(path))
            except Exception:
                bad += 1
    return bad


def stored(store: Path, analysis_id: str) -> Analysis | None:
    path = store / f"{analysis_id}.yaml"
    if not path.exists():
        return None
    try:
        return parse_analysis(path.read_text("utf-8"), str(path))
    except Exception:
        return None


def after_kill(store: Path, analysis_id: str, out: Path | None, outcome: Outcome) -> None:
    """Count leftovers now, after a ``show`` and after a locked open of the analysis."""
    folders = (store,) if out is None else (store, out)
    outcome.corrupt += corrupt_files(*folders)
    outcome.left_killed += leftovers(*folders)
    outcome.tmp_killed += temp_files(*folders)
    path = store / f"{analysis_id}.yaml"
    ktcli(store, "show", analysis_id)
    outcome.left_show += leftovers(*folders)
    outcome.tmp_show += temp_files(*folders)
    if path.exists():
        copy = store.parent / "reopen.yaml"
        copy.write_bytes(path.read_bytes())
        ktcli(store, "import", str(copy))  # takes the lock; identical, so nothing changes
    else:
        # Killed before its first save: the next command for that id starts it afresh,
        # and takes its lock as any open does (the kill's timing must not decide this).
        ktcli(store, "create", "--title", "again", "--id", analysis_id)
    outcome.left_open += leftovers(*folders)
    outcome.tmp_open += temp_files(*folders)


# -- session ---------------------------------------------------------------------------------


def session_run(rng: random.Random, work: Path) -> Outcome:
    answered = rng.randint(0, len(QUICK))
    mode = rng.choice(["after-send", "soon-after", "typing"])
    if answered == len(QUICK) and mode == "typing":
        mode = "after-send"
    delay = rng.uniform(0, 0.2 if mode == "typing" else 0.1)
    return kill_session(work, answered, mode, delay)


def kill_session(work: Path, answered: int, mode: str, delay: float) -> Outcome:
    """Answer ``answered`` questions of a quick session, then SIGKILL it as ``mode`` says."""
    import pexpect

    store = work / "store"
    outcome = Outcome()
    child = pexpect.spawn(
        KTCLI[0], [*KTCLI[1:], "new", "--title", "T", "--ticket", "INC-1", "--depth", "quick"],
        env=env_for(store), cwd=str(work), encoding="utf-8", timeout=TIMEOUT, dimensions=(40, 100),
    )  # fmt: skip
    for question, text in QUICK[:answered]:
        child.expect_exact(question)
        child.sendline(text)
    if mode == "soon-after":
        time.sleep(delay)
    elif mode == "typing":
        child.expect_exact(QUICK[answered][0])
        child.send("partial-typing")
        time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    # Saved for sure: every answer before the last one sent (the next question was on the
    # screen, so its save had finished); in "typing" mode the last one too.
    sure = answered if mode == "typing" else max(0, answered - 1)
    outcome.lost += session_lost(store, sure, answered)
    after_kill(store, SESSION_ID, None, outcome)
    return outcome


def session_lost(store: Path, sure: int, sent: int) -> int:
    """Answers missing that must be there, plus anything that breaks the prefix rule."""
    path = store / f"{SESSION_ID}.yaml"
    text = path.read_text("utf-8", "replace") if path.exists() else ""
    present = [bool(a) and a in text for _q, a in QUICK]
    lost = sum(1 for i in range(sure) if QUICK[i][1] and not present[i])
    # Never an answer that was not sent, and never the half-typed text.
    lost += sum(1 for i in range(sent, len(QUICK)) if present[i])
    lost += int("partial-typing" in text)
    return lost


# -- import and escalate ---------------------------------------------------------------------


def versions(causes: int = 80) -> tuple[Analysis, Analysis]:
    """An analysis and a newer version of it (one more history entry)."""
    old = big_analysis(causes=causes, rows=30, analysis_id=BIG_ID)
    new = old.model_copy(deep=True)
    new.causes[0].text = "possible cause number 1, reworded after the call"
    record(new, "bench", "reworded cause c1", T0.replace(hour=12))
    return old, new


def extends(now: Analysis | None, before: Analysis | None) -> bool:
    """The stored history still holds everything that was there before."""
    if before is None:
        return True
    if now is None:
        return False
    return now.history[: len(before.history)] == before.history


def clean_run_time(files: dict[str, Path], work: Path) -> tuple[float, float]:
    """Seconds of an unkilled import and escalation of the large file, to spread kills over."""
    store = work / "store"
    started = time.perf_counter()
    ktcli(store, "import", str(files["new"]))
    middle = time.perf_counter()
    ktcli(store, "escalate", BIG_ID, "--to", "L3", "--reason", "r", "-o", str(work), "--yes")
    return middle - started, time.perf_counter() - middle


DELAYS = {"import": 0.3, "escalate": 0.8}  # at least; raised to a clean run's time


def import_run(rng: random.Random, work: Path, files: dict[str, Path]) -> Outcome:
    with_old = rng.random() < 0.5
    return kill_import(work, files, with_old=with_old, delay=rng.uniform(0, DELAYS["import"]))


def kill_import(work: Path, files: dict[str, Path], *, with_old: bool, delay: float) -> Outcome:
    """``ktcli import`` of files["new"], into a store holding files["old"] or nothing."""
    store = work / "store"
    outcome = Outcome()
    before = None
    if with_old:
        ktcli(store, "import", str(files["old"]))
        before = stored(store, BIG_ID)
    proc = subprocess.Popen(
        [*KTCLI, "import", str(files["new"])], env=env_for(store),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    outcome.lost += int(not extends(stored(store, BIG_ID), before))
    after_kill(store, BIG_ID, None, outcome)
    return outcome


def escalate_run(rng: random.Random, work: Path, files: dict[str, Path]) -> Outcome:
    store, out = work / "store", work / "out"
    outcome = Outcome()
    ktcli(store, "import", str(files["new"]))
    before = stored(store, BIG_ID)
    proc = subprocess.Popen(
        [*KTCLI, "escalate", BIG_ID, "--to", "L3", "--reason", "r", "-o", str(out), "--yes"],
        env=env_for(store), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(rng.uniform(0, DELAYS["escalate"]))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    outcome.lost += int(not extends(stored(store, BIG_ID), before))
    after_kill(store, BIG_ID, out, outcome)
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=120, help="in total, split over the 3 kinds")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="ktcli-kill-") as tmp:
        root = Path(tmp)
        old, new = versions()
        files = {"old": root / "old.yaml", "new": root / "new.yaml"}
        files["old"].write_text(to_yaml(old), "utf-8")
        files["new"].write_text(to_yaml(new), "utf-8")
        size = files["new"].stat().st_size
        (root / "calibrate").mkdir()
        t_import, t_escalate = clean_run_time(files, root / "calibrate")
        DELAYS["import"] = max(DELAYS["import"], t_import)
        DELAYS["escalate"] = max(DELAYS["escalate"], t_escalate)
        print(f"large handoff: {size / 1e6:.2f} MB, {len(new.causes)} causes; "
              f"kills within 0-{DELAYS['import'] * 1000:.0f} ms (import), "
              f"0-{DELAYS['escalate'] * 1000:.0f} ms (escalate)")  # fmt: skip
        kinds: dict[str, Callable[[random.Random, Path], Outcome]] = {
            "session": session_run,
            "import": lambda r, w: import_run(r, w, files),
            "escalate": lambda r, w: escalate_run(r, w, files),
        }
        per_kind = max(1, args.runs // len(kinds))
        print("leftovers: all (of which .tmp); the rest are lock files naming a dead holder")
        print(f"{'kind':<10}{'runs':>6}{'corrupt':>9}{'lost':>6}"
              f"{'left: killed':>14}{'after show':>12}{'after open':>12}{'s':>7}")  # fmt: skip
        for name, run in kinds.items():
            total, started = Outcome(), time.perf_counter()
            for n in range(per_kind):
                work = root / f"{name}-{n}"
                work.mkdir()
                o = run(rng, work)
                for f in vars(total):
                    setattr(total, f, getattr(total, f) + getattr(o, f))
            took = time.perf_counter() - started
            print(f"{name:<10}{per_kind:>6}{total.corrupt:>9}{total.lost:>6}"
                  f"{f'{total.left_killed} ({total.tmp_killed})':>14}"
                  f"{f'{total.left_show} ({total.tmp_show})':>12}"
                  f"{f'{total.left_open} ({total.tmp_open})':>12}"
                  f"{took:>7.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
