"""The one LLM usage ledger: tokens per workspace and day, checked against the daily cap
(``settings.llm_daily_token_cap``) by every engine that calls the model (briefs, coach)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from dealscout.core.db import Base
from dealscout.core.llm import LLMGateway, LLMResult, LLMUsage, T


class LlmUsage(Base):
    """Tokens spent per workspace and day, for the daily cap."""

    __tablename__ = "llm_usage"
    __table_args__ = (UniqueConstraint("workspace_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    calls: Mapped[int] = mapped_column(Integer, default=0)


def tokens_used(session: Session, workspace_id: int, day: date) -> int:
    row = session.scalar(
        select(LlmUsage).where(LlmUsage.workspace_id == workspace_id, LlmUsage.day == day)
    )
    return (row.prompt_tokens + row.completion_tokens) if row else 0


def record_usage(session: Session, workspace_id: int, day: date, usage: LLMUsage) -> None:
    """Add one call's tokens to the day's row; concurrent writers add, never overwrite."""
    if _increment(session, workspace_id, day, usage):
        return
    try:
        with session.begin_nested():
            session.add(
                LlmUsage(
                    workspace_id=workspace_id,
                    day=day,
                    prompt_tokens=usage.prompt_tokens,
                    completion_tokens=usage.completion_tokens,
                    calls=1,
                )
            )
    except IntegrityError:  # another process inserted the day's row first
        _increment(session, workspace_id, day, usage)


def _increment(session: Session, workspace_id: int, day: date, usage: LLMUsage) -> bool:
    result = session.execute(
        update(LlmUsage)
        .where(LlmUsage.workspace_id == workspace_id, LlmUsage.day == day)
        .values(
            prompt_tokens=LlmUsage.prompt_tokens + usage.prompt_tokens,
            completion_tokens=LlmUsage.completion_tokens + usage.completion_tokens,
            calls=LlmUsage.calls + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


CAP_REACHED = "daily LLM token cap reached"
COMPLETION_ALLOWANCE = 1_500  # tokens reserved for the answer when checking the daily cap


def estimate_tokens(*texts: str) -> int:
    return sum(len(t) for t in texts) // 4


class MeteredGateway(LLMGateway):
    """An LLM gateway whose calls are counted against one workspace's daily token cap.

    Every engine that calls the model (briefs, coach) goes through this, so one ledger holds
    all spending: a call that would pass the cap is not made and answers ``CAP_REACHED``.
    """

    def __init__(
        self, inner: LLMGateway, session: Session, workspace_id: int, day: date, cap: int
    ) -> None:
        self.settings = inner.settings
        self.model = inner.model
        self._inner = inner
        self._session = session
        self._workspace_id = workspace_id
        self._day = day
        self._cap = cap

    @property
    def enabled(self) -> bool:
        return self._inner.enabled

    def complete_json(self, system: str, user: str, schema: type[T]) -> LLMResult[T]:
        needed = estimate_tokens(system, user) + COMPLETION_ALLOWANCE
        if tokens_used(self._session, self._workspace_id, self._day) + needed > self._cap:
            return LLMResult(None, self.model, error=CAP_REACHED)
        result = self._inner.complete_json(system, user, schema)
        record_usage(self._session, self._workspace_id, self._day, result.usage)
        return result


def metered(gateway: LLMGateway, session: Session, workspace_id: int, day: date) -> MeteredGateway:
    return MeteredGateway(gateway, session, workspace_id, day, gateway.settings.llm_daily_token_cap)
