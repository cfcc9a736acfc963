"""The start-up line each failure becomes (the E2E tests drive the real process; these
cover failures a loopback fake cannot produce: TLS and timeouts)."""

from __future__ import annotations

import ssl

import discord

from cogs.runtime.startup import EXIT_UNREACHABLE, describe_network, desk_intents, explain


def test_tls_and_timeouts_are_named():
    assert describe_network(ssl.SSLCertVerificationError("bad cert")) == "TLS handshake failed"
    assert describe_network(TimeoutError()) == "timed out"
    assert describe_network(ConnectionRefusedError(111, "Connection refused")) == (
        "connection refused"
    )


def test_a_timeout_stops_with_the_unreachable_line():
    failure = explain(TimeoutError(), desk_intents())
    assert failure is not None and failure.exit_code == EXIT_UNREACHABLE
    assert failure.line.startswith("Discord could not be reached at discord.com:443 (timed out)")


def test_an_unknown_error_is_left_to_the_traceback():
    # A bug must stay visible, not be dressed up as a configuration problem.
    assert explain(ValueError("bug"), desk_intents()) is None
    assert explain(discord.ClientException("bug"), desk_intents()) is None
