"""The one settings object. Nothing else in dealscout reads ``os.environ``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

HARD_LIMIT_GRACE_S = 60  # the hard task time limit comes this long after the soft one


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    home: Path = Field(
        default=Path("~/.dealscout"), validation_alias=AliasChoices("DEALSCOUT_HOME", "home")
    )
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    workspace: str = Field(default="default", validation_alias="DEALSCOUT_WORKSPACE")
    feed_max_items: int = Field(default=500, ge=1, validation_alias="DEALSCOUT_FEED_MAX_ITEMS")
    celery_broker_url: str | None = Field(default=None, validation_alias="CELERY_BROKER_URL")
    chroma_host: str | None = Field(default=None, validation_alias="CHROMA_HOST")
    chroma_port: int = Field(default=8000, validation_alias="CHROMA_PORT")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    openai_api_key: str | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    llm_model: str = Field(default="gpt-4o-mini", validation_alias="DEALSCOUT_LLM_MODEL")
    llm_timeout_s: float = Field(default=30.0, validation_alias="DEALSCOUT_LLM_TIMEOUT")
    llm_max_retries: int = Field(default=2, validation_alias="DEALSCOUT_LLM_RETRIES")
    llm_daily_token_cap: int = Field(default=200_000, validation_alias="DEALSCOUT_LLM_DAILY_TOKENS")
    allow_private_urls: bool = Field(default=False, validation_alias="DEALSCOUT_ALLOW_PRIVATE_URLS")
    fetch_max_bytes: int = Field(
        default=5 * 1024 * 1024, validation_alias="DEALSCOUT_FETCH_MAX_BYTES"
    )
    fetch_timeout_s: float = Field(default=15.0, validation_alias="DEALSCOUT_FETCH_TIMEOUT")
    max_note_chars: int = Field(default=50_000, validation_alias="DEALSCOUT_MAX_NOTE_CHARS")
    reconcile_interval_s: float = Field(
        default=900.0, gt=0, validation_alias="DEALSCOUT_RECONCILE_INTERVAL"
    )
    metrics_token: str | None = Field(default=None, validation_alias="DEALSCOUT_METRICS_TOKEN")
    poll_interval_s: float = Field(default=60.0, gt=0, validation_alias="DEALSCOUT_POLL_INTERVAL")
    model_cache: Path = Field(
        default=Path("~/.cache/dealscout"), validation_alias="DEALSCOUT_MODEL_CACHE"
    )
    embedded_worker_threads: int = Field(default=2, validation_alias="DEALSCOUT_WORKER_THREADS")
    # Hostile input: every request body, feed and task is bounded (issue 15).
    max_body_bytes: int = Field(
        default=5 * 1024 * 1024, gt=0, validation_alias="DEALSCOUT_MAX_BODY_BYTES"
    )
    max_upload_bytes: int = Field(
        default=20 * 1024 * 1024, gt=0, validation_alias="DEALSCOUT_MAX_UPLOAD_BYTES"
    )
    auth_failures_per_minute: int = Field(
        default=100, ge=0, validation_alias="DEALSCOUT_AUTH_FAILURES_PER_MINUTE"
    )
    token_requests_per_minute: int = Field(
        default=6000, ge=0, validation_alias="DEALSCOUT_TOKEN_REQUESTS_PER_MINUTE"
    )
    task_time_limit_s: float = Field(  # soft limit; the hard one is 60 s later
        default=120.0, gt=0, validation_alias="DEALSCOUT_TASK_TIME_LIMIT"
    )
    # Digests: email through this SMTP server (unset host: email is not sent, and an email
    # delivery fails with that reason), daily at ``digest_hour`` UTC, weekly on Monday.
    smtp_host: str | None = Field(default=None, validation_alias="DEALSCOUT_SMTP_HOST")
    smtp_port: int = Field(default=25, validation_alias="DEALSCOUT_SMTP_PORT")
    smtp_user: str | None = Field(default=None, validation_alias="DEALSCOUT_SMTP_USER")
    smtp_password: str | None = Field(default=None, validation_alias="DEALSCOUT_SMTP_PASSWORD")
    smtp_starttls: bool = Field(default=False, validation_alias="DEALSCOUT_SMTP_STARTTLS")
    smtp_from: str = Field(default="dealscout@localhost", validation_alias="DEALSCOUT_SMTP_FROM")
    smtp_timeout_s: float = Field(default=15.0, validation_alias="DEALSCOUT_SMTP_TIMEOUT")
    digest_hour: int = Field(default=7, ge=0, le=23, validation_alias="DEALSCOUT_DIGEST_HOUR")
    digest_max_attempts: int = Field(default=5, ge=1, validation_alias="DEALSCOUT_DIGEST_ATTEMPTS")

    @property
    def broker_visibility_timeout_s(self) -> int:
        """How long an unacknowledged task waits before the broker hands it out again: just
        past the task time limit, so a live task is never handed out twice and a killed
        worker's task comes back as soon as it could have finished."""
        return int(self.task_time_limit_s) + HARD_LIMIT_GRACE_S + 10

    @property
    def home_dir(self) -> Path:
        path = self.home.expanduser()
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return normalize_database_url(self.database_url)
        return f"sqlite:///{self.sqlite_file}"

    @property
    def sqlite_file(self) -> Path:
        """The embedded store's SQLite file (used when ``DATABASE_URL`` is unset)."""
        return self.home_dir / "dealscout.db"

    @property
    def chroma_path(self) -> Path:
        return self.home_dir / "chroma"

    @property
    def broker_url(self) -> str:
        """Celery broker: the configured one, or a filesystem transport under the home folder."""
        return self.celery_broker_url or "filesystem://"

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (psycopg2 is not a dependency)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
