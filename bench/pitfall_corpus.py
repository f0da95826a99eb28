"""The pitfall detector against the test corpus: caught, missed and false alarms, as a table.

Usage: python bench/pitfall_corpus.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.core.test_pitfall_corpus import evaluate


def main() -> None:
    verdicts = evaluate()
    print("| outcome | field | expected | found | sentence |")
    print("| --- | --- | --- | --- | --- |")
    for v in verdicts:
        expected = ", ".join(sorted(v.expected)) or "-"
        found = ", ".join(sorted(v.found)) or "-"
        print(f"| {v.outcome} | {v.field} | {expected} | {found} | {v.text} |")
    pitfalls = [v for v in verdicts if v.expected]
    clean = [v for v in verdicts if not v.expected]
    caught = sum(v.outcome == "caught" for v in pitfalls)
    alarms = sum(v.outcome == "false alarm" for v in clean)
    print()
    print(f"sentences {len(verdicts)}: {len(pitfalls)} with pitfalls, {len(clean)} clean")
    print(f"caught       {caught}/{len(pitfalls)} = {caught / len(pitfalls):.1%}  (target >= 90 %)")
    print(f"false alarms {alarms}/{len(clean)} = {alarms / len(clean):.1%}  (target <= 5 %)")


if __name__ == "__main__":
    main()
