"""Unsafe source URLs are refused when the source is created, not only at each fetch; a
fullwidth or international host is normalised before the check, never a 500 or exit 1."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from dealscout.accounts import service as accounts
from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from dealscout.core.errors import Forbidden, Refused
from dealscout.ingestion import sources
from dealscout.ingestion.models import Source
from dealscout.ingestion.source_schemas import SourceCreate
from dealscout.ingestion.urlsafety import AddressPolicy, normalize_url
from tests.support.factories import Member, create_member, create_workspace, open_session

LITERAL_FORMS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1/feed",
    "http://[::1]/feed",
    "http://10.0.0.1/feed",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/feed",
    "http://[::ffff:127.0.0.1]/feed",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[64:ff9b::a00:1]/",
    "http://[2002:7f00:1::]/",
    "http://[fe80::1]/",
    "http://[fd00:ec2::254]/",
    "http://0.0.0.0/",
    "http://2130706433/",
    "http://0x7f.0.0.1/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "https://user:pw@127.0.0.1:8443/x",
    "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/",  # fullwidth digits
    "http://127\u30020\u30020\u30021/",  # ideographic full stops
    "http://\uff11\uff12\uff17\uff0e\uff10\uff0e\uff10\uff0e\uff11/",  # fullwidth dots too
    "http://\u2460\u2461\u2466.0.0.1/",  # circled digits
    "http://\uff10\uff58\uff17\uff46.0.0.1/",  # fullwidth hex
]
NAMES = {
    "private.test": ["10.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "loopback.test": ["127.0.0.1"],
    "loopback6.test": ["::1"],
    "mapped.test": ["::ffff:10.0.0.1"],
    "nat64.test": ["64:ff9b::a9fe:a9fe"],
    "cgnat.test": ["100.100.0.1"],
    "mixed.test": ["93.184.216.34", "127.0.0.1"],
}
STRICT = AddressPolicy.build(allow_private=False)


@pytest.fixture
def world() -> Iterator[tuple[Session, Member]]:
    session = open_session(get_settings())
    member = create_member(session, create_workspace(session, "acme"), "mgr@acme.test", "manager")
    yield session, member
    session.close()


@pytest.mark.parametrize("url", LITERAL_FORMS)
def test_the_api_refuses_unsafe_literal_hosts_at_creation(
    world: tuple[Session, Member], url: str
) -> None:
    _, member = world
    answer = TestClient(create_app(get_settings())).post(
        "/v1/sources", json={"url": url}, headers=member.headers
    )
    assert answer.status_code == 422, (url, answer.text)
    assert "refused" in answer.json()["detail"]


@pytest.mark.parametrize("name", sorted(NAMES))
def test_names_resolving_to_unsafe_addresses_are_refused_at_creation(
    world: tuple[Session, Member], name: str
) -> None:
    session, member = world
    with pytest.raises(Refused):
        sources.create_source(
            session, member.user, SourceCreate(url=f"https://{name}/feed"), STRICT,
            resolver=lambda host, port: NAMES[host],
        )  # fmt: skip


def test_public_and_international_hosts_are_stored_in_ascii(world: tuple[Session, Member]) -> None:
    session, member = world
    created = sources.create_source(
        session, member.user, SourceCreate(url="https://B\u00fccher.example/feed?x=1"), STRICT,
        resolver=lambda host, port: ["93.184.216.34"],
    )  # fmt: skip
    assert created.url == "https://xn--bcher-kva.example/feed?x=1"
    assert normalize_url("HTTP://Example.COM:8080/a") == "http://example.com:8080/a"


def test_a_stored_fullwidth_host_is_refused_at_fetch_not_a_500(
    world: tuple[Session, Member],
) -> None:
    session, member = world
    row = Source(workspace_id=member.user.workspace_id, url="http://\uff11\uff12\uff17.0.0.1/")
    session.add(row)
    session.commit()
    answer = TestClient(create_app(get_settings())).post(
        f"/v1/sources/{row.id}/fetch", headers=member.headers
    )
    assert answer.status_code == 422 and "loopback" in answer.json()["detail"]


def test_the_cli_refuses_a_fullwidth_host_with_exit_2(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    home = tmp_path_factory.mktemp("home")
    done = subprocess.run(
        [sys.executable, "-m", "dealscout.cli.main", "ingest", "http://\uff11\uff12\uff17.0.0.1/",
         "--account", "Fennick Labs"],
        capture_output=True, text=True, timeout=120, env={"DEALSCOUT_HOME": str(home),
                                                          "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "loopback" in done.stderr and "Traceback" not in done.stderr


def test_a_rep_cannot_create_a_workspace_wide_source(
    world: tuple[Session, Member],
) -> None:
    session, member = world
    rep = accounts.create_user(
        session, member.user.workspace_id, accounts.UserCreate(email="rep@acme.test")
    )
    with pytest.raises(Forbidden, match="manager"):
        sources.create_source(session, rep, SourceCreate(url="https://news.example/feed"), STRICT)
