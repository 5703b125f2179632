"""The Spanish catalogue: complete (no untranslated, fuzzy or stale entry), its compiled .mo
the same as the .po, every interface string of the sources in it, and every page type in
Spanish free of the English interface text."""

from __future__ import annotations

import ast
import gettext
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.template import loader
from django.test import Client
from django.utils import translation
from people import PF_WITH_SCIATICA
from web_helpers import Visitor, form_answer, form_fields

from heelcheck import po_file
from heelcheck.engine import KnowledgeBase
from heelcheck.vignettes import respond

WEB = Path(__file__).resolve().parents[2] / "src" / "heelcheck" / "web"
PO = WEB / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# The interface strings whose Spanish is the English word itself: the only English allowed.
SAME_IN_BOTH = {"Cookies"}
# Where the patient's interface strings live (staff pages and the API stay English).
SOURCES = [
    *sorted((WEB / "templates").glob("*.html")),
    *sorted((WEB / "assessments" / "templates").rglob("*.html")),
    *(WEB / "assessments" / f"{name}.py" for name in ("views", "embed", "forms", "presenters", "flows")),
    WEB / "errors.py",
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def entries() -> list[po_file.Entry]:
    return [e for e in po_file.read(PO) if e.msgid]


def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(entries: list[po_file.Entry]) -> None:
    assert len(entries) > 150
    assert not [e.msgid for e in entries if not e.translated], "untranslated"
    assert not [e.msgid for e in entries if "fuzzy" in e.flags], "fuzzy"
    assert not [e.msgid for e in entries if e.obsolete], "obsolete (#~): run makemessages"
    header = po_file.read(PO)[0].msgstr[0]
    assert "Language: es\n" in header and "Plural-Forms: nplurals=3;" in header


def test_every_translation_keeps_the_placeholders(entries: list[po_file.Entry]) -> None:
    for e in entries:
        wanted = set(PLACEHOLDER.findall(e.msgid + e.msgid_plural))
        for text in e.msgstr.values():
            assert set(PLACEHOLDER.findall(text)) == wanted, (e.msgid, text)
            assert text.count("%%") == e.msgid.count("%%"), (e.msgid, text)


def test_only_the_listed_words_are_the_same_in_both_languages(entries: list[po_file.Entry]) -> None:
    assert {e.msgid for e in entries if e.msgstr.get(0) == e.msgid} == SAME_IN_BOTH


def test_the_committed_mo_is_compiled_from_the_po(entries: list[po_file.Entry]) -> None:
    """The .mo is committed (see the README's Languages section): it must say what the .po
    says. After editing the .po, run compilemessages."""
    with MO.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for e in entries:
        if e.msgid_plural:
            assert mo.ngettext(e.msgid, e.msgid_plural, 1) == e.msgstr[0], e.msgid
            assert mo.ngettext(e.msgid, e.msgid_plural, 5) == e.msgstr[2], e.msgid
        elif e.msgctxt:
            assert mo.pgettext(e.msgctxt, e.msgid) == e.msgstr[0], e.msgid
        else:
            assert mo.gettext(e.msgid) == e.msgstr[0], e.msgid


def template_msgids(text: str) -> Iterator[str]:
    for found in re.finditer(r'\{% translate "([^"]*)"', text):
        yield found.group(1)
    block = re.compile(
        r"\{% blocktranslate( trimmed)?[^%]*%\}(.*?)(?:\{% plural %\}(.*?))?\{% endblocktranslate %\}", re.S
    )
    for found in block.finditer(text):
        for body in (found.group(2), found.group(3)):
            if body is None:
                continue
            if found.group(1):
                body = " ".join(line.strip() for line in body.strip().splitlines())
            body = body.replace("%", "%%")
            yield re.sub(r"\{\{ (\w+) \}\}", r"%(\1)s", body)


def python_msgids(text: str) -> Iterator[str]:
    for node in ast.walk(ast.parse(text)):
        call = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if call and node.func.id in ("_", "gettext", "ngettext", "gettext_lazy"):  # type: ignore[attr-defined]
            for arg in node.args:  # type: ignore[attr-defined]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield arg.value


def test_every_interface_string_of_the_sources_is_in_the_catalogue(entries: list[po_file.Entry]) -> None:
    """A string wrapped for translation but not yet in the .po (makemessages not run) would
    show in English on a Spanish page."""
    known = {e.msgid for e in entries} | {e.msgid_plural for e in entries}
    found = {
        msgid
        for path in SOURCES
        for msgid in (python_msgids if path.suffix == ".py" else template_msgids)(path.read_text("utf-8"))
    }
    assert len(found) > 150
    assert sorted(found - known) == [], "run: django-admin makemessages -l es (README, Languages)"


# ---------------------------------------------------------------------- every page, in Spanish
def visible(page: str) -> str:
    """What a person sees or hears of a page: its text and its labels."""
    labels = re.findall(r'(?:aria-label|alt|title|placeholder)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *labels]))


def english_fragments(entries: list[po_file.Entry]) -> list[str]:
    """The English words of every interface string, cut at its placeholders and markup."""
    pieces = set()
    for e in entries:
        if e.msgid in SAME_IN_BOTH or e.msgid == "j F Y, H:i":  # a date format, never shown
            continue
        for msgid in (e.msgid, e.msgid_plural):
            for piece in re.split(r"%\(\w+\)[sd]|%%|<[^>]+>", msgid):
                piece = piece.strip(" .,:;()")
                if len(re.sub(r"\W", "", piece)) >= 3:
                    pieces.add(piece)
    return sorted(pieces, key=len, reverse=True)


def spanish_pages(kb: KnowledgeBase, vignettes: dict[str, dict[str, object]]) -> dict[str, str]:
    """One of each page type a patient can see, on the site and in the widget, in Spanish."""
    pages: dict[str, str] = {}
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    maria = Visitor(client, kb)

    def get(name: str, url: str, status: int = 200, **extra: str) -> None:
        response = client.get(url, **extra)
        assert response.status_code == status, (name, url, response.status_code)
        pages[name] = response.content.decode()

    get("landing", "/")
    get("privacy", "/privacy/")
    maria.start()
    get("landing, continue", "/")
    for _ in range(60):
        response = client.get(f"/a/{maria.assessment_id}/")
        if response.status_code == 303:
            break
        page = response.content.decode()
        fields = form_fields(page)
        question = kb.questions[fields["question"]]
        pages[f"question {question.kind} {question.id}"] = page
        if question.id == "age":
            refused = client.post(f"/a/{maria.assessment_id}/", {**fields, "answer": "400"})
            pages["question, refused number"] = refused.content.decode()
        value = respond(question, PF_WITH_SCIATICA, kb)
        client.post(f"/a/{maria.assessment_id}/", {**fields, **form_answer(question, value)})
    result = str(response["Location"])
    get("result", result)
    get("print", f"{result}print")
    get("revisit", f"/a/{maria.assessment_id}/q/respondent/")
    get("delete", f"/a/{maria.assessment_id}/delete")
    stale = client.post(f"/a/{maria.assessment_id}/", {"question": "age", "revision": "0", "answer": "20"})
    pages["question, out of date"] = stale.content.decode()
    assert client.post(f"/a/{maria.assessment_id}/delete", {"confirm": "yes"}).status_code == 303
    get("deleted", "/deleted/")
    get("not found", "/no-such-page", 404)
    get("dead link", "/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/", 404)
    get("not yours", f"/a/{maria.assessment_id}/", 404)
    expired = Client(HTTP_ACCEPT_LANGUAGE="es", enforce_csrf_checks=True).post("/start/")
    pages["form expired"] = expired.content.decode()
    with translation.override("es"):
        pages["server error"] = loader.get_template("500.html").render()
    # The widget.
    frame = {"HTTP_SEC_FETCH_DEST": "iframe", "HTTP_SEC_FETCH_SITE": "same-origin"}
    widget = Client()
    pages["widget landing"] = widget.get("/embed/?lang=es", **frame).content.decode()
    start = widget.post("/embed/start/?lang=es", **frame)
    base = str(start["Location"])
    pages["widget question"] = widget.get(base, **frame).content.decode()
    for _ in range(60):
        response = widget.get(base, **frame)
        if response.status_code == 303:
            break
        fields = form_fields(response.content.decode())
        question = kb.questions[fields["question"]]
        widget.post(
            base, {**fields, **form_answer(question, respond(question, PF_WITH_SCIATICA, kb))}, **frame
        )
    pages["widget result"] = widget.get(f"{base.rstrip('/')}/result", **frame).content.decode()
    pages["widget delete"] = widget.get(f"{base.rstrip('/')}/delete", **frame).content.decode()
    gone = widget.post(f"{base.rstrip('/')}/delete", {"confirm": "yes"}, **frame)
    pages["widget deleted"] = widget.get(str(gone["Location"]), **frame).content.decode()
    pages["widget not found"] = widget.get("/embed/nothing?lang=es", **frame).content.decode()
    pages["widget outside a frame"] = widget.get(f"{base}?lang=es").content.decode()
    return pages


def test_every_page_type_in_spanish_shows_none_of_the_english_interface_text(
    db: None, kb: KnowledgeBase, vignettes: dict[str, dict[str, object]], entries: list[po_file.Entry]
) -> None:
    pieces = english_fragments(entries)
    pages = spanish_pages(kb, vignettes)
    assert len(pages) >= 20
    assert any(name.startswith("question multi") for name in pages)
    assert any(name.startswith("question number") for name in pages)
    for name, page in pages.items():
        assert re.search(r'<html lang="es"', page), name
        seen = visible(page)
        english = [p for p in pieces if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", seen)]
        assert not english, f"{name} shows English: {english}"
