"""A real dealscout server on loopback, loaded with the demo workspace, and headless
Chromium (Debian's, never a downloaded browser) driven by Playwright."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

from dealscout.api.main import create_app
from dealscout.cli.demo import relative_dates
from dealscout.cli.main import app
from dealscout.core.config import Settings, get_settings
from tests.conftest import SCALE_OUT_VARS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "web"
README_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass
class Server:
    base: str
    home: Path
    tokens: dict[str, str]  # rep, manager, admin, outsider
    shots: Path
    ids: dict[str, int] = field(default_factory=dict)


def _cli(*args: str) -> str:
    """The console script, in process (a fresh interpreter per command costs seconds)."""
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert thread.is_alive(), "the server stopped"
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("the server did not come up")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo workspace plus hostile ingested content for Corvid Analytics and a second
    workspace, served by uvicorn on a loopback port (in a thread of this process)."""
    home = tmp_path_factory.mktemp("web-home")
    with pytest.MonkeyPatch.context() as env:  # the embedded store only, whatever CI sets
        for name in SCALE_OUT_VARS:
            env.delenv(name, raising=False)
        env.setenv("DEALSCOUT_HOME", str(home))
        yield from _serve(tmp_path_factory, home)


def _serve(tmp_path_factory: pytest.TempPathFactory, home: Path) -> Iterator[Server]:
    demo = _cli("demo").split()
    tokens = {"manager": demo[3], "rep": demo[7]}
    tokens["admin"] = json.loads(_cli("init", "--workspace", "demo", "--json"))["token"]
    tokens["outsider"] = json.loads(_cli("init", "--workspace", "other", "--json"))["token"]
    outsider = json.loads(_cli("accounts", "add", "Other Co", "--workspace", "other",
                               "--json"))  # fmt: skip
    feed = home / "hostile.xml"
    raw = (FIXTURES / "hostile-feed.xml").read_text("utf-8")
    feed.write_text(relative_dates(raw, datetime.now(UTC), rfc2822=True), "utf-8")
    _cli("ingest", str(feed), "--account", "Corvid Analytics", "--workspace", "demo")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(
        create_app(Settings()), host="127.0.0.1", port=port, log_level="warning"
    )
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    try:
        _wait_until_up(base, thread)
        shots = tmp_path_factory.mktemp("screenshots")
        yield Server(base, home, tokens, shots, {"outsider_account": outsider["id"]})
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What a page tried that it must not: dialogs, and requests off the app's origin."""

    dialogs: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


@pytest.fixture
def context(browser: Any, server: Server) -> Iterator[tuple[Any, Watch]]:
    """A fresh browser profile whose pages may only reach the app's origin."""
    watch = Watch()
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(server.base + "/") or url == server.base:
            request_route.continue_()
        else:
            watch.foreign.append(url)
            request_route.abort()

    ctx.route("**/*", route)

    def on_page(page: Any) -> None:
        page.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))

    ctx.on("page", on_page)
    yield ctx, watch
    ctx.close()


def sign_in(page: Any, server: Server, who: str) -> None:
    page.goto(f"{server.base}/signin")
    page.get_by_label("API token").fill(server.tokens[who])
    page.get_by_label("API token").press("Enter")  # the keyboard alone signs in
    page.wait_for_url(lambda url: "/signin" not in url)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r".*/signin.*"))


def shot(page: Any, server: Server, name: str, *, readme: bool = False) -> None:
    path = server.shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if readme:
        README_SHOTS.mkdir(parents=True, exist_ok=True)
        (README_SHOTS / f"{name}.png").write_bytes(path.read_bytes())
