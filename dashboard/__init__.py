"""The web dashboard (SPEC §9): server-rendered pages over the same services as Discord.

Served by the HTTP API's server at `/` (`api/app.py` includes `dashboard_router`). Members
log in with Discord OAuth2; who is staff or admin in a server is decided by
`core.policy.member_actor` from the member's roles, which the bot process looks up
(`core.members.MemberRoles`). Every permission check stays in the services.

Calls core only (and the front-end neutral `wording`), never discord, cogs or storage
(tests/test_layers.py). Pages work without JavaScript and without internet (no CDN):
Jinja2 templates with autoescaping, one stylesheet, charts drawn as SVG on the server.
"""

from dashboard.router import dashboard_router

__all__ = ["dashboard_router"]
