"""How a submission reads: its answers, the review embed, the full text when it is long."""

from __future__ import annotations

import io
from typing import Any

import discord

from cogs.shared.text import COLOUR_OPEN, clip, user_mention
from core.form_models import Form, Submission
from core.form_schema import Question, QuestionKind
from i18n import N_, Speech, speech
from wording.catalogue import VERDICTS

FIELD_MAX = 1024
EMBED_BUDGET = 5000  # of Discord's 6000 per message, leaving room for the decision
QUESTION_FIELDS_MAX = 23  # of 25, leaving room for the decision and an overflow note
NO_ANSWER = N_("*(no answer)*")


def format_answer(question: Question | None, value: Any, t: Speech | None = None) -> str:
    t = t or speech()
    if value is None or value == "" or value == []:
        return t._(NO_ANSWER)
    kind = question.kind if question else None
    if kind is QuestionKind.CHECKBOX or isinstance(value, bool):
        return t._("✅ Yes") if value else t._("❌ No")
    if kind is QuestionKind.FILE:
        files = value if isinstance(value, list) else [value]
        return "\n".join(
            f"[{f.get('filename', 'file')}]({f.get('url', '')}) ({f.get('size', 0) // 1024} KB)"
            for f in files
            if isinstance(f, dict)
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _chunks(text: str, t: Speech, size: int = FIELD_MAX) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [t._(NO_ANSWER)]


def full_text(form: Form, submission: Submission, t: Speech) -> str:
    head = t._(
        "Application {ref} to {title} by user {user_id}",
        ref=submission.ref,
        title=form.title,
        user_id=submission.user_id,
    )
    lines = [head, ""]
    for question in form.questions:
        answer = format_answer(question, submission.answers.get(question.id), t)
        lines += [f"## {question.label}", answer, ""]
    return "\n".join(lines)


def review_embed(
    form: Form, submission: Submission, t: Speech
) -> tuple[discord.Embed, discord.File | None]:
    """The answers as fields, long ones split over several; what does not fit in one
    message goes, complete, into an attached text file."""
    created = discord.utils.format_dt(submission.created_at, "f")
    embed = discord.Embed(
        title=clip(t._("Application {ref} · {title}", ref=submission.ref, title=form.title), 256),
        description=t._(
            "From {user} · {when}\nForm {ref}",
            user=user_mention(submission.user_id),
            when=created,
            ref=form.ref,
        ),
        colour=COLOUR_OPEN,
    )
    embed.set_footer(text=t._("Status: {status}", status=verdict_word(submission.status, t)))
    used, overflow = len(embed.title or "") + len(embed.description or ""), False
    for question in form.questions:
        answer = format_answer(question, submission.answers.get(question.id), t)
        for index, chunk in enumerate(_chunks(answer, t)):
            label = question.label
            name = clip(label if index == 0 else t._("{label} (continued)", label=label), 256)
            if len(embed.fields) >= QUESTION_FIELDS_MAX or used + len(name) + len(chunk) > (
                EMBED_BUDGET
            ):
                overflow = True
                break
            embed.add_field(name=name, value=chunk, inline=False)
            used += len(name) + len(chunk)
    if not overflow:
        return embed, None
    embed.add_field(name="…", value=t._("Too long for one message: every answer is in the file."))
    data = io.BytesIO(full_text(form, submission, t).encode())
    return embed, discord.File(data, filename=f"application-{submission.id}.txt")


def verdict_word(status: str, t: Speech) -> str:
    """`pending`, `accepted`, `rejected` as `t` says them (not a ticket status: §7's words
    are ticket statuses only)."""
    english = VERDICTS.get(status)
    return t.pgettext("submission", english) if english else str(status)
