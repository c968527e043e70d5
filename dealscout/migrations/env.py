"""Alembic environment: the URL comes from the caller (``dealscout.core.db.migrate``)."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from dealscout.accounts import models as _accounts  # noqa: F401  (register tables)
from dealscout.briefs import models as _briefs  # noqa: F401
from dealscout.core import usage as _usage  # noqa: F401
from dealscout.core.db import Base
from dealscout.deals import models as _deals  # noqa: F401
from dealscout.ingestion import models as _ingestion  # noqa: F401
from dealscout.queue import models as _queue  # noqa: F401

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
