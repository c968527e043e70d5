"""Every table of the analytics as rows, and CSV text of one table."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from dealscout.analytics.schemas import Analytics, StageTags
from dealscout.core.errors import NotFound


def _rows(items: Sequence[BaseModel], **extra: Any) -> list[dict[str, Any]]:
    return [{**extra, **item.model_dump(mode="json")} for item in items]


def _tag_rows(groups: list[StageTags], name: str) -> list[dict[str, Any]]:
    return [
        {"stage": g.stage, "notes": g.notes, name: t.id, "count": t.count, "share": t.share}
        for g in groups
        for t in g.top
    ]


def tables(result: Analytics) -> dict[str, list[dict[str, Any]]]:
    """Table name → rows (flat dicts), for CSV export and the page."""
    velocity = result.velocity
    return {
        "stage_conversion": _rows(result.stage_conversion.steps),
        "time_in_stage": _rows(result.time_in_stage.stages),
        "stuck_deals": _rows(result.time_in_stage.stuck),
        "velocity": _rows(velocity.over_time),
        "win_rate_by_stage": _rows(result.win_rate.by_stage_reached),
        "win_rate_by_size": _rows(result.win_rate.by_size),
        "win_rate_by_industry": _rows(result.win_rate.by_industry),
        "win_rate_by_region": _rows(result.win_rate.by_region),
        "win_rate_by_rep": _rows(result.win_rate.by_rep),
        "objections": _tag_rows(result.objections, "objection"),
        "missing_criteria": _tag_rows(result.missing_criteria, "criterion"),
        "loss_reasons": _rows(result.loss_reasons.reasons),
        "follow_up": _rows(result.follow_up.rules),
        "forecast": _rows(result.forecast.stages),
        "coaching_trends": _rows(result.coaching.trends),
        "override_rates": _rows(result.coaching.override_rates),
    }


def table_csv(result: Analytics, name: str) -> str:
    every = tables(result)
    if name not in every:
        raise NotFound(f"unknown analytics table {name!r}; tables: {', '.join(every)}")
    return rows_csv(every[name])


def rows_csv(rows: list[dict[str, Any]]) -> str:
    """CSV with a header row; cells that a spreadsheet would run as a formula are quoted
    with a leading apostrophe."""
    out = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
