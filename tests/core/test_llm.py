"""The LLM gateway against a real loopback server speaking the OpenAI protocol."""

from __future__ import annotations

import json
import time

import pytest
from pydantic import BaseModel

from dealscout.core.config import Settings
from dealscout.core.llm import LLMGateway, data_block
from tests.fakes.openai_server import FakeOpenAI, Reply


class Answer(BaseModel):
    verdict: str
    score: int


def gateway(fake: FakeOpenAI, **overrides: object) -> LLMGateway:
    values: dict[str, object] = {
        "OPENAI_BASE_URL": fake.base_url,
        "OPENAI_API_KEY": "test",
        "DEALSCOUT_LLM_TIMEOUT": 1,
        "DEALSCOUT_LLM_RETRIES": 0,
    }
    values.update(overrides)
    return LLMGateway(Settings(**values))  # type: ignore[arg-type]


def test_disabled_without_key_or_base_url(fake_openai: FakeOpenAI) -> None:
    llm = LLMGateway(Settings(OPENAI_BASE_URL=None, OPENAI_API_KEY=None))
    result = llm.complete_json("sys", "user", Answer)
    assert not llm.enabled
    assert result.value is None and result.error == "llm disabled"
    assert fake_openai.requests == []


def test_good_json_is_parsed_and_usage_recorded(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(
        Reply(json.dumps({"verdict": "advance", "score": 3}), prompt_tokens=42, completion_tokens=7)
    )
    result = gateway(fake_openai).complete_json("Judge the note.", data_block("note", "hi"), Answer)
    assert result.error is None
    assert result.value == Answer(verdict="advance", score=3)
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (42, 7)
    assert result.usage.total_tokens == 49
    request = fake_openai.requests[0]
    assert request["response_format"] == {"type": "json_object"}
    assert request["messages"][0]["role"] == "system"
    assert '<data label="note">' in request["messages"][1]["content"]


def test_malformed_json_gives_error_not_value(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Reply("{'verdict': advance"), Reply('{"verdict": "hold"}'))
    llm = gateway(fake_openai)
    for _ in range(2):  # not JSON, then JSON that misses a required field
        result = llm.complete_json("sys", "user", Answer)
        assert result.value is None
        assert result.error == "answer is not valid JSON for schema"
        assert result.usage.total_tokens == 15


def test_empty_content_is_an_error(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Reply(None))
    result = gateway(fake_openai).complete_json("sys", "user", Answer)
    assert result.value is None and result.error is not None


def test_timeout_is_an_error_in_bounded_time(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Reply('{"verdict": "advance", "score": 1}', delay=2.0))
    llm = gateway(fake_openai, DEALSCOUT_LLM_TIMEOUT=0.5)
    started = time.monotonic()
    result = llm.complete_json("sys", "user", Answer)
    assert time.monotonic() - started < 1.5
    assert result.value is None
    assert result.error == "provider error: APITimeoutError"


def test_rate_limit_is_an_error(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Reply(status=429))
    result = gateway(fake_openai).complete_json("sys", "user", Answer)
    assert result.value is None
    assert result.error == "provider error: RateLimitError"
    assert len(fake_openai.requests) == 1  # retries off: no second attempt


def test_retries_follow_settings(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Reply(status=503), Reply('{"verdict": "hold", "score": 0}'))
    result = gateway(fake_openai, DEALSCOUT_LLM_RETRIES=1).complete_json("s", "u", Answer)
    assert result.value == Answer(verdict="hold", score=0)
    assert len(fake_openai.requests) == 2


def test_unscripted_request_gets_server_error(fake_openai: FakeOpenAI) -> None:
    result = gateway(fake_openai).complete_json("sys", "user", Answer)
    assert result.error == "provider error: InternalServerError"


@pytest.mark.parametrize("content_type", ["application/json", "text/html"])
def test_non_json_http_body_is_an_error(fake_openai: FakeOpenAI, content_type: str) -> None:
    # A proxy or gateway answering 200 with an HTML page must not crash the caller.
    fake_openai.script(Reply(raw_body=b"<html>proxy login</html>", content_type=content_type))
    result = gateway(fake_openai).complete_json("sys", "user", Answer)
    assert result.value is None and result.error is not None


def test_json_body_without_choices_is_an_error(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Reply(raw_body=b"{}"))
    result = gateway(fake_openai).complete_json("sys", "user", Answer)
    assert result.value is None and result.error is not None
