"""The `heelcheck` command: terminal interview, vignettes, knowledge-base check."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from heelcheck.cli import main, run_interview
from heelcheck.engine.loader import DEFAULT_DIR


def typist(replies: list[str], out: io.StringIO) -> Callable[[str], str]:
    """Types the given replies, then "No" to every question: "None of these" on a
    tick-list (read from the options printed), "not sure" for a number, option 2 (No)
    otherwise."""
    queue = iter(replies)

    def ask(prompt: str) -> str:
        reply = next(queue, None)
        if reply is not None:
            return reply
        if prompt.startswith(("Numbers separated", "Números separados")):
            shown: list[str] = re.findall(
                r"^  (\d+)\. (?:None of these|Ninguna de estas)$", out.getvalue(), re.MULTILINE
            )
            return shown[-1]
        return "?" if prompt.startswith(("Number (", "Número (")) else "2"

    return ask


def test_the_terminal_interview_runs_to_a_readable_result() -> None:
    out = io.StringIO()
    # who (1 = me), age, where (1 = under the heel, near the arch), low back pain (2 = no)
    assert run_interview(typist(["1", "45", "1", "2"], out), out) == 0
    text = out.getvalue()
    assert "How old are you?" in text
    assert "Your heel pain fits best: Plantar fasciitis" in text
    assert "START YOUR SELF-CARE PLAN" in text
    assert "This is not a diagnosis" in text


def test_the_terminal_interview_runs_in_spanish() -> None:
    from heelcheck.engine import default_knowledge_base
    from heelcheck.engine.locale import for_locale

    es = for_locale(default_knowledge_base(), "es")
    out = io.StringIO()
    assert run_interview(typist(["1", "45", "1", "2"], out), out, "es") == 0
    text = out.getvalue()
    assert es.questions["age"].text in text
    assert f"Tu dolor de talón se parece más a: {es.conditions['plantar_fasciitis'].name}" in text
    assert es.texts.triage["self_care"]["title"].upper() in text
    assert "How old" not in text and "Your heel pain" not in text


def test_the_terminal_interview_words_the_questions_for_a_parent() -> None:
    out = io.StringIO()
    assert run_interview(typist(["2", "11", "3", "2"], out), out) == 0
    text = out.getvalue()
    assert "How old is your child?" in text
    assert "Does your child have low back pain now?" in text


def test_the_terminal_interview_explains_bad_input_and_asks_again() -> None:
    out = io.StringIO()
    assert run_interview(typist(["1", "200", "why", "45", "99", "", "1", "2"], out), out) == 0
    text = out.getvalue()
    assert "must be between 3 and 110" in text
    assert "Some heel problems happen mostly at certain ages" in text
    assert "please type the number of an option" in text
    assert "Tick at least one box" in text, "an empty tick-list is refused, not read as none"


def test_kb_check_passes_on_the_shipped_base(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "check"]) == 0
    assert "knowledge base ok" in capsys.readouterr().out


def test_kb_check_fails_on_a_typo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "kb"
    shutil.copytree(DEFAULT_DIR, target)
    rules = target / "rules.yaml"
    rules.write_text(rules.read_text().replace("level: urgent", "level: urgnet", 1))
    assert main(["kb", "check", str(target)]) == 1
    assert "rules.yaml: rules." in capsys.readouterr().err


def test_vignettes_writes_the_json_report(
    shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    assert main(["vignettes", str(shared / "vignettes" / "dev.yaml"), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    for line in (
        "top-1",
        "top-3",
        "triage exact",
        "triage safe",
        "over-triage",
        "back-link",
        "second causes",
        "questions",
        "estimated seconds",
    ):
        assert line in printed
    report = json.loads(out.read_text())
    assert len(report["vignettes"]) == 42
    # Next to ranked, triage, back_link and transcript, as the vignette README asks.
    assert all(isinstance(run["also_present"], list) for run in report["vignettes"])
    assert report["summary"]["vignettes"] == 42
    assert report["vignettes"][0]["ranked"][0][0] == "plantar_fasciitis"


def test_kb_check_refuses_a_site_catalogue_with_a_gap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import heelcheck.cli as cli

    copy = tmp_path / "web" / "locale"
    shutil.copytree(cli.SITE_CATALOGUES, copy)
    po = copy / "es" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    first = text.index('\nmsgid "', text.index("\n\n")) + 1  # the first entry after the header
    po.write_text(text[:first] + "#, fuzzy\n" + text[first:], encoding="utf-8")
    monkeypatch.setattr(cli, "SITE_CATALOGUES", copy)
    assert main(["kb", "check"]) == 1
    assert "web/locale/es/LC_MESSAGES/django.po: msgid" in capsys.readouterr().err
