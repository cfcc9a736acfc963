"""Checks every REST request (and, optionally, the fake's responses) against Discord's OpenAPI spec.

The spec is loaded once per process and the validator cached: a check then costs ~10 ms.
Multipart bodies are checked through their `payload_json` part, which is what Discord parses.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

SPEC_ENV = "DISCORD_API_SPEC"
_REPO_ROOT = Path(__file__).resolve().parents[3]
_CANDIDATES = (
    _REPO_ROOT.parent / "shared" / "discord-api-spec" / "openapi.json",
    Path("/work/shared/discord-api-spec/openapi.json"),
)
# The spec's only server is https://discord.com/api/v10; requests are checked as if sent there.
_HOST = "https://discord.com"
_PREFIX = "/api/v10"


def spec_path() -> Path | None:
    if env := os.environ.get(SPEC_ENV):
        return Path(env) if Path(env).is_file() else None
    return next((p for p in _CANDIDATES if p.is_file()), None)


def _relax_snowflakes(spec: dict[str, Any]) -> dict[str, Any]:
    """Accept integer snowflakes in requests, as Discord does.

    The spec types snowflakes as strings, but discord.py sends integers in some bodies
    (`attachments[].id`, `allowed_mentions.users`, `message_reference.message_id`) and
    Discord accepts them. Responses are still held to strings.
    """
    relaxed = copy.deepcopy(spec)
    strict = relaxed["components"]["schemas"]["SnowflakeType"]
    relaxed["components"]["schemas"]["SnowflakeType"] = {
        "anyOf": [strict, {"type": "integer", "minimum": 0}]
    }
    return relaxed


class SpecValidator:
    def __init__(self, path: Path) -> None:
        spec = json.loads(path.read_text(encoding="utf-8"))
        # The spec itself is trusted; skipping its meta-validation saves most of the start-up.
        config = Config(spec_validator_cls=None)
        self.api = OpenAPI.from_dict(spec, config=config)
        self.request_api = OpenAPI.from_dict(_relax_snowflakes(spec), config=config)

    def _request(
        self, method: str, path: str, query: dict[str, list[str]], body: bytes | None
    ) -> MockRequest:
        return MockRequest(
            _HOST,
            method,
            _PREFIX + path,
            args={k: v[-1] for k, v in query.items()},
            headers={"Authorization": "Bot token"},
            data=body,
            content_type="application/json",
        )

    def check_request(
        self, method: str, path: str, query: dict[str, list[str]], body: bytes | None
    ) -> str | None:
        """None when valid, else a one-line reason."""
        try:
            self.request_api.validate_request(self._request(method, path, query, body))
        except Exception as error:
            return describe(error)
        return None

    def check_response(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: bytes | None,
        status: int,
        response_body: bytes,
    ) -> str | None:
        request = self._request(method, path, query, body)
        response = MockResponse(response_body, status_code=status, content_type="application/json")
        try:
            self.api.validate_response(request, response)
        except Exception as error:
            return describe(error)
        return None


def describe(error: BaseException) -> str:
    cause = error.__cause__ or error
    schema_errors = getattr(cause, "schema_errors", None) or getattr(error, "schema_errors", None)
    if schema_errors:
        parts = []
        for schema_error in schema_errors:
            best = _deepest(schema_error)
            where = "/".join(str(p) for p in best.absolute_path) or "body"
            parts.append(f"{where}: {best.message[:300]}")
        return f"{type(error).__name__}: " + "; ".join(parts)
    return f"{type(error).__name__}: {str(cause)[:400] or repr(cause)}"


def _deepest(error: Any) -> Any:
    """For oneOf/anyOf failures, the branch error that got furthest into the document."""
    if not error.context:
        return error
    candidates = [_deepest(e) for e in error.context]
    return max(candidates, key=lambda e: (len(e.absolute_path), -len(e.message)))


@functools.cache
def get_validator() -> SpecValidator | None:
    path = spec_path()
    if path is None:
        # One visible line, never a silent skip (ARCHITECTURE.md, Tests).
        line = (
            "fake discord: openapi.json not found; REST spec validation is SKIPPED "
            f"(set {SPEC_ENV} or place ../shared/discord-api-spec/openapi.json)"
        )
        print(line, file=sys.stderr)
        warnings.warn(line, stacklevel=2)  # pytest lists it in the warnings summary
        return None
    return SpecValidator(path)


def flatten_query(query: Any) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for key, value in query.items():
        result.setdefault(key, []).append(value)
    return result
