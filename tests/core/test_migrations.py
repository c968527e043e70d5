"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from dealscout.accounts import models as _accounts  # noqa: F401  (register tables)
from dealscout.briefs import models as _briefs  # noqa: F401
from dealscout.core.config import get_settings
from dealscout.core.db import Base, get_engine, migrate
from dealscout.deals import models as _deals  # noqa: F401
from dealscout.ingestion import models as _ingestion  # noqa: F401
from dealscout.queue import models as _queue  # noqa: F401


def test_migrations_match_the_models(any_db: str) -> None:
    url = get_settings().sqlalchemy_url
    migrate(url)
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, Base.metadata) == []
