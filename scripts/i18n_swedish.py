"""After `make i18n-update`: the Swedish catalog's new entries get their own source text.

The Swedish texts in domain.yml are the msgids, so the Swedish translation of a new entry is
the msgid itself; an editor should not have to copy it by hand (and an empty entry would show
as "missing" on the answers page). Entries an editor already wrote are left alone.
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = Path(__file__).resolve().parent.parent / "locales" / "sv" / "LC_MESSAGES" / "messages.po"


def main(catalog_file: Path = CATALOG) -> None:
    with catalog_file.open("rb") as f:
        catalog = read_po(f)
    filled = 0
    for message in catalog:
        if message.id and not message.string:
            message.string, filled = message.id, filled + 1
        if message.id and message.fuzzy and message.string != message.id:
            # The Swedish changed: the Swedish "translation" is the new source, never a fuzzy guess.
            message.string = message.id
            message.flags.discard("fuzzy")
            filled += 1
    with catalog_file.open("wb") as f:
        write_po(f, catalog, width=0, no_location=True, ignore_obsolete=False)
    print(f"==> Swedish catalog: {filled} new or changed text(s) copied from domain.yml")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CATALOG)
