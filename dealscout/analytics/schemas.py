"""Pydantic shapes of the pipeline analytics (CONTRACT §5 ``dealscout analytics --json``:
the ten top-level keys) and of its filters."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, field_validator


class AnalyticsFilters(BaseModel):
    since: datetime | None = Field(default=None, description="Start of the period (UTC)")
    until: datetime | None = Field(default=None, description="End of the period; default now")
    rep: str | None = Field(default=None, description="A rep's email: their deals only")
    industry: str | None = None
    region: str | None = None
    size_bands: list[float] | None = Field(
        default=None, description="Ascending band edges; default: quartiles of deal value"
    )
    stuck_limit: int = Field(default=50, ge=0, le=10_000)

    @field_validator("size_bands")
    @classmethod
    def _ascending(cls, edges: list[float] | None) -> list[float] | None:
        if edges is not None and any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
            raise ValueError("size band edges must be strictly ascending")
        return edges


class ConversionStep(BaseModel):
    from_stage: str
    to_stage: str
    reached_from: int
    reached_to: int
    rate: float | None


class StageConversion(BaseModel):
    reached: dict[str, int]
    steps: list[ConversionStep]
    biggest_drop_off: ConversionStep | None


class StageTime(BaseModel):
    stage: str
    stays: int
    median_days: float | None
    p90_days: float | None
    typical_days: float | None = Field(description="Median stay of deals won in the period")
    stuck: int


class StuckDeal(BaseModel):
    deal_id: int
    name: str
    stage: str
    days_in_stage: float
    typical_days: float


class TimeInStage(BaseModel):
    stages: list[StageTime]
    stuck_total: int
    stuck: list[StuckDeal] = Field(description="Longest over their stage's typical time first")


class VelocityPoint(BaseModel):
    start: datetime
    end: datetime
    open_deals: int
    won: int
    lost: int
    win_rate: float | None
    average_value: float | None
    cycle_days: float | None
    per_day: float | None


class Velocity(VelocityPoint):
    over_time: list[VelocityPoint]


class WinRateRow(BaseModel):
    key: str
    won: int
    lost: int
    rate: float | None
    low: float | None = None
    high: float | None = None


class WinRate(BaseModel):
    overall: WinRateRow
    by_stage_reached: list[WinRateRow]
    by_size: list[WinRateRow]
    size_edges: list[float]
    by_industry: list[WinRateRow]
    by_region: list[WinRateRow]
    by_rep: list[WinRateRow]


class TagCount(BaseModel):
    id: str
    count: int
    share: float


class StageTags(BaseModel):
    stage: str
    notes: int
    top: list[TagCount]


class LossReasonRow(BaseModel):
    reason: str
    label: str
    deals: int
    value: float
    share: float


class LossReasons(BaseModel):
    lost: int
    reasons: list[LossReasonRow]


class FollowUpRuleRow(BaseModel):
    rule_id: str
    trigger: str
    action: str
    after_days: int
    deals: int


class FollowUp(BaseModel):
    as_of: datetime
    open_deals: int
    rules: list[FollowUpRuleRow]
    proposals_without_follow_up: int
    re_engagement_due: int
    archive_due: int


class ForecastStage(BaseModel):
    stage: str
    probability: int
    deals: int
    value: float
    weighted: float
    supported_value: float
    supported_weighted: float


class Forecast(BaseModel):
    as_of: datetime
    stages: list[ForecastStage]
    total_value: float
    weighted_value: float
    supported_value: float
    supported_weighted: float


class CoachingTrend(BaseModel):
    rep: str
    month: str
    notes: int
    meeting_criteria: int
    share: float


class OverrideRate(BaseModel):
    criterion: str
    overrides: int
    reviews: int
    rate: float


class Coaching(BaseModel):
    trends: list[CoachingTrend]
    override_rates: list[OverrideRate]


class Analytics(BaseModel):
    stage_conversion: StageConversion
    time_in_stage: TimeInStage
    velocity: Velocity
    win_rate: WinRate
    objections: list[StageTags]
    missing_criteria: list[StageTags]
    loss_reasons: LossReasons
    follow_up: FollowUp
    forecast: Forecast
    coaching: Coaching


SECTIONS = tuple(Analytics.model_fields)
