"""The translator workflow, with Babel: `python -m i18n.tools extract | update | init LOCALE`.

- `extract` collects every marked sentence from the source into `i18n/messages.pot`
  (generated, not committed: the source is the truth);
- `update` merges that template into each `i18n/locales/<locale>.po`: new sentences
  arrive untranslated, changed ones fuzzy, removed ones obsolete (`#~`);
- `init it` starts a new language's catalogue `i18n/locales/it.po` (a Discord locale code).

`scripts/i18n.sh` runs these. The tests (`tests/i18n/`) extract the same way, in process,
and fail naming each sentence a catalogue lacks.
"""

from __future__ import annotations

import contextlib
import fnmatch
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_keywords

from i18n.catalogues import LOCALE_DIR, babel_locale, catalogue_path

ROOT = LOCALE_DIR.parents[1]
TEMPLATE = LOCALE_DIR.parent / "messages.pot"
# Beyond gettext's own (_, ngettext, pgettext, N_): a context marker, and the wording
# catalogue's entries (wording/catalogue.py): W(text) or W(text, discord),
# P(count, one, other) or P(count, one, other, discord_one, discord_other). A trailing comma
# counts as one more (empty) argument, hence the specs for both arities.
KEYWORDS = ("NP_:1c,2", "W", "W:2,2t", "W:2,3t", "P:2,3", "P:4,5,5t", "P:4,5,6t")
# Folders whose text no member reads: tests, benchmarks, operator scripts, prompts to the AI.
IGNORE_DIRS = (".*", "_*", "tests", "bench", "handoff", "scripts", "prompts", "i18n")
COMMENT_TAG = "TRANSLATORS:"
WIDTH = "100"
# Python everywhere, and the web dashboard's Jinja2 templates (`_()`, `ngettext()` there,
# newstyle: `%(name)s` placeholders). The same map for the tests and for `pybabel -F`.
METHOD_MAP = [("**.py", "python"), ("dashboard/templates/**.html", "jinja2")]
MAPPING = LOCALE_DIR.parent / "babel.cfg"


def _wanted(path: str) -> bool:
    return not any(
        fnmatch.fnmatch(part, pattern) for part in Path(path).parts for pattern in IGNORE_DIRS
    )


def extracted() -> Catalog:
    """Every marked sentence in the source, as `pybabel extract` would find it."""
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(list(KEYWORDS))}
    catalog = Catalog(fuzzy=False)
    found: Iterator = extract_from_dir(
        str(ROOT),
        method_map=METHOD_MAP,
        keywords=keywords,
        comment_tags=[COMMENT_TAG],
        strip_comment_tags=True,
        directory_filter=lambda dirpath: _wanted(str(Path(dirpath).relative_to(ROOT))),
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", *args])


def extract() -> None:
    args = ["extract", "--project=ticket-desk", "--sort-output", "--add-location=file"]
    args += [f"--width={WIDTH}", f"--add-comments={COMMENT_TAG}", "--strip-comments"]
    args += [f"--keyword={keyword}" for keyword in KEYWORDS]
    args += [f"--ignore-dirs={pattern}" for pattern in IGNORE_DIRS]
    args += [f"--mapping-file={MAPPING}"]
    # From the project root, so the template names files as wording/catalogue.py.
    with contextlib.chdir(ROOT):
        _pybabel(*args, "-o", str(TEMPLATE), ".")


def update() -> None:
    extract()
    for path in sorted(LOCALE_DIR.glob("*.po")):
        locale = str(babel_locale(path.stem))
        _pybabel("update", "-i", str(TEMPLATE), "-o", str(path), "-l", locale, f"--width={WIDTH}")


def init(locale: str) -> None:
    extract()
    path = catalogue_path(locale)
    _pybabel("init", "-i", str(TEMPLATE), "-o", str(path), "-l", str(babel_locale(locale)))


def main(argv: list[str]) -> int:
    if argv[:1] == ["extract"]:
        extract()
    elif argv[:1] == ["update"]:
        update()
    elif argv[:1] == ["init"] and len(argv) == 2:
        init(argv[1])
    else:
        print("usage: python -m i18n.tools extract | update | init LOCALE", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
