"""The analytics page: rendered by the real app under uvicorn on loopback, loaded by
headless Chromium, its SVG charts drawn; labels are escaped; a screenshot is saved."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from tests.support.factories import Member, create_member, create_workspace, open_session
from tests.support.pipeline import generate, seed

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = "Deal <script>window.__pwned=1</script>"
CHARTS = ("funnel", "time_in_stage", "win_rate_rep", "win_rate_size", "forecast", "loss_reasons")


@pytest.fixture
def world() -> Iterator[dict[str, Member]]:
    session = open_session(get_settings())
    workspace = create_workspace(session, "acme")
    manager = create_member(session, workspace, "mgr@pipeline.test", "manager")
    deals = generate(400, 4, datetime.now(UTC) - timedelta(minutes=1), seed=3)
    for deal in deals:  # the hostile name must show up in the stuck-deals table
        if deal.changes[-1][0] not in ("won", "lost"):
            deal.name = HOSTILE
            break
    seed(session, workspace, deals, manager.user)
    session.commit()
    yield {"manager": manager}
    session.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _served() -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(get_settings()), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_page_needs_a_token_and_escapes_labels(world: dict[str, Member]) -> None:
    client = TestClient(create_app(get_settings()))
    assert client.get("/analytics").status_code == 401
    page = client.get("/analytics?stuck_limit=10000", headers=world["manager"].headers)
    assert page.status_code == 200
    assert "<script" not in page.text
    assert "Deal &lt;script&gt;window.__pwned=1&lt;/script&gt;" in page.text
    for chart in CHARTS:
        assert f'id="chart-{chart}"' in page.text


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium not installed (/usr/bin/chromium)"
)
def test_charts_render_in_headless_chromium(world: dict[str, Member], tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    shot = tmp_path / "analytics.png"
    with _served() as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            context = browser.new_context(
                extra_http_headers=world["manager"].headers, viewport={"width": 1200, "height": 900}
            )
            page = context.new_page()
            response = page.goto(f"{base}/analytics", wait_until="load")
            assert response is not None and response.status == 200
            for chart in CHARTS:
                bars = page.locator(f"#chart-{chart} svg rect.bar")
                assert bars.count() > 0, chart
                widths = [float(b.get_attribute("width") or 0) for b in bars.all()]
                assert max(widths) > 100, chart  # the largest bar spans most of the scale
                box = page.locator(f"#chart-{chart} svg").bounding_box()
                assert box is not None and box["width"] > 300 and box["height"] > 20
            points = page.locator("#chart-velocity polyline").get_attribute("points") or ""
            assert len(points.split()) >= 12  # a point per month of the default year
            assert page.evaluate("typeof window.__pwned") == "undefined"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")
