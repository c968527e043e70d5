"""``dealscout analytics``: the pipeline analytics of the workspace (CONTRACT §5)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from dealscout.analytics.export import rows_csv, tables
from dealscout.analytics.schemas import Analytics, AnalyticsFilters
from dealscout.analytics.service import compute_analytics, headline
from dealscout.cli.app import app
from dealscout.cli.context import open_store
from dealscout.cli.output import WorkspaceOpt, emit_json, fail


def _moment(value: str | None, option: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not an ISO 8601 date or time")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _bands(value: str | None) -> list[float] | None:
    if not value:
        return None
    try:
        return [float(v) for v in value.split(",")]
    except ValueError:
        fail(f"--size-bands: {value!r} is not a comma-separated list of numbers")


def _print(result: Analytics) -> None:
    for line in headline(result):
        typer.echo(line)
    typer.echo("")
    for name, rows in tables(result).items():
        typer.echo(f"== {name} ({len(rows)} rows)")
        text = rows_csv(rows)
        typer.echo(text.rstrip("\n") if text else "(empty)")
        typer.echo("")


@app.command()
def analytics(
    since: str | None = typer.Option(None, "--since", help="Start of the period (ISO 8601)."),
    until: str | None = typer.Option(None, "--until", help="End of the period (default now)."),
    rep: str | None = typer.Option(None, "--rep", help="A rep's email: their deals only."),
    industry: str | None = typer.Option(None, "--industry"),
    region: str | None = typer.Option(None, "--region"),
    size_bands: str | None = typer.Option(
        None, "--size-bands", help="Band edges, e.g. 25000,100000 (default: quartiles)."
    ),
    csv_dir: Path | None = typer.Option(None, "--csv-dir", help="Write every table as CSV here."),
    workspace: str | None = WorkspaceOpt,
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Print the pipeline analytics (conversion, time in stage, velocity, win rates, ...)."""
    filters = AnalyticsFilters(
        since=_moment(since, "--since"), until=_moment(until, "--until"), rep=rep,
        industry=industry, region=region, size_bands=_bands(size_bands),
    )  # fmt: skip
    with open_store(workspace) as store:
        result = compute_analytics(store.session, store.admin, filters)
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
        for name, rows in tables(result).items():
            (csv_dir / f"{name}.csv").write_text(rows_csv(rows), encoding="utf-8")
    if json_out:
        emit_json(result)
    else:
        _print(result)
