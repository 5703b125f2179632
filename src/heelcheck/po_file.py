"""A small reader of GNU gettext .po files (no third-party package): each entry's context,
msgid, plural msgid, msgstr forms and flags.  Used by ``heelcheck kb check`` to refuse a
catalogue of the site's pages with a gap, and by the tests."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # form index -> text (0 when singular)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def _text(line: str) -> str:
    value = ast.literal_eval(line.strip())
    if not isinstance(value, str):
        raise ValueError(f"not a quoted string: {line!r}")
    return value


def read(path: Path) -> list[Entry]:
    """Every entry of the file, the header (msgid "") included."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    started = False

    def close() -> None:
        nonlocal entry, target, started
        if started:
            entries.append(entry)
        entry, target, started = Entry(), None, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            close()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            started = True
            continue
        if line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}: a continued string with nothing before it: {raw!r}")
            kind, index = target
            if kind == "msgstr":
                entry.msgstr[index] += _text(line)
            else:
                setattr(entry, kind, (getattr(entry, kind) or "") + _text(line))
            continue
        keyword, _, rest = line.partition(" ")
        started = True
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            entry.msgstr[index] = _text(rest)
            target = ("msgstr", index)
        elif keyword in ("msgid", "msgid_plural", "msgctxt"):
            setattr(entry, keyword, _text(rest))
            target = (keyword, 0)
        else:
            raise ValueError(f"{path}: cannot read {raw!r}")
    close()
    return entries


def gaps(path: Path) -> list[str]:
    """What keeps a catalogue from being complete: untranslated, fuzzy or obsolete entries."""
    found = []
    for e in read(path):
        if e.msgid == "" and e.msgctxt is None:
            continue  # the header
        what = f"msgid {e.msgid[:50]!r}"
        if e.obsolete:
            found.append(f"{what}: obsolete (remove it)")
        elif "fuzzy" in e.flags:
            found.append(f"{what}: fuzzy")
        elif not e.translated:
            found.append(f"{what}: untranslated")
    return found
