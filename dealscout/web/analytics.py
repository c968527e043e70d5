"""The analytics page: server-rendered SVG charts and the tables, no JavaScript.

Self-contained for now (its own template; an API bearer token authenticates it, checked
here because web does not import api) so the web layout and its sign-in can adopt it.
Chart geometry is computed here; the template draws it, escaping every label.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from dealscout.accounts.auth import Unauthorized, authenticate
from dealscout.accounts.models import User
from dealscout.analytics.export import tables
from dealscout.analytics.schemas import Analytics, AnalyticsFilters, StageTime, WinRateRow
from dealscout.analytics.service import compute_analytics, headline
from dealscout.core.http import SessionDep

router = APIRouter(tags=["web"])


def _viewer(request: Request, session: SessionDep) -> User:
    scheme, _, raw = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise Unauthorized("missing bearer token")
    return authenticate(session, raw.strip())


_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
BAR_ROW, BAR_WIDTH, LABEL_WIDTH = 26, 360, 150
LINE_WIDTH, LINE_HEIGHT, PAD = 560, 180, 30


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    bars: list[Bar]
    height: int
    kind: str = "bars"


@dataclass(frozen=True)
class LineChart:
    id: str
    title: str
    points: str  # SVG polyline points
    labels: list[tuple[float, str]]
    top: str
    kind: str = "line"


def bar_chart(chart_id: str, title: str, items: list[tuple[str, float | None, str]]) -> BarChart:
    """Horizontal bars scaled to the largest value; ``None`` draws no bar."""
    largest = max((v for _, v, _ in items if v), default=0.0)
    bars = [
        Bar(label, text, i * BAR_ROW, (value or 0.0) / largest * BAR_WIDTH if largest else 0.0)
        for i, (label, value, text) in enumerate(items)
    ]
    return BarChart(chart_id, title, bars, max(BAR_ROW, len(bars) * BAR_ROW))


def line_chart(chart_id: str, title: str, items: list[tuple[str, float | None]]) -> LineChart:
    values = [v or 0.0 for _, v in items]
    top = max(values, default=0.0) or 1.0
    step = (LINE_WIDTH - 2 * PAD) / max(1, len(items) - 1)
    scale = (LINE_HEIGHT - 2 * PAD) / top
    xy = [(PAD + i * step, LINE_HEIGHT - PAD - v * scale) for i, v in enumerate(values)]
    return LineChart(
        chart_id, title, " ".join(f"{x:.1f},{y:.1f}" for x, y in xy),
        [(x, label) for (x, _), (label, _) in zip(xy, items, strict=True)], f"{top:,.0f}",
    )  # fmt: skip


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.0%}"


def _days(t: StageTime) -> str:
    if t.median_days is None:
        return "n/a"
    return f"{t.median_days:.1f} d (p90 {t.p90_days or 0:.1f})"


def _band(row: WinRateRow) -> str:
    high = "" if row.high is None else f"{row.high:,.0f}"
    return f"{row.low or 0:,.0f}–{high}"


def charts(result: Analytics) -> list[BarChart | LineChart]:
    conv, wr, forecast = result.stage_conversion, result.win_rate, result.forecast
    return [
        bar_chart(
            "funnel", "Deals reaching each stage",
            [(stage, n, f"{n:,}") for stage, n in conv.reached.items()],
        ),
        bar_chart(
            "time_in_stage", "Median days in stage",
            [(t.stage, t.median_days, _days(t)) for t in result.time_in_stage.stages],
        ),
        line_chart(
            "velocity", "Pipeline velocity per day, by month",
            [(p.start.strftime("%b %y"), p.per_day) for p in result.velocity.over_time],
        ),
        bar_chart(
            "win_rate_rep", "Win rate by rep", [(r.key, r.rate, _pct(r.rate)) for r in wr.by_rep]
        ),
        bar_chart(
            "win_rate_size", "Win rate by deal size",
            [(_band(r), r.rate, _pct(r.rate)) for r in wr.by_size],
        ),
        bar_chart(
            "forecast", "Weighted forecast by stage (supported in brackets)",
            [
                (s.stage, s.weighted, f"{s.weighted:,.0f} ({s.supported_weighted:,.0f})")
                for s in forecast.stages
            ],
        ),
        bar_chart(
            "loss_reasons", "Loss reasons",
            [(r.label, r.deals, f"{r.deals} ({r.share:.0%})") for r in result.loss_reasons.reasons],
        ),
    ]  # fmt: skip


@router.get("/analytics", response_class=HTMLResponse, include_in_schema=False)
def analytics_page(
    session: SessionDep,
    user: Annotated[User, Depends(_viewer)],
    query: Annotated[AnalyticsFilters, Query()],
) -> HTMLResponse:
    result = compute_analytics(session, user, query)
    page = _TEMPLATES.get_template("analytics.html").render(
        headline=headline(result),
        charts=charts(result),
        tables=tables(result),
        filters=query,
        bar_width=BAR_WIDTH,
        label_width=LABEL_WIDTH,
        line_width=LINE_WIDTH,
        line_height=LINE_HEIGHT,
    )
    return HTMLResponse(page)
