"""What the front ends say for each domain message: the one catalogue of wording.

Core raises errors and returns messages as data (`core.errors.Message`: a stable code and
its params); this module turns them into sentences. Each `Wording` holds:

- `text`: the sentence any front end may show, with no Discord syntax (the HTTP API will
  answer with it: the same sentence minus the Discord bits);
- `discord`: Discord's own sentence where it adds a slash-command hint or a mention
  (SPEC §7 sentences, exactly as members and the tests know them); `text` otherwise.

Templates take named placeholders from the message's params and are never glued from
fragments, so a translation can reorder words freely. The English sentences here are the
gettext message ids: `pybabel extract` finds them (`W` and `P` are extraction keywords,
see i18n/tools.py) and every catalogue in i18n/locales translates them; each function
below takes the `Speech` (the language) to say it in, en-US when none is given.
`P(count, one, other)` is a sentence whose words depend on a number (ngettext).
Format specs cover the few Discord-only bits and list layouts:
`{role_id:role}` -> <@&id>, `{user_id:user}` -> <@id>, `{feature:label}` -> "Ticketing",
`{choices:list}` -> "a, b, c", `{choices:some}` -> the first ten and "(and N more)",
`{event:words}` -> "member reply", `{event:verb}` -> "reopen",
`{status:verdict}` -> "accepted" (a submission's status, translated).

This module imports no discord: it is plain text in, plain text out.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from core.errors import DomainError, InvalidInput, Message
from core.form_answers import FormAnswersInvalid
from core.form_models import SubmissionStatus
from core.form_schema import DefinitionInvalid
from core.lifecycle import Event
from core.models import Feature
from i18n import N_, NP_, Speech, speech


@dataclass(frozen=True)
class Wording:
    text: str
    discord: str | None = None

    def template(self, t: Speech, params: dict[str, Any], *, discord: bool) -> str:
        return t.template((self.discord or self.text) if discord else self.text)


@dataclass(frozen=True)
class Plural:
    """A sentence with a number in it: `count` names the param that picks the form."""

    count: str
    one: str
    other: str
    discord_one: str | None = None
    discord_other: str | None = None

    @property
    def text(self) -> str:
        return self.other

    @property
    def discord(self) -> str | None:
        return self.discord_other

    def template(self, t: Speech, params: dict[str, Any], *, discord: bool) -> str:
        number = params.get(self.count)
        n = number if isinstance(number, int) else 2
        if discord and self.discord_one and self.discord_other:
            return t.ntemplate(self.discord_one, self.discord_other, n)
        return t.ntemplate(self.one, self.other, n)


W = Wording
P = Plural

FEATURE_LABELS: dict[str, str] = {
    Feature.TICKETING: N_("Ticketing"),
    Feature.APPLICATIONS: N_("Applications"),
    Feature.AI: N_("AI replies"),
}
# {event:words}: what happened to a ticket, as a noun phrase.
EVENT_WORDS: dict[str, str] = {
    # TRANSLATORS: what happened to a ticket, in "Ticket #4 can't go from closed by …".
    Event.MEMBER_REPLY: NP_("event", "member reply"),
    Event.STAFF_REPLY: NP_("event", "staff reply"),
    Event.RESOLVE: NP_("event", "resolve"),
    Event.CLOSE: NP_("event", "close"),
    Event.REOPEN: NP_("event", "reopen"),
}
# {event:verb}: the same as an infinitive ("Only staff can reopen tickets.").
EVENT_VERBS: dict[str, str] = {
    # TRANSLATORS: an infinitive completing "Only staff can … tickets."
    Event.MEMBER_REPLY: NP_("verb", "reply to"),
    Event.STAFF_REPLY: NP_("verb", "reply to"),
    Event.RESOLVE: NP_("verb", "resolve"),
    Event.CLOSE: NP_("verb", "close"),
    Event.REOPEN: NP_("verb", "reopen"),
}
# {status:verdict}: a reviewed submission ("was already accepted").
VERDICTS: dict[str, str] = {
    # TRANSLATORS: a form submission's state, as in "Submission #3 was already …".
    SubmissionStatus.PENDING: NP_("submission", "pending"),
    SubmissionStatus.ACCEPTED: NP_("submission", "accepted"),
    SubmissionStatus.REJECTED: NP_("submission", "rejected"),
}

# A refusal is read by a person in a Discord message: the first problems are enough.
PROBLEMS_SHOWN = 20
CHOICES_SHOWN = 10

CATALOGUE: dict[str, Wording | Plural] = {
    # -- layout pieces --------------------------------------------------------------------
    "field": W("{field}: {rule}"),
    "list.item": W("- {line}"),
    "list.more": W("… and {count} more"),
    "list.some_more": W("{shown} (and {count} more)"),
    # -- who may do what (core.policy) ----------------------------------------------------
    "admin_only": W("Only server admins (Manage Server permission) can do this."),
    "staff_only.ticket_event": W("Only staff can {event:verb} tickets."),
    "staff_only.claim": W("Only staff can claim tickets."),
    "staff_only.priority": W("Only staff can change priority."),
    "staff_only.department": W("Only staff can change department."),
    "staff_only.stats": W("Only staff can see ticket statistics."),
    "staff_only.review_submissions": W("Only staff can review form submissions."),
    "staff_only.send_draft": W("Only staff can send an AI draft as a reply."),
    "staff_only.draft": W("Only staff can ask the AI to draft a reply."),
    "server.not_a_channel": W(
        "is not a channel of this server; use the id of one of this server's channels"
    ),
    "server.not_a_role": W(
        "is not a role of this server; use the id of one of this server's roles"
    ),
    # -- feature flags and setup (core.guilds) --------------------------------------------
    "feature.disabled": W(
        "{feature:label} is disabled on this server. An admin can turn it on.",
        discord="{feature:label} is disabled on this server. An admin can turn it on with "
        "`/admin feature name:{feature} enabled:True`.",
    ),
    "ai.cannot_turn_on": W(
        "can't be turned on yet: the bot has no AI settings. Set OPENAI_API_KEY and AI_MODEL "
        "(and OPENAI_BASE_URL for a non-OpenAI endpoint), restart the bot, then try again."
    ),
    # -- input rules (core.validation and friends) ----------------------------------------
    "input.not_text": W("must be text"),
    "input.empty": W("must not be empty"),
    "input.required": W("is required"),
    "input.too_long": W("must be at most {max} characters (got {length})"),
    "input.max_characters": W("must be at most {max} characters"),
    "input.control_characters": W("must not contain control characters"),
    "input.one_line": W("must be one line and must not contain control characters"),
    "input.one_of": W("must be one of {choices:list}"),
    "input.between": W("must be between {low} and {high}"),
    "input.at_least": W("must be at least {min}"),
    "input.at_most": W("must be at most {max}"),
    "input.listed_twice": W("lists {item!r} twice"),
    # -- tickets ----------------------------------------------------------------------------
    "ticket.id_not_a_number": W("must be a ticket number like 42"),
    "ticket.id_invalid": W("{value} is not a ticket number; use one like 42"),
    "ticket.not_found": W(
        "Ticket #{ticket_id} was not found.",
        discord="Ticket #{ticket_id} was not found. `/ticket list` shows your tickets.",
    ),
    "ticket.not_yours": W(
        "Ticket #{ticket_id} belongs to someone else; only its owner and staff can see it."
    ),
    "ticket.reply_not_allowed": W(
        "Only the owner of ticket #{ticket_id} and staff can reply to it."
    ),
    "ticket.not_set_up": W(
        "Tickets aren't set up on this server yet. Ask an admin to set them up (the channel "
        "for ticket threads and the staff role).",
        discord="Tickets aren't set up on this server yet. Ask an admin to run `/admin setup` "
        "(it picks the channel for ticket threads and the staff role).",
    ),
    "ticket.open_limit": P(
        "open_count",
        "You already have {open_count} open ticket here (the limit is {limit}). Add to it, "
        "or close it.",
        "You already have {open_count} open tickets here (the limit is {limit}). Add to one "
        "of them, or close one.",
        "You already have {open_count} open ticket here (the limit is {limit}). Add to it "
        "with `/ticket reply`, or close it with `/ticket close`; see it with `/ticket list`.",
        "You already have {open_count} open tickets here (the limit is {limit}). Add "
        "to one of them with `/ticket reply`, or close one with `/ticket close`; see them "
        "with `/ticket list`.",
    ),
    "ticket.cooldown": P(
        "seconds",
        "You just opened ticket #{ticket_id}. Add to it there, or wait {seconds} second "
        "before opening another one.",
        "You just opened ticket #{ticket_id}. Add to it there, or wait {seconds} seconds "
        "before opening another one.",
    ),
    "ticket.already_closed": W("Ticket #{ticket_id} is already closed."),
    "ticket.closed": W(
        "Ticket #{ticket_id} is closed; ask staff to reopen it.",
        discord="Ticket #{ticket_id} is closed; ask staff to reopen it with `/ticket reopen`.",
    ),
    "ticket.already_resolved": W(
        "Ticket #{ticket_id} is already resolved; it can be closed now.",
        discord="Ticket #{ticket_id} is already resolved. Close it with `/ticket close`.",
    ),
    "ticket.not_closed": W(
        "Ticket #{ticket_id} is not closed (it is {status}), so there is nothing to reopen."
    ),
    "ticket.no_transition": W("Ticket #{ticket_id} can't go from {status} by {event:words}."),
    "ticket.closed_reopen_first": W(
        "#{ticket_id} is closed; reopen it first",
        discord="#{ticket_id} is closed; reopen it first with `/ticket reopen`",
    ),
    # Raised by the Discord front end itself.
    "ticket.which": W(
        "Run this in a ticket's thread, or give the ticket number (e.g. 42).",
        discord="Run this inside a ticket's thread, or give the ticket number "
        "(e.g. `ticket_id:42`).",
    ),
    "ticket.here_only": W(
        "This works inside a ticket's thread; run it there.",
        discord="`/ticket {command}` works inside a ticket's thread; run it there.",
    ),
    # -- feedback ---------------------------------------------------------------------------
    "feedback.ticket_not_found": W("Ticket #{ticket_id} was not found."),
    "feedback.not_owner": W("Only the member who opened #{ticket_id} can rate it."),
    "feedback.not_closed": W("#{ticket_id} is not closed yet; rate it once it is"),
    "feedback.rate_first": W("pick a rating from 1 to 5 first"),
    # -- staff tools: people added, close requests, support hours (SPEC §12) ----------------
    "staff_only.add_people": W("Only staff can add people to tickets or take them out."),
    "staff_only.close_request": W("Only staff can ask to close a ticket."),
    "ticket.added_member_cannot": W(
        "You were added to ticket #{ticket_id}: you can read and reply, but only its owner "
        "and staff can {event:verb} it."
    ),
    "participants.is_owner": W("opened ticket #{ticket_id}, so they are in it already"),
    "participants.owner_stays": W(
        "opened ticket #{ticket_id} and can't be taken out of it; close the ticket instead",
        discord="opened ticket #{ticket_id} and can't be taken out of it; close the ticket "
        "instead with `/ticket close`",
    ),
    "participants.everyone_role": W(
        "everyone can't be brought into a ticket; pick a role, or add members one by one",
        discord="@everyone can't be brought into a ticket; pick a role, or add members one "
        "by one with `/ticket add member`",
    ),
    # Raised by the Discord front end itself.
    "participants.no_bots": W("bots can't be added to tickets"),
    "participants.role_not_pingable": W(
        "I can't bring this role in: it can't be mentioned and I lack the Mention Everyone "
        "permission in the ticket channel. Make the role mentionable (Server Settings, "
        "Roles) or give me that permission, then try again.",
        discord="I can't bring {role_id:role} in: the role can't be mentioned and I lack "
        "**Mention @everyone, @here and All Roles** in the ticket channel. Make the role "
        "mentionable (Server Settings → Roles) or give me that permission, then try again.",
    ),
    "close_request.gone": W(
        "This close request is no longer open: it was answered, replaced by a newer one, or "
        "the ticket was closed."
    ),
    "close_request.owner_only": W(
        "Only the member who opened ticket #{ticket_id}, or staff, can answer this close request."
    ),
    "hours.bad_timezone": W(
        "{given!r} is not a time zone I know; use an IANA name like Europe/Berlin, "
        "America/New_York or Asia/Tokyo (or UTC)"
    ),
    "hours.bad_days": W(
        "must be days like mon-fri or mon,wed,sat (mon tue wed thu fri sat sun; also "
        "weekdays, weekends, daily)"
    ),
    "hours.bad_time": W("must be a 24-hour time like 09:00 or 17:30"),
    "hours.empty_range": W("must differ from start (an end before the start runs past midnight)"),
    "hours.other_timezone": W(
        "this server's hours are in {current}; give that time zone, or replace the hours to "
        "start over in {given}",
        discord="this server's hours are in {current}; give that time zone, or add "
        "`replace:True` to start over in {given}",
    ),
    "hours.too_many": W(
        "this server already has {max} ranges of support hours; replace or clear them first",
        discord="this server already has {max} ranges of support hours; add `replace:True` "
        "or run `/admin hours-clear` first",
    ),
    # -- AI replies -------------------------------------------------------------------------
    "ai.not_configured": W(
        "AI replies aren't configured on this bot. The bot's host can set OPENAI_API_KEY and "
        "AI_MODEL (and OPENAI_BASE_URL for a non-OpenAI endpoint) and restart it."
    ),
    "ai.solved_by_owner_only": W(
        "Only the member who opened ticket #{ticket_id} can mark an answer as the solution. "
        "Staff can resolve the ticket.",
        discord="Only the member who opened ticket #{ticket_id} can mark an answer as the "
        "solution. Staff can use `/ticket resolve`.",
    ),
    "ai.draft_empty": W(
        "is empty; ask for a new draft", discord="is empty; run `/ticket suggest` again"
    ),
    "ai.daily_cap": P(
        "cap",
        "This server has used its {cap} AI answer for today (the count restarts at midnight "
        "UTC). Please write this reply yourself.",
        "This server has used its {cap} AI answers for today (the count restarts at midnight "
        "UTC). Please write this reply yourself.",
    ),
    "ai.draft_unavailable": W(
        "The AI couldn't draft a reply right now ({reason}). Try again in a moment, or write "
        "the reply yourself."
    ),
    # Raised by the Discord front end itself (`/admin ai-knowledge`).
    "knowledge.not_text_file": W("must be a plain-text file (.txt or .md)"),
    "knowledge.not_utf8": W("must be UTF-8 text"),
    "knowledge.empty": W("is empty; to remove the knowledge, run the command without a file"),
    # -- admin (raised by the Discord front end itself) ---------------------------------------
    "admin.not_text_channel": W("must be a text channel"),
    "admin.other_server": W("this button belongs to another server"),
    # -- staff tools: tags, staff notes, blocks (SPEC §12) ---------------------------------
    "staff_only.tags": W("Only staff can use tags."),
    "staff_only.notes": W("Only staff can add or read staff notes."),
    "tag.admin_only": W(
        "Only server admins (Manage Server permission) can create, edit or delete tags; "
        "staff can use them.",
        discord="Only server admins (Manage Server permission) can create, edit or delete "
        "tags; staff can post them with `/tag use`.",
    ),
    "tag.not_found": W(
        "There is no tag named “{name}” on this server.",
        discord="There is no tag named “{name}” on this server. `/tag list` shows them all.",
    ),
    "tag.name_taken": W(
        "a tag named “{name}” already exists; pick another name or edit that tag",
        discord="a tag named “{name}” already exists; pick another name or change it with "
        "`/tag edit`",
    ),
    "tag.limit": W("This server has {limit} tags, the most it can keep; delete one first."),
    "tag.gone": W(
        "This tag was deleted meanwhile, so nothing was changed.",
        discord="This tag was deleted meanwhile, so nothing was changed. Create it again with "
        "`/tag create`.",
    ),
    # Raised by the Discord front end itself.
    "tag.here_only": W(
        "A tag is posted in a ticket's thread; run this there.",
        discord="`/tag use` posts in a ticket's thread; run it there.",
    ),
    "block.member_blocked": W(
        "You are blocked from opening tickets and submitting forms on this server. If you "
        "think this is a mistake, ask a server admin."
    ),
    "block.role_blocked": W(
        "One of your roles is blocked from opening tickets and submitting forms on this "
        "server. If you think this is a mistake, ask a server admin.",
        discord="Your role {role_id:role} is blocked from opening tickets and submitting forms "
        "on this server. If you think this is a mistake, ask a server admin.",
    ),
    "block.not_blocked_member": W(
        "That member is not blocked.",
        discord="{target_id:user} is not blocked. `/admin blocked` lists who is.",
    ),
    "block.not_blocked_role": W(
        "That role is not blocked.",
        discord="{target_id:role} is not blocked. `/admin blocked` lists what is.",
    ),
    "block.self": W("you can't block yourself"),
    "block.everyone": W(
        "the everyone role can't be blocked (that would block the whole server); block "
        "members one by one"
    ),
    "block.staff_role": W(
        "is a staff role, and staff are never blocked by a role",
        discord="{role_id:role} is a staff role, and staff are never blocked by a role",
    ),
    # -- forms and submissions ------------------------------------------------------------
    "form.not_found": W(
        "Form #{form_id} was not found.",
        discord="Form #{form_id} was not found. `/forms list` shows the forms you can fill in.",
    ),
    "form.closed": W("“{title}” is closed and isn't taking submissions right now."),
    "form.role_required": W(
        "“{title}” is only for members with a role you don't have.",
        discord="“{title}” is only for members with the {role_id:role} role.",
    ),
    "form.used_up": P(
        "allowed",
        "You have used {used} of {allowed} submission for “{title}”. Ask staff if you need "
        "another.",
        "You have used {used} of {allowed} submissions for “{title}”. Ask staff if you need "
        "another.",
    ),
    "form.answers_invalid": P(
        "count", "{count} answer needs fixing", "{count} answers need fixing"
    ),
    "submission.not_found": W("Submission #{submission_id} was not found."),
    "submission.not_yours": W(
        "Submission #{submission_id} is someone else's; only staff can see it."
    ),
    "submission.own": W("You can't review your own submission; ask another staff member."),
    "submission.already_reviewed": W(
        "Submission #{submission_id} was already {status:verdict}; nothing was changed."
    ),
    "submission.already_reviewed_by": W(
        "Submission #{submission_id} was already {status:verdict} by another reviewer; "
        "nothing was changed.",
        discord="Submission #{submission_id} was already {status:verdict} by "
        "{reviewer_id:user}; nothing was changed.",
    ),
    # Raised by the Discord front end itself.
    "form.pick": W("pick a form from the list (or give its number, like 3)"),
    "definition.file_too_large": W("too large (at most {kb} KB); is it the right file?"),
    # -- a member's answers to a form (core.form_answers) ---------------------------------
    "answer.not_a_mapping": W("must map question ids to answers"),
    "answer.one_line": W("must be one line"),
    "answer.too_short": P(
        "min",
        "must be at least {min} character (got {length})",
        "must be at least {min} characters (got {length})",
    ),
    "answer.number": W("must be a number, like 42 or 3.5"),
    "answer.number_between": W("must be a number between {low} and {high}"),
    "answer.number_at_least": W("must be a number of at least {low}"),
    "answer.number_at_most": W("must be a number of at most {high}"),
    "answer.email": W("must be an email address, like name@example.com"),
    "answer.url": W("must be a web link starting with http:// or https://"),
    "answer.choice": W("must be one of: {choices:some}"),
    "answer.options": W("must be a list of options from: {choices:some}"),
    "answer.not_an_option": W("{option!r} is not an option; pick from: {choices:some}"),
    "answer.checkbox": W("must be checked or unchecked (true or false)"),
    "answer.must_be_checked": W("must be checked"),
    "answer.file": W("must be an uploaded file"),
    "answer.too_many_files": P("max", "at most {max} file", "at most {max} files"),
    "answer.unknown_question": W(
        "is not a question of this form (it may have changed; start again)",
        discord="is not a question of this form (it may have changed; start again with "
        "`/forms submit`)",
    ),
    # -- integrations: API keys and webhooks (core.api_keys, core.webhooks) -----------------
    "api_key.name_taken": W(
        "a key named “{name}” already exists; pick another name or revoke that key first"
    ),
    "api_key.not_found": W(
        "No API key named “{name}” exists on this server.",
        discord="No API key named “{name}” exists on this server. `/admin api-key list` shows "
        "the keys.",
    ),
    "api_key.too_many": W(
        "This server already has {max} API keys; revoke one before creating another."
    ),
    "webhook.url": W("must be a web address starting with http:// or https://"),
    "webhook.url_credentials": W("must not contain a user name or password"),
    "webhook.url_private": W(
        "points at a private or local address; use the receiver's public address"
    ),
    "webhook.unknown_event": W("{event!r} is not an event; pick from: {choices:list}"),
    "webhook.too_many": W("This server already has {max} webhooks; remove one first."),
    "webhook.not_found": W(
        "Webhook #{webhook_id} was not found.",
        discord="Webhook #{webhook_id} was not found. `/admin webhook list` shows the webhooks.",
    ),
    # -- the HTTP API's own refusals (api/) ---------------------------------------------------
    "api.no_credential": W(
        "No credential: send a server key as 'Authorization: Bearer <key>'. A server admin "
        "creates keys in Discord."
    ),
    "api.bad_credential": W(
        "This credential is not valid: the key may have been revoked or copied incompletely."
    ),
    "api.rate_limited": W(
        "Too many requests with this credential; try again in {retry_after} seconds."
    ),
    "api.too_large": W("The request body is too large (at most {kb} KiB)."),
    "api.no_such_path": W("There is no such endpoint; see /api/docs for the ones there are."),
    "api.method_not_allowed": W("This endpoint does not take that method; see /api/docs."),
    "api.internal": W("Something went wrong on our side; it has been logged. Try again later."),
    "api.invalid": W("is not valid"),
    "api.bad_json": W("must be a JSON object in UTF-8"),
    "api.not_an_object": W("must be a JSON object"),
    "api.unknown_field": W("is not a field of this request"),
    "api.unknown_parameter": W("is not a parameter of this endpoint"),
    "api.repeated_parameter": W("is given more than once"),
    "api.whole_number": W("must be a whole number"),
    "api.snowflake": W('must be a Discord id like "123456789012345678"'),
    "api.user_id_required": W("is required with a server key: the member this is for"),
    "api.user_id_key_only": W("Only a server key can act for another member."),
    "api.not_a_member": W("{user_id} is not a member of this server"),
    # -- the dashboard's login used with the API (api/user_sessions.py) --------------------
    "api.session_expired": W("Your dashboard session has expired: log in again."),
    "api.session_csrf": W(
        "Send the dashboard's X-CSRF-Token header with a request that changes something."
    ),
    "api.session_guild_required": W("is required: you are a member of several servers"),
    "api.session_not_member": W(
        "You are not a member of that server, or it does not use this desk."
    ),
    "api.update_empty": W("give a reply, a status, or both"),
    "api.reason_without_close": W('only goes with "status": "closed"'),
    # -- an uploaded form definition (core.form_schema) -------------------------------------
    "definition.invalid": P("count", "{count} problem:", "{count} problems:"),
    "definition.too_large": W("too large (at most {kb} KB)"),
    "definition.not_utf8": W("not UTF-8 text; save the file as UTF-8"),
    "definition.bad_json_at": W("not valid JSON (line {line}, column {column}: {detail})"),
    "definition.bad_json": W("not valid JSON ({detail})"),
    "definition.not_a_json_object": W("must be a JSON object {{...}} with a title and questions"),
    "definition.unknown_key": W("unknown key; allowed keys: {allowed:list}"),
    "definition.unknown_key_like": W(
        "unknown key (did you mean {like!r}?); allowed keys: {allowed:list}"
    ),
    "definition.other": W("{detail}"),
    "definition.max_characters": W("at most {max} characters"),
    "definition.min_items": P(
        "min", "must have at least {min} item", "must have at least {min} items"
    ),
    "definition.max_items": P(
        "max", "must have at most {max} item", "must have at most {max} items"
    ),
    "definition.not_text": W("must be text (in double quotes)"),
    "definition.not_bool": W("must be true or false"),
    "definition.not_whole_number": W("must be a whole number"),
    "definition.not_list": W("must be a list [...]"),
    "definition.not_object": W("must be an object {{...}}"),
    "definition.snowflake": W('must be a Discord id like "123456789012345678", or null'),
    "definition.number": W("must be a number"),
    "definition.question_id": W('use lowercase letters, digits, _ and - only (like "your_age")'),
    "definition.no_placeholder": W("not used by {kind} questions; remove it"),
    "definition.text_only": W("only for short_text and paragraph questions"),
    "definition.number_only": W("only for number questions"),
    "definition.below_minimum": W("must not be less than {key} ({minimum})"),
    "definition.choices_required": W(
        "required for {kind} questions: a list of {min} to {max} options"
    ),
    "definition.choices_only": W("only for choice and multi_choice questions"),
    "definition.duplicate_id": W("duplicate id {id!r} (also used by questions[{first}])"),
}


class _Formatter(string.Formatter):
    """`str.format` plus the specs above, for one front end's variant of the sentences,
    in one language."""

    def __init__(self, *, discord: bool, t: Speech | None = None) -> None:
        self.discord = discord
        self.t = t or speech()

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "user":
            return f"<@{value}>"
        if format_spec == "role":
            return f"<@&{value}>"
        if format_spec == "label":
            return self.t._(FEATURE_LABELS.get(value, str(value)))
        if format_spec in ("words", "verb", "verdict"):
            return self._word(format_spec, str(value))
        if format_spec == "list":
            return ", ".join(str(item) for item in value)
        if format_spec == "some":
            shown = ", ".join(str(item) for item in value[:CHOICES_SHOWN])
            if len(value) <= CHOICES_SHOWN:
                return shown
            return self.fill("list.some_more", shown=shown, count=len(value) - CHOICES_SHOWN)
        return super().format_field(value, format_spec)

    def _word(self, spec: str, value: str) -> str:
        table, context = {
            "words": (EVENT_WORDS, "event"),
            "verb": (EVENT_VERBS, "verb"),
            "verdict": (VERDICTS, "submission"),
        }[spec]
        english = table.get(value)
        if english is None:
            return value.replace("_", " ")
        return self.t.pgettext(context, english)

    def fill(self, code: str, /, **params: Any) -> str:
        wording = CATALOGUE.get(code)
        if wording is None:  # a code nobody worded yet: say something, never crash
            return str(Message(code, **params))
        template = wording.template(self.t, params, discord=self.discord)
        try:
            return self.vformat(template, (), params)
        except (KeyError, IndexError, ValueError):
            # A broken placeholder in a translation (tests/i18n catch these): English.
            english = wording.template(speech(), params, discord=self.discord)
            return self.vformat(english, (), params)

    def say(self, message: Message) -> str:
        return self.fill(message.code, **message.params)

    def error(self, error: DomainError) -> str:
        if isinstance(error, FormAnswersInvalid):
            return "\n".join(
                self.fill("field", field=error.labels[qid], rule=self.say(rule))
                for qid, rule in error.errors.items()
            )
        if isinstance(error, DefinitionInvalid):
            rule = self._problems(error)
        else:
            rule = self.say(error.message)
        if isinstance(error, InvalidInput):
            return self.fill("field", field=error.field, rule=rule)
        return rule

    def _problems(self, error: DefinitionInvalid) -> str:
        lines = [
            self.fill("field", field=path, rule=self.say(rule))
            for path, rule in error.errors[:PROBLEMS_SHOWN]
        ]
        if len(error.errors) > PROBLEMS_SHOWN:
            lines.append(self.fill("list.more", count=len(error.errors) - PROBLEMS_SHOWN))
        if len(lines) == 1:
            return lines[0]
        items = [self.fill("list.item", line=line) for line in lines]
        return "\n".join([self.say(error.message), *items])


def say(message: Message, t: Speech | None = None) -> str:
    """The message as Discord shows it (in `t`'s language; en-US by default)."""
    return _Formatter(discord=True, t=t).say(message)


def say_plain(message: Message, t: Speech | None = None) -> str:
    """The same sentence without Discord syntax (what another front end would show)."""
    return _Formatter(discord=False, t=t).say(message)


def error_text(error: DomainError, *, plain: bool = False, t: Speech | None = None) -> str:
    """A refusal as one text: the field and its rule, or every problem of a form's answers
    or definition, each worded from the catalogue (in `t`'s language; en-US by default)."""
    return _Formatter(discord=not plain, t=t).error(error)
