"""The per-workspace daily LLM token budget (``settings.llm_daily_token_cap``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealscout.accounts.models import LlmUsage
from dealscout.core.llm import LLMUsage


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
