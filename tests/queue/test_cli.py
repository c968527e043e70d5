"""``dealscout queue``: the whole workspace, one rep, and an unknown rep (exit 2)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from dealscout.cli.context import open_store
from dealscout.cli.main import app
from tests.queue.world import add_signal
from tests.support.factories import create_account, create_member

runner = CliRunner()


def test_queue_command_prints_the_contract_shape() -> None:
    empty = runner.invoke(app, ["queue", "--json"])
    assert empty.exit_code == 0, empty.output
    body = json.loads(empty.stdout)
    assert (body["weights_version"], body["items"], body["rep"]) == ("default-1", [], None)
    with open_store() as store:
        rep = create_member(store.session, store.workspace, "rep@co.test")
        mine = create_account(store.session, rep, "Mine Co")
        create_account(store.session, rep, "Quiet Co")
        other = create_member(store.session, store.workspace, "other@co.test")
        create_account(store.session, other, "Theirs Co")
        signal_id = add_signal(store.session, mine, "funding", days_ago=1).id
    whole = json.loads(runner.invoke(app, ["queue", "--json"]).stdout)
    assert [i["account"] for i in whole["items"]][0] == "Mine Co"
    assert {i["account"] for i in whole["items"]} == {"Mine Co", "Quiet Co", "Theirs Co"}
    result = runner.invoke(app, ["queue", "--rep", "rep@co.test", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert [i["account"] for i in body["items"]] == ["Mine Co", "Quiet Co"]
    assert body["items"][0]["reasons"][0]["citations"] == [signal_id]
    text = runner.invoke(app, ["queue", "--rep", "rep@co.test"])
    assert text.exit_code == 0 and "1. Mine Co" in text.stdout


def test_an_unknown_rep_exits_2() -> None:
    result = runner.invoke(app, ["queue", "--rep", "nobody@co.test", "--json"])
    assert result.exit_code == 2
    assert "unknown rep" in result.stderr
