"""The HTTP API (SPEC §8): a second front end beside `cogs/`, calling `core` only.

FastAPI on uvicorn: the request and answer models are pydantic, as the rest of the desk,
so the OpenAPI document (`/api/openapi.json`) and its docs page (`/api/docs`) come from
the same types that validate requests, and `schemathesis` fuzzes every endpoint against
that document. (aiohttp.web is installed for the test fakes, but would need the document
written and kept in step by hand.)

Never imports discord or storage (tests/test_layers.py): the Discord side of an API
action (a ticket's thread, a reply posted in it) is done by the bot process, woken through
the `DiscordSide` given to `create_app`, or found in the database by its loops.
"""
