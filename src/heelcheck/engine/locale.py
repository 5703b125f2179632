"""The knowledge base in another language.

The numbers, rules, ids and the order of questions are the same in every language; only
the words a person reads change.  Each language other than English is a layer of YAML in
``knowledge/<locale>/`` that gives, by id, the texts of the English files:

================== ==========================================================
questions.yaml     text, text_child, text_other, why, hint, unit, option labels
conditions.yaml    name, what, signs, helps, worry, no_plan
plan.yaml          title, how
rules.yaml         title, action
statements.yaml    yes, no, number, one
texts.yaml         disclaimer, triage, back_link, back_link_also, certainty,
                   no_fit, and the labels the loader adds (yes, no, none, unsure)
================== ==========================================================

:func:`for_locale` gives the base with those words in place; everything downstream (the
interview's wording, the result's texts) then reads that language without knowing it.
:func:`untranslated` lists what a layer lacks, for ``heelcheck kb check``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from .errors import KnowledgeBaseError
from .model import Audience, Catalogue, Certainty, KnowledgeBase, Option, Question, Texts

DEFAULT_LOCALE = "en"
LAYER_FILES = ("questions", "conditions", "plan", "rules", "statements", "texts")
ADDED_OPTIONS = ("yes", "no", "none", "unsure")  # labels the loader gives, not questions.yaml
CONDITION_TEXTS = ("name", "what", "signs", "helps", "worry", "no_plan")
STATEMENT_TEXTS = ("yes", "no", "number", "one")
AUDIENCE_KEYS = ((Audience.self, "text"), (Audience.child, "text_child"), (Audience.other, "text_other"))


def read_catalogue(directory: Path, locale: str) -> Catalogue:
    """The layer ``directory/<locale>/``; a file that is missing counts as empty."""
    entries: dict[str, Mapping[str, Any]] = {}
    for kind in LAYER_FILES:
        path = directory / locale / f"{kind}.yaml"
        if not path.exists():
            entries[kind] = {}
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise KnowledgeBaseError(f"{locale}/{kind}.yaml", "yaml", str(exc)) from exc
        if not isinstance(data, dict):
            raise KnowledgeBaseError(f"{locale}/{kind}.yaml", "file", "must be a mapping")
        entries[kind] = data if kind == "texts" else data.get(kind) or {}
        if not isinstance(entries[kind], dict):
            raise KnowledgeBaseError(f"{locale}/{kind}.yaml", kind, "must map ids to their texts")
    return Catalogue(locale, entries)


def locales_in(directory: Path) -> tuple[str, ...]:
    """English, then every language with a layer in the knowledge directory."""
    found = sorted(p.name for p in directory.iterdir() if p.is_dir() and (p / "questions.yaml").exists())
    return (DEFAULT_LOCALE, *found)


@functools.lru_cache(maxsize=16)
def for_locale(kb: KnowledgeBase, locale: str) -> KnowledgeBase:
    """``kb`` with every text a person reads in ``locale`` (English where the layer has no
    word for it; ``heelcheck kb check`` refuses a layer with gaps).  An unknown locale, or
    English, gives ``kb`` itself."""
    catalogue = kb.catalogues.get(locale)
    if catalogue is None:
        return kb
    added = catalogue.entries.get("texts", {}).get("options", {})
    words = catalogue.words

    def named(kind: str, key: str, names: tuple[str, ...]) -> dict[str, Any]:
        return _fields(words(kind, key), names)

    return replace(
        kb,
        locale=locale,
        questions={qid: _question(q, words("questions", qid), added) for qid, q in kb.questions.items()},
        conditions={
            cid: replace(c, **named("conditions", cid, CONDITION_TEXTS)) for cid, c in kb.conditions.items()
        },
        plan=tuple(replace(item, **named("plan", item.id, ("title", "how"))) for item in kb.plan),
        rules=tuple(replace(rule, **named("rules", rule.id, ("title", "action"))) for rule in kb.rules),
        statements={
            fid: replace(st, **named("statements", fid, STATEMENT_TEXTS)) for fid, st in kb.statements.items()
        },
        texts=_texts(kb.texts, catalogue.entries.get("texts", {})),
    )


def _fields(words: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {n: words[n] for n in names if isinstance(words.get(n), str) and words[n].strip()}


def _question(q: Question, words: Mapping[str, Any], added: Mapping[str, Any]) -> Question:
    given = words.get("options")
    labels: Mapping[str, Any] = given if isinstance(given, dict) else {}
    options = tuple(
        replace(o, label=str(labels.get(o.id) or (added.get(o.id) if _is_added(q, o) else None) or o.label))
        for o in q.options
    )
    texts = dict(q.texts)
    for audience, key in AUDIENCE_KEYS:
        if isinstance(words.get(key), str) and audience in texts:
            texts[audience] = words[key]
    return replace(q, options=options, texts=texts, **_fields(words, ("text", "why", "hint", "unit")))


def _is_added(q: Question, o: Option) -> bool:
    return o.id in ADDED_OPTIONS and (q.kind == "yes_no" or o.id in ("none", "unsure"))


def _texts(texts: Texts, words: Mapping[str, Any]) -> Texts:
    triage = {
        level: {**fields, **_fields(words.get("triage", {}).get(level, {}), ("title", "action"))}
        for level, fields in texts.triage.items()
    }
    given = _fields(words.get("back_link", {}), tuple(link.value for link in texts.back_link))
    links = {link: given.get(link.value, text) for link, text in texts.back_link.items()}
    sure = words.get("certainty", {}) if isinstance(words.get("certainty"), dict) else {}
    return replace(
        texts,
        triage=triage,
        back_link=links,
        certainty={c: str(sure.get(c.value) or text) for c, text in texts.certainty.items()},
        **_fields(words, ("disclaimer", "back_link_also", "no_fit", "also_present")),
    )


def untranslated(kb: KnowledgeBase, locale: str) -> Iterator[str]:
    """Every text a person reads that the layer of ``locale`` has no word for."""
    catalogue = kb.catalogues[locale]
    where = f"{locale}/"

    def need(kind: str, key: str, names: tuple[str, ...], present: Mapping[str, Any]) -> Iterator[str]:
        words = catalogue.words(kind, key)
        for name in names:
            if present.get(name) and not (isinstance(words.get(name), str) and words[name].strip()):
                yield f"{where}{kind}.yaml: {kind}.{key}.{name}: no translation"

    for q in kb.questions.values():
        fields = {"text": q.text, "why": q.why, "hint": q.hint, "unit": q.unit}
        fields |= {key: q.texts.get(a, "") for a, key in AUDIENCE_KEYS[1:]}
        yield from need("questions", q.id, tuple(fields), fields)
        labels = catalogue.words("questions", q.id).get("options") or {}
        added = catalogue.entries.get("texts", {}).get("options", {})
        for o in q.options:
            if not (labels.get(o.id) or (_is_added(q, o) and added.get(o.id))):
                yield f"{where}questions.yaml: questions.{q.id}.options.{o.id}: no translation"
    for c in kb.conditions.values():
        yield from need("conditions", c.id, CONDITION_TEXTS, vars(c))
    for item in kb.plan:
        yield from need("plan", item.id, ("title", "how"), vars(item))
    for rule in kb.rules:
        yield from need("rules", rule.id, ("title", "action"), vars(rule))
    for fid, st in kb.statements.items():
        yield from need("statements", fid, STATEMENT_TEXTS, vars(st))
    texts = catalogue.entries.get("texts", {})
    for key in ("disclaimer", "back_link_also", "no_fit", "also_present"):
        if not isinstance(texts.get(key), str):
            yield f"{where}texts.yaml: {key}: no translation"
    for level in kb.texts.triage:
        for name in ("title", "action"):
            if not isinstance(texts.get("triage", {}).get(level, {}).get(name), str):
                yield f"{where}texts.yaml: triage.{level}.{name}: no translation"
    for link in kb.texts.back_link:
        if not isinstance(texts.get("back_link", {}).get(link.value), str):
            yield f"{where}texts.yaml: back_link.{link.value}: no translation"
    for sure in Certainty:
        if not isinstance(texts.get("certainty", {}).get(sure.value), str):
            yield f"{where}texts.yaml: certainty.{sure.value}: no translation"
