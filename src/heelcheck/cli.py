"""The ``heelcheck`` command.

heelcheck interview [--lang es]     take the evaluation in a terminal
heelcheck vignettes FILE [--json OUT] [--variants]
heelcheck kb check [DIR]            validate a knowledge base, exit 1 on any problem
heelcheck serve [--host H] [--port N]   run the web site (needs the `web` extra)
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from . import po_file
from .engine import AnswerError, BackLink, Interview, Question, Result, check, default_knowledge_base, load
from .engine.locale import for_locale
from .terminal_words import WORDS, TerminalWords

WIDTH = 78


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="heelcheck", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    talk = sub.add_parser("interview", help="take the evaluation in a terminal")
    talk.add_argument("--lang", choices=sorted(WORDS), default="en", help="language (default: en)")
    vig = sub.add_parser("vignettes", help="score clinical vignettes through the engine")
    vig.add_argument("file", type=Path)
    vig.add_argument("--json", type=Path, metavar="OUT", help="write every run and the summary")
    vig.add_argument(
        "--variants",
        action="store_true",
        help="also score imperfectly answered copies (a fact forgotten or added)",
    )
    kb = sub.add_parser("kb", help="knowledge-base tools")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    kb_check = kb_sub.add_parser("check", help="validate the knowledge base")
    kb_check.add_argument("directory", nargs="?", type=Path)
    serve = sub.add_parser("serve", help="run the web site under gunicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None, help="default: 2 per CPU, 2 to 8")
    args = parser.parse_args(argv)

    if args.command == "interview":
        return run_interview(input, sys.stdout, args.lang)
    if args.command == "vignettes":
        return run_vignettes(args.file, args.json, args.variants)
    if args.command == "kb":
        return run_kb_check(args.directory)
    return run_serve(args.host, args.port, args.workers)


SITE_CATALOGUES = Path(__file__).resolve().parent / "web" / "locale"


def run_kb_check(directory: Path | None) -> int:
    """The knowledge base (its languages' layers included) and the site's catalogues of
    interface words for those languages: a text a person would read in English is refused."""
    problems = check(directory)
    if not problems:
        for lang in (default_knowledge_base() if directory is None else load(directory)).catalogues:
            path = SITE_CATALOGUES / lang / "LC_MESSAGES" / "django.po"
            if path.exists():
                name = path.relative_to(SITE_CATALOGUES.parent.parent)
                problems += [f"{name}: {gap}" for gap in po_file.gaps(path)]
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    kb = default_knowledge_base() if directory is None else None
    print(f"knowledge base ok{f' (version {kb.version})' if kb else ''}")
    return 0


def run_vignettes(path: Path, json_out: Path | None, variants: bool) -> int:
    from .vignettes import evaluate, format_summary, imperfect_variants, load_vignettes

    kb = default_knowledge_base()
    vignettes = load_vignettes(path)
    report = evaluate(kb, vignettes)
    print(format_summary(report["summary"]))
    if variants:
        extra = evaluate(kb, imperfect_variants(kb, vignettes))
        print("\nimperfectly answered variants:")
        print(format_summary(extra["summary"]))
        report["variants"] = extra
    if json_out is not None:
        json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def run_serve(host: str, port: int, workers: int | None) -> int:
    try:
        # Imported by name so that the engine-only install (and mypy on it) never needs Django.
        web = importlib.import_module("heelcheck.web.serve")
    except ImportError as exc:
        print(f"The web site needs the 'web' extra: pip install 'heelcheck[web]' ({exc})", file=sys.stderr)
        return 1
    return int(web.serve(host=host, port=port, workers=workers))


# ---------------------------------------------------------------------- terminal interview
def run_interview(ask: Callable[[str], str], out: TextIO, lang: str = "en") -> int:
    kb = for_locale(default_knowledge_base(), lang)
    words = WORDS.get(lang, WORDS["en"])
    interview = Interview.start(kb)

    def say(text: str = "") -> None:
        print(textwrap.fill(text, WIDTH) if text else "", file=out)

    say(f"{words.intro} {kb.texts.disclaimer}")
    say(words.keys)
    while (q := interview.next_question) is not None:
        done, total = interview.progress()
        say()
        say(f"{words.progress.format(n=done + 1, total=total)} {q.text}")
        if q.hint:
            say(f"  ({q.hint})")
        for i, opt in enumerate(q.options, 1):
            print(f"  {i}. {opt.label}", file=out)
        try:
            raw = ask(_prompt(q, words)).strip()
        except EOFError:
            say("\n" + words.stopped)
            return 1
        if raw.lower() in ("why", words.why):
            say(q.why)
            continue
        if raw.lower() in ("back", words.back):
            if interview.answers:
                earlier = {a.question: a.value for a in interview.answers[:-1]}
                interview = Interview.replay(kb, earlier)
            continue
        try:
            interview = interview.answer(q.id, _parse(q, raw, words))
        except (AnswerError, ValueError) as exc:
            say(words.sorry.format(problem=exc))
    print_result(interview.result(), out, lang)
    return 0


def _prompt(q: Question, words: TerminalWords) -> str:
    if q.kind == "number":
        return words.number.format(unit=q.unit, unsure=words.unsure if q.allow_unsure else "")
    if q.kind == "multi":
        return words.numbers
    return words.one


def _parse(q: Question, raw: str, words: TerminalWords = WORDS["en"]) -> object:
    if q.kind == "number":
        return None if raw in ("?", "") and q.allow_unsure else raw
    picks = raw.replace(",", " ").split()
    try:
        chosen = [q.options[int(p) - 1].id for p in picks if int(p) >= 1]
    except (ValueError, IndexError):
        raise ValueError(words.pick_any) from None
    if q.kind == "multi":
        return chosen
    if len(chosen) != 1:
        raise ValueError(words.pick_one)
    return chosen[0]


def print_result(result: Result, out: TextIO, lang: str = "en") -> None:
    kb = for_locale(default_knowledge_base(), lang)
    words = WORDS.get(lang, WORDS["en"])

    def say(text: str = "", indent: str = "") -> None:
        print(
            textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent) if text else "",
            file=out,
        )

    rule = "=" * WIDTH
    print(f"\n{rule}", file=out)
    say(f"{result.triage_title.upper()}: {result.triage_action}")
    if result.red_flags:
        say(words.why_flags, "  ")
    for flag in result.red_flags:
        say(f"! {flag.title}", "  ")
    print(rule, file=out)
    say()
    sure = f"{result.certainty_text} ({result.leading.probability:.0%})"
    if result.fits_a_cause:
        say(words.fits.format(name=result.leading.name, sure=sure))
    else:
        say(result.headline)
    if result.also_present:
        names = ", ".join(kb.conditions[c].name for c in result.also_present)
        say(words.also.format(names=names), "  ")
    for r in result.shown[1:3]:
        if r.condition not in result.also_present:
            say(words.then.format(name=r.name, p=f"{r.probability:.0%}"), "  ")
    named = {result.leading.condition, *result.also_present}
    for exp in (e for e in result.explanations if e.condition in named):
        name = kb.conditions[exp.condition].name
        if exp.raised:
            say(words.fits_this.format(name=name), "")
            for reason in exp.raised:
                say(f"- {reason.statement}" + ("" if reason.plain else f" ({reason.answer})"), "  ")
        if exp.lowered:
            say(words.not_this.format(name=name), "")
            for reason in exp.lowered:
                say(f"- {reason.statement}" + ("" if reason.plain else f" ({reason.answer})"), "  ")
    if result.back_link is not BackLink.none:
        say()
        say(words.heel_back.format(text=result.back_link_text))
    if result.plan:
        say()
        say(words.plan)
        for item in result.plan:
            say(f"* {item.title}: {item.how}", "  ")
    for cid in (result.leading.condition, *result.also_present):
        if kb.conditions[cid].no_plan:
            say()
            say(kb.conditions[cid].no_plan)
    for cid in (result.leading.condition, *result.also_present):
        say()
        say(words.worry.format(text=kb.conditions[cid].worry))
    say()
    say(result.disclaimer)
    say(words.footer.format(version=result.kb_version, n=result.questions_asked))


if __name__ == "__main__":
    raise SystemExit(main())
