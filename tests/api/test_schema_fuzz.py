"""Schema fuzzing with schemathesis: every operation of the OpenAPI document, generated
input, a valid admin token. No answer may be a server error, and every answer must match
the documented status codes and schemas. Runs on SQLite and on PostgreSQL (CI), bounded
to a few examples per operation so the whole file stays within a few minutes."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from dealscout.api.main import create_app
from dealscout.core.config import Settings, get_settings
from tests.support.factories import create_account, create_member, create_workspace, open_session

EXAMPLES_PER_OPERATION = 12
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


# The OpenAPI document does not depend on the store: the schema is read once; each test
# points the app at its own store (``app.state.settings``) before sending anything.
APP = create_app(Settings())
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture
def admin_headers(any_db: str) -> dict[str, str]:
    """A workspace with a few objects, so generated small ids hit real rows."""
    session = open_session(get_settings())
    workspace = create_workspace(session, "acme")
    admin = create_member(session, workspace, "admin@acme.test", "admin")
    create_member(session, workspace, "rep@acme.test", "rep")
    for name in ("Fennick Labs", "Brennwald Systems"):
        create_account(session, admin, name)
    session.close()
    APP.state.settings = get_settings()
    return admin.headers


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_answers_match_the_schema(
    case: Any, admin_headers: dict[str, str]
) -> None:
    case.call_and_validate(headers=admin_headers, checks=CHECKS)
