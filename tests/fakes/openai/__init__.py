"""A scriptable OpenAI-compatible Chat Completions server for tests."""

from tests.fakes.openai.server import DEFAULT_ANSWER, FailureKind, FakeOpenAI, RecordedRequest

__all__ = ["DEFAULT_ANSWER", "FailureKind", "FakeOpenAI", "RecordedRequest"]
