from __future__ import annotations

from tests.conftest import Run


def test_create_prints_id_and_stores_file(ktcli: Run, store_dir) -> None:
    res = ktcli("create", "--title", "Checkout slow", "--ticket", "INC-4711")
    assert res.code == 0, res.err
    assert res.out == "inc-4711\n"
    assert (store_dir / "inc-4711.yaml").read_text().startswith("---\nschema_version: 3\n")
