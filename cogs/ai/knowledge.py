"""The AI's reference text, as uploaded with `/admin ai-knowledge`."""

from __future__ import annotations

import discord

from core.errors import InvalidInput
from core.guilds import AI_KNOWLEDGE_MAX

# A UTF-8 character is at most 4 bytes: a bigger file can't be within the character cap.
KNOWLEDGE_MAX_BYTES = AI_KNOWLEDGE_MAX * 4
KNOWLEDGE_SUFFIXES = (".txt", ".md", ".markdown", ".text")


async def read_knowledge_file(attachment: discord.Attachment) -> str:
    """The text of an `/admin ai-knowledge` upload, refused by name when it won't do."""
    name = attachment.filename.lower()
    is_text = (attachment.content_type or "").startswith("text/")
    if not (is_text or name.endswith(KNOWLEDGE_SUFFIXES)):
        raise InvalidInput("file", "knowledge.not_text_file")
    if attachment.size > KNOWLEDGE_MAX_BYTES:
        raise InvalidInput("file", "input.max_characters", max=AI_KNOWLEDGE_MAX)
    try:
        text = (await attachment.read()).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("file", "knowledge.not_utf8") from None
    text = text.strip()
    if not text:
        raise InvalidInput("file", "knowledge.empty")
    return text
