"""Discord's size limits on messages, embeds, modals and autocomplete (400, code 50035)."""

from __future__ import annotations

from typing import Any

from .errors import DiscordError, FormErrors


def check_message(body: dict[str, Any], *, has_files: bool = False, editing: bool = False) -> None:
    errors = FormErrors()
    errors.max_length("content", body.get("content"), 2000)
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        errors.add("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    total = 0
    for i, embed in enumerate(embeds):
        total += _check_embed(errors, f"embeds.{i}", embed)
    if total > 6000:
        errors.add("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
    components = body.get("components") or []
    if len(components) > 5 and not int(body.get("flags") or 0) & (1 << 15):
        errors.add("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    _check_components(errors, "components", components)
    errors.raise_if_any()
    empty = not (
        body.get("content") or embeds or components or has_files or body.get("sticker_ids")
    )
    if empty and not editing and not body.get("poll"):
        raise DiscordError(400, 50006, "Cannot send an empty message")


def _check_embed(errors: FormErrors, path: str, embed: dict[str, Any]) -> int:
    errors.max_length(f"{path}.title", embed.get("title"), 256)
    errors.max_length(f"{path}.description", embed.get("description"), 4096)
    fields = embed.get("fields") or []
    if len(fields) > 25:
        errors.add(f"{path}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    for j, embed_field in enumerate(fields):
        errors.max_length(f"{path}.fields.{j}.name", embed_field.get("name"), 256)
        errors.max_length(f"{path}.fields.{j}.value", embed_field.get("value"), 1024)
        if not embed_field.get("name") or not embed_field.get("value"):
            errors.add(f"{path}.fields.{j}", "BASE_TYPE_REQUIRED", "This field is required")
        size += len(embed_field.get("name") or "") + len(embed_field.get("value") or "")
    footer = (embed.get("footer") or {}).get("text")
    author = (embed.get("author") or {}).get("name")
    errors.max_length(f"{path}.footer.text", footer, 2048)
    errors.max_length(f"{path}.author.name", author, 256)
    return size + len(footer or "") + len(author or "")


def _check_components(errors: FormErrors, path: str, components: list[dict[str, Any]]) -> None:
    for i, component in enumerate(components):
        here = f"{path}.{i}"
        if component.get("type") == 1 and len(component.get("components") or []) > 5:
            errors.add(
                f"{here}.components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length."
            )
        if component.get("type") == 2:
            errors.max_length(f"{here}.label", component.get("label"), 80)
        if "custom_id" in component:
            errors.max_length(f"{here}.custom_id", component.get("custom_id"), 100)
        for child_key in ("components", "accessory", "component"):
            child = component.get(child_key)
            if isinstance(child, dict):
                _check_components(errors, f"{here}.{child_key}", [child])
            elif isinstance(child, list):
                _check_components(errors, f"{here}.{child_key}", child)


def check_modal(data: dict[str, Any]) -> None:
    errors = FormErrors()
    title = data.get("title") or ""
    if not 1 <= len(title) <= 45:
        errors.add("data.title", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
    errors.max_length("data.custom_id", data.get("custom_id"), 100)
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        errors.add("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
    for i, component in enumerate(components):
        errors.max_length(f"data.components.{i}.label", component.get("label"), 45)
        inner = component.get("component") or {}
        for j, item in enumerate(component.get("components") or [inner]):
            where = f"data.components.{i}.components.{j}"
            errors.max_length(f"{where}.label", item.get("label"), 45)
            errors.max_length(f"{where}.placeholder", item.get("placeholder"), 100)
            errors.max_length(f"{where}.value", item.get("value"), 4000)
            if item.get("type") == 4 and int(item.get("max_length") or 0) > 4000:
                errors.add(f"{where}.max_length", "INT_TYPE_MAX", "int value should be <= 4000.")
    errors.raise_if_any()


def check_choices(data: dict[str, Any]) -> None:
    errors = FormErrors()
    choices = data.get("choices") or []
    if len(choices) > 25:
        errors.add("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for i, choice in enumerate(choices):
        name = choice.get("name") or ""
        if not 1 <= len(name) <= 100:
            errors.add(
                f"data.choices.{i}.name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100."
            )
    errors.raise_if_any()
