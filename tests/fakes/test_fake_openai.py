"""FakeOpenAI speaks the wire format the openai client expects (checked with raw HTTP)."""

from __future__ import annotations

import json

import aiohttp

from tests.fakes.openai import DEFAULT_ANSWER, FakeOpenAI

BODY = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


async def test_streaming_is_sse_with_a_final_chunk_and_done():
    async with FakeOpenAI() as fake, aiohttp.ClientSession() as http:
        fake.answer(["Hel", "lo"])
        url = f"{fake.base_url}/chat/completions"
        async with http.post(url, json=BODY | {"stream": True}) as response:
            assert response.headers["Content-Type"] == "text/event-stream"
            frames = (await response.text()).strip().split("\n\n")

    assert frames[-1] == "data: [DONE]"
    chunks = [json.loads(frame.removeprefix("data: ")) for frame in frames[:-1]]
    contents = [c["choices"][0]["delta"].get("content") for c in chunks]
    assert contents == ["", "Hel", "lo", None]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


async def test_records_requests_and_falls_back_to_the_default_answer():
    async with FakeOpenAI() as fake, aiohttp.ClientSession() as http:
        headers = {"Authorization": "Bearer k"}
        async with http.post(f"{fake.base_url}/chat/completions", json=BODY, headers=headers) as r:
            body = await r.json()
        [recorded] = await fake.wait_for_requests(1)

    assert body["choices"][0]["message"]["content"] == DEFAULT_ANSWER
    assert recorded.bearer == "k"
    assert recorded.messages == BODY["messages"]


async def test_failures_are_consumed_in_order():
    async with FakeOpenAI() as fake, aiohttp.ClientSession() as http:
        fake.fail("rate_limit", retry_after=2)
        fake.fail("server_error", status=503)
        url = f"{fake.base_url}/chat/completions"
        statuses = []
        for _ in range(3):
            async with http.post(url, json=BODY) as response:
                statuses.append(response.status)
                if response.status == 429:
                    assert response.headers["retry-after"] == "2"
                    assert response.headers["retry-after-ms"] == "2000"

    assert statuses == [429, 503, 200]
