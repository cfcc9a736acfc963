"""The example form admins start from (the form template): every key and question kind."""

from __future__ import annotations

import json
from typing import Any

# -- the template admins start from ------------------------------------------------------
TEMPLATE_DEFINITION: dict[str, Any] = {
    "title": "Staff application",
    "description": (
        "Want to help run this server? Tell us about yourself. "
        "Staff read every application and answer by DM."
    ),
    "active": True,
    "max_submissions_per_user": 2,
    "review_channel_id": None,
    "accept_role_id": None,
    "required_role_id": None,
    "questions": [
        {
            "id": "name",
            "label": "What should we call you?",
            "kind": "short_text",
            "required": True,
            "placeholder": "Jane",
            "min_length": 2,
            "max_length": 60,
        },
        {
            "id": "age",
            "label": "Your age",
            "kind": "number",
            "required": True,
            "placeholder": "18",
            "min_value": 13,
            "max_value": 120,
        },
        {
            "id": "email",
            "label": "Email for staff tools",
            "kind": "email",
            "required": False,
            "placeholder": "name@example.com",
        },
        {
            "id": "timezone",
            "label": "Your timezone",
            "kind": "choice",
            "required": True,
            "placeholder": "Pick the closest one",
            "choices": ["UTC-8", "UTC-5", "UTC", "UTC+1", "UTC+8"],
        },
        {
            "id": "areas",
            "label": "Where would you like to help?",
            "kind": "multi_choice",
            "required": True,
            "choices": ["Moderation", "Support tickets", "Events", "Bots and tooling"],
        },
        {
            "id": "experience",
            "label": "Your moderation experience",
            "kind": "paragraph",
            "required": True,
            "placeholder": "Servers you helped run, what you did there…",
            "min_length": 50,
            "max_length": 2000,
        },
        {
            "id": "portfolio",
            "label": "A link to your work (optional)",
            "kind": "url",
            "required": False,
            "placeholder": "https://…",
        },
        {
            "id": "cv",
            "label": "Anything to attach? (optional)",
            "kind": "file",
            "required": False,
        },
        {
            "id": "rules",
            "label": "I have read the server rules",
            "kind": "checkbox",
            "required": True,
        },
    ],
}


def template_json() -> str:
    return json.dumps(TEMPLATE_DEFINITION, indent=2, ensure_ascii=False) + "\n"
