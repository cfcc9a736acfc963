"""A fake Discord (REST + gateway) for end-to-end tests, and a driver that acts like people."""

from .server import FakeDiscord

__all__ = ["FakeDiscord"]
