"""The dashboard speaks the member's language: their Discord locale (from the login), else
the server's language, else English; SPEC §7 words (statuses, #id) stay as they are."""

from __future__ import annotations


def speaks(site, name: str, locale: str | None) -> None:
    """What Discord's `/users/@me` will say about `name`'s language (None: nothing)."""
    site.fake.state.users[site.user_id(name)]["locale"] = locale


async def test_a_german_member_sees_german_pages_and_refusals(site):
    mine = await site.open_ticket("alice", "Drucker brennt")
    theirs = await site.open_ticket("bob", "Bobs Geheimnis")
    speaks(site, "alice", "de")
    await site.log_in("alice")
    listing = await site.http.get(f"/servers/{site.guild_id}/tickets")
    assert '<html lang="de">' in listing.text
    assert "<h1>Meine Tickets</h1>" in listing.text and "1 Ticket" in listing.text
    assert f"#{mine.id}" in listing.text and ">open<" in listing.text  # SPEC §7 words stay
    refused = await site.http.get(f"/servers/{site.guild_id}/tickets/{theirs.id}")
    assert refused.status_code == 403
    assert "Nicht möglich" in refused.text and "Zurück zum Anfang" in refused.text
    # The service's refusal sentence itself, from the German catalogue.
    assert f"Ticket #{theirs.id} gehört jemand anderem" in refused.text


async def test_a_member_without_a_locale_sees_the_server_language(site):
    await site.services.guilds.set_language(site.actor("admin", admin=True), "fr")
    await site.open_ticket("alice")
    speaks(site, "alice", None)
    await site.log_in("alice")
    listing = await site.http.get(f"/servers/{site.guild_id}/tickets")
    assert '<html lang="fr">' in listing.text
    assert "<h1>Mes tickets</h1>" in listing.text and "Se déconnecter" in listing.text


async def test_an_english_member_keeps_english(site):
    await site.services.guilds.set_language(site.actor("admin", admin=True), "fr")
    speaks(site, "alice", "en-US")
    await site.log_in("alice")
    listing = await site.http.get(f"/servers/{site.guild_id}/tickets")
    assert "<h1>My tickets</h1>" in listing.text and '<html lang="en-US">' in listing.text
