"""The engine stays free of Django, and its public surface is pinned."""

import subprocess
import sys

import heelcheck
import heelcheck.engine


def test_importing_the_engine_never_loads_django() -> None:
    code = (
        "import sys, heelcheck, heelcheck.engine, heelcheck.vignettes, heelcheck.cli\n"
        "from heelcheck.engine import default_knowledge_base, Interview\n"
        "Interview.start(default_knowledge_base())\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_public_names_are_exactly_these() -> None:
    assert sorted(heelcheck.engine.__all__) == sorted([
        "Answer", "AnswerCode", "AnswerError", "BackLink", "Condition", "Explanation", "HeelcheckError",
        "Interview", "KnowledgeBase", "KnowledgeBaseError", "Option", "PlanItem", "Question",
        "Ranked", "Reason", "Result", "StateError", "Triage", "answer_label", "check",
        "default_knowledge_base", "findings_of_state", "load", "validate",
    ])  # fmt: skip
    assert heelcheck.__all__ == heelcheck.engine.__all__
