"""Field types that keep API input inside what every store can hold and what makes sense.

Integers stop at PostgreSQL's ``integer`` (2^31 - 1), so an id or offset past it is a 422,
not a database error; an explicit ``null`` for a column that cannot be empty is refused;
dates of things that already happened cannot lie in the future.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, Field, model_validator

from dealscout.core.db import utcnow

MAX_DB_INT = 2**31 - 1
# A day of slack: "today" where the user is may already be tomorrow in UTC.
FUTURE_SLACK = timedelta(days=1)

RecordId = Annotated[int, Field(ge=1, le=MAX_DB_INT)]
Count = Annotated[int, Field(ge=0, le=MAX_DB_INT)]


def not_in_future(value: date) -> date:
    if value > utcnow().date() + FUTURE_SLACK:
        raise ValueError(f"{value.isoformat()} is in the future; this records something past")
    return value


PastDate = Annotated[date, AfterValidator(not_in_future)]


class PatchModel(BaseModel):
    """A partial update: fields left out stay as they are; ``null`` is refused for the
    fields named in ``not_null`` (their columns cannot be empty)."""

    not_null: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _refuse_nulls(cls, data: Any) -> Any:
        if isinstance(data, dict):
            nulls = [name for name in cls.not_null if name in data and data[name] is None]
            if nulls:
                raise ValueError(f"{', '.join(nulls)} cannot be null; leave it out to keep it")
        return data
