"""Every endpoint fuzzed with schemathesis against the API's own OpenAPI document, served
by the real bot process (the fake Discord answering it): no 500, no stack trace, every
answer as documented, bad input refused with 4xx. Bounded, so it stays quick."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.parameters import ParameterLocation

from tests.e2e.api.background import BackgroundDesk
from tests.e2e.api.helpers import KEY
from tests.e2e.backends import PostgresDatabase
from tests.e2e.conftest import chosen_backends
from tests.e2e.helpers import set_up
from tests.e2e.test_forms import create_form, seven_questions

EXAMPLES = 25  # per endpoint and mode
# About 10 s per backend on an idle machine (a minute on a loaded one): both by default.
FUZZ_ON_POSTGRES = True
ALWAYS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Invalid data must be refused, where it reaches the API as generated: in the body or the
# path. A query string can't carry every invalid value (an object or a nameless parameter
# is flattened or dropped by the HTTP client), so a query alone made invalid may arrive
# valid.
WHERE_INVALID_ARRIVES = (ParameterLocation.BODY, ParameterLocation.PATH)


def checks_for(case: schemathesis.Case) -> list:
    meta = case.meta
    negative = meta is not None and any(meta.is_negative_at(at) for at in WHERE_INVALID_ARRIVES)
    return [*ALWAYS, negative_data_rejection] if negative or meta is None else ALWAYS


@pytest.fixture(scope="module", params=chosen_backends(on_postgres=FUZZ_ON_POSTGRES))
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BackgroundDesk, str]]:
    database = None
    if request.param == "postgres":
        database = PostgresDatabase.on_fresh_schema(request.getfixturevalue("postgres_server"))
    env = {"API_RATE_LIMIT": "100000", **(database.bot_env() if database else {})}
    background = BackgroundDesk(tmp_path_factory.mktemp("fuzz"), env)
    try:
        yield from serve(background)
    finally:
        if database is not None:
            database.close()


def serve(background: BackgroundDesk) -> Iterator[tuple[BackgroundDesk, str]]:
    desk = background.start()

    async def prepare() -> str:
        await set_up(desk)
        await create_form(desk, seven_questions())
        reply = await desk.member("admin").slash("admin api-key create", name="fuzz")
        found = KEY.search(reply.text)
        assert found, reply.text
        return found.group(0)

    try:
        key = background.run(prepare())
        yield background, key
    finally:
        violations = background.stop()
    assert violations == [], "Discord API violations while fuzzing:\n" + "\n".join(violations)


def operations(base_url: str) -> list[schemathesis.APIOperation]:
    loaded = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json")
    return [result.ok() for result in loaded.get_all_operations()]


def fuzz(operation: schemathesis.APIOperation, mode: GenerationMode, key: str) -> None:
    """Up to EXAMPLES generated requests for one endpoint, each answer checked."""
    headers = {"Authorization": f"Bearer {key}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers=headers, timeout=10)
        case.validate_response(response, checks=checks_for(case), headers=headers)
        assert "Traceback" not in response.text

    try:
        run()
    except Unsatisfiable:
        # Nothing of this endpoint can be made invalid (the health check has no input).
        assert mode is GenerationMode.NEGATIVE, operation.label


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_endpoint_survives_fuzzing(served, mode):
    background, key = served
    found = operations(background.base_url)
    # The seven of SPEC §8, two aliases, the health check and the staff notes (two).
    assert len(found) == 12
    for operation in found:
        fuzz(operation, mode, key)
