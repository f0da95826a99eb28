"""ktcli list, index and search, through the command line."""

from __future__ import annotations

import json
from pathlib import Path

from ktcli.core.model import TrueCause
from ktcli.store.files import Store
from tests.conftest import Run
from tests.factories import T0, specified, with_cause


def create(ktcli: Run, ticket: str, title: str) -> str:
    res = ktcli("create", "--ticket", ticket, "--title", title)
    assert res.code == 0, res.err
    return res.out.strip()


def test_list_reads_the_index_and_filters(ktcli: Run) -> None:
    one = create(ktcli, "INC-1", "Checkout slow")
    create(ktcli, "INC-2", "Login fails")
    res = ktcli("list")
    assert res.code == 0, res.err
    assert "INC-1 Checkout slow" in res.out
    assert "2 analyses" in res.out
    single = ktcli("list", "--ticket", "INC-2")
    assert single.code == 0, single.err
    assert "1 analysis\n" in single.out
    assert all(line == line.rstrip() for line in res.out.splitlines()), "no trailing spaces"
    res = ktcli("list", "--ticket", "INC-1", "--json")
    data = json.loads(res.out)
    assert (data["kind"], data["version"], data["total"]) == ("list", 1, 1)
    items = data["items"]
    assert [(d["id"], d["status"], d["analysts"]) for d in items] == [(one, "open", ["ana"])]
    assert items[0]["updated_at"] == "2026-11-24T09:00:00+00:00"
    res = ktcli("list", "--status", "closed")
    assert res.code == 0
    assert "no analyses match" in res.err


def test_list_refuses_a_bad_date_as_a_usage_error(ktcli: Run) -> None:
    res = ktcli("list", "--since", "last tuesday")
    assert res.code == 2
    assert res.err.startswith("error: 'last tuesday' is not a date")


def test_list_of_an_empty_store_says_how_to_start(ktcli: Run) -> None:
    res = ktcli("list")
    assert res.code == 0
    assert "start one with 'ktcli new'" in res.err


def test_search_shows_the_match_status_and_true_cause(ktcli: Run, store_dir: Path) -> None:
    create(ktcli, "INC-1", "Checkout slow")
    a = specified("inc-9")
    with_cause(a, "c1")
    a.true_cause = TrueCause(cause="c1", confirmed_by="ana", confirmed_at=T0)
    Store(store_dir).save(a)  # behind the index's back: found all the same
    res = ktcli("search", "order", "api")
    assert res.code == 0, res.err
    assert res.out.split()[:2] == ["id", "status"]
    assert "inc-9" in res.out
    assert "Order API answers in" in res.out
    assert "true cause: cause c1" in res.out
    assert "inc-1 " not in res.out
    assert "1 found, best first" in res.out
    found = json.loads(ktcli("search", "order", "--json").out)
    assert (found["kind"], found["query"]) == ("search", "order")
    assert [d["id"] for d in found["items"]] == ["inc-9"]
    res = ktcli("search", "nowhere")
    assert res.code == 0
    assert "nothing found" in res.err


def test_index_rebuild_says_what_it_read(ktcli: Run, store_dir: Path) -> None:
    create(ktcli, "INC-1", "Checkout slow")
    (store_dir / "bad.yaml").write_text("{", encoding="utf-8")
    res = ktcli("index", "--rebuild")
    assert res.code == 0, res.err
    assert "2 analyses indexed, 1 could not be read; 2 read, 0 removed" in res.err


def test_archives_from_the_environment_are_listed(
    ktcli: Run, tmp_path: Path, monkeypatch: object
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    archive = tmp_path / "archive"
    Store(archive).save(specified("old-1"))
    monkeypatch.setenv("KTCLI_ARCHIVE_PATH", str(archive))
    res = ktcli("list", "--json")
    items = json.loads(res.out)["items"]
    assert [(d["id"], d["source"]) for d in items] == [("old-1", str(archive))]


def similar_store(store_dir: Path) -> None:
    from ktcli.core.model import Action, Verification
    from tests.core.test_similarity import EU, case

    store = Store(store_dir)
    store.save(case("now", "Checkout slow", EU, distinction="only eu-1 uses the new pool"))
    same = case("past-same", "Payments time out", EU, distinction="only eu-1 uses the new pool")
    with_cause(same, "c1")
    same.causes[0].text = "pool size cut to 5 in release 4.2"
    same.verifications.append(
        Verification(
            id="v1",
            cause="c1",
            checks="pool size",
            method="restore the pool to 50 in eu-1",
            result="latency back to normal",
            status="confirmed",
        )
    )
    same.true_cause = TrueCause(
        cause="c1", verifications=["v1"], confirmed_by="bo", confirmed_at=T0
    )
    same.actions.append(Action(id="a1", kind="corrective", text="pool size back to 50"))
    store.save(same)
    crossed = dict(EU)
    crossed["where-location"] = ("shop in region us-1", "shop in region eu-1")
    store.save(case("past-crossed", "Checkout slow", crossed))


def test_similar_compares_specifications_not_titles(ktcli: Run, store_dir: Path) -> None:
    similar_store(store_dir)
    res = ktcli("similar", "now")
    assert res.code == 0, res.err
    first, second = (" ".join(part.split()) for part in res.out.split("\n\n"))
    assert first.startswith("past-same likely the same problem")
    assert "true cause: pool size cut to 5 in release 4.2" in first
    assert "verified by: restore the pool to 50 in eu-1: latency back to normal" in first
    assert "fix: pool size back to 50" in first
    assert second.startswith("past-crossed not the same problem")
    assert "- WHERE: location: IS now, IS NOT then: shop in region eu-1 -" in second
    data = json.loads(ktcli("similar", "now", "--json").out)
    assert (data["kind"], data["id"]) == ("similar", "now")
    assert [(d["id"], d["verdict"]) for d in data["candidates"]] == [
        ("past-same", "likely the same problem"),
        ("past-crossed", "not the same problem"),
    ]


def test_reusing_a_fix_shows_the_comparison_and_records_it(ktcli: Run, store_dir: Path) -> None:
    similar_store(store_dir)
    res = ktcli("similar", "now", "--reuse", "past-crossed")
    assert res.code == 1
    assert "not the same problem" in res.out
    assert "error: not re-using the fix of past-crossed: a fact contradicts" in res.err
    assert Store(store_dir).load("now").fix_reused_from is None
    res = ktcli("similar", "now", "--reuse", "past-same")
    assert res.code == 0, res.err
    assert "likely the same problem" in res.out
    reused = Store(store_dir).load("now").fix_reused_from
    assert reused is not None
    assert (reused.analysis, reused.verdict, reused.fix) == (
        "past-same",
        "likely the same problem",
        ["pool size back to 50"],
    )
    assert reused.by == "ana"
    res = ktcli("similar", "now", "--reuse", "nobody")
    assert res.code == 1
    assert "'nobody' is not among the analyses comparable with 'now'" in res.err


def test_effort_is_recorded_and_refused_when_unreadable(ktcli: Run, store_dir: Path) -> None:
    one = create(ktcli, "INC-1", "Checkout slow")
    res = ktcli("effort", one, "1h30m", "--note", "call-out")
    assert res.code == 0, res.err
    assert "recorded 1h30m of effort: call-out" in res.err
    entry = Store(store_dir).load(one).effort[0]
    assert (entry.minutes, entry.note, entry.by, entry.kind) == (90, "call-out", "ana", "entered")
    for bad in ("soon", "0m", "1x", ""):
        res = ktcli("effort", one, bad)
        assert res.code == 2, bad
        assert "is not a time spent" in res.err


def closed_case(store_dir: Path, cid: str, hours: float, analyst: str, effort: int = 0) -> None:
    from datetime import timedelta

    from ktcli.core.model import Closure, EffortEntry, Statement

    a = specified(cid)
    a.statement = Statement(object="Billing app", deviation="throws error E42")
    a.analysts = [analyst]
    a.status = "closed"
    a.closure = Closure(at=a.created_at + timedelta(hours=hours), by=analyst)
    if effort:
        a.effort.append(EffortEntry(minutes=effort, by=analyst, at=T0))
    Store(store_dir).save(a)


def test_report_recurring_and_resolution(ktcli: Run, store_dir: Path, tmp_path: Path) -> None:
    for n, (hours, who) in enumerate([(1, "ana"), (2, "bo"), (30, "cy")]):
        closed_case(store_dir, f"w{n}", hours, who, effort=60)
    res = ktcli("report", "recurring")
    assert res.code == 0, res.err
    assert "1 recurring problem, costliest first" in res.out
    assert "Billing app throws error E42" in res.out
    assert " 3 " in res.out
    assert "3.0" in res.out  # hours
    data = json.loads(ktcli("report", "recurring", "--json").out)
    assert (data[0]["count"], data[0]["hours"], len(data[0]["analysts"])) == (3, 3.0, 3)
    res = ktcli("report", "resolution", "--by", "analyst")
    assert res.code == 0, res.err
    assert "Time to resolution by analyst" in res.out
    assert "w2 (30.0 h)" in res.out
    assert "█" in res.out
    page = tmp_path / "r.html"
    res = ktcli("report", "resolution", "--html", str(page), "--csv")
    assert res.code == 0, res.err
    assert res.out.splitlines()[1] == "product,(no playbook),3,2.00,30.00,30.00,w2 w1 w0"
    assert "<svg" in page.read_text(encoding="utf-8")


def test_index_of_a_store_not_yet_made_writes_nothing(ktcli: Run, store_dir: Path) -> None:
    res = ktcli("index")
    assert res.code == 0, res.err
    assert (
        f"0 analyses indexed, 0 could not be read; 0 read, 0 removed; index not written: "
        f"no store yet at {store_dir}" in res.err
    )
    assert not store_dir.exists()


def test_list_search_and_similar_on_an_organisations_postgresql(
    ktcli: Run, store_dir: Path, monkeypatch: object, pg_url: str
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("KTCLI_ARCHIVE_URL", pg_url)
    similar_store(store_dir)
    one = create(ktcli, "INC-1", "Login fails")
    res = ktcli("list", "--json")
    assert res.code == 0, res.err
    listed = json.loads(res.out)["items"]
    assert {d["id"] for d in listed} == {one, "now", "past-same", "past-crossed"}
    res = ktcli("search", "login")
    assert res.code == 0, res.err
    assert f"{one} " in res.out
    assert "1 found, best first" in res.out
    data = json.loads(ktcli("similar", "now", "--json").out)["candidates"]
    assert [(d["id"], d["verdict"]) for d in data] == [
        ("past-same", "likely the same problem"),
        ("past-crossed", "not the same problem"),
    ]
    res = ktcli("index")
    assert res.code == 0, res.err
    assert "analyses indexed" in res.err
    assert "index in PostgreSQL at " in res.err


def test_a_save_never_fails_because_the_archive_server_is_down(
    ktcli: Run, store_dir: Path, monkeypatch: object
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("KTCLI_ARCHIVE_URL", "postgresql://ana:s3cret@127.0.0.1:1/ktcli")
    res = ktcli("create", "--ticket", "INC-1", "--title", "Checkout slow")
    assert res.code == 0, res.err
    assert "warning: saved, but the index was not updated: cannot reach the case archive at " in (
        res.err
    )
    assert "127.0.0.1:1/ktcli" in res.err
    assert (store_dir / f"{res.out.strip()}.yaml").is_file()
    res = ktcli("list")
    assert res.code == 1
    assert res.err.startswith("error: cannot reach the case archive at 127.0.0.1:1/ktcli: ")
    assert "s3cret" not in res.err


def test_list_shows_user_text_as_typed_never_as_markup_or_escapes(ktcli: Run) -> None:
    create(ktcli, "INC-1", "[link=https://evil.test]t[/link] \x1b[2J [/x]")
    out = ktcli("list").out
    assert "[link=https://evil.test]t[/link]" in " ".join(out.split())
    assert "[/x]" in out
    assert "\x1b" not in out
    assert "\\x1b[2J" in out
