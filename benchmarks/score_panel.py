"""Score a real-respondent panel: stories answered through the JSON API by people (or
helpers playing them) who read only each question's words, against the stories' keys.

    python benchmarks/score_panel.py KEYS.yaml PANEL_OUT_DIR [PANEL_OUT_DIR ...]

KEYS.yaml is a story file with `expected` keys (tests/data/lay_stories.yaml); each out
folder holds one JSON file per story as `shared/tools/answer_as_person.py` writes them.
It prints the same figures as `heelcheck vignettes`, and the stories whose triage or
leading cause differ from the key.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

ORDER = ["self_care", "soon", "urgent", "emergency"]


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "-"


def main(keys_path: str, *out_dirs: str) -> int:
    keys = {v["id"]: v["expected"] for v in yaml.safe_load(Path(keys_path).read_text())}
    runs: dict[str, dict[str, Any]] = {}
    for folder in out_dirs:
        for path in sorted(Path(folder).glob("*.json")):
            doc = json.loads(path.read_text())
            runs[doc["story"]] = doc["result"]
    scored = [(sid, keys[sid], runs[sid]) for sid in sorted(runs) if sid in keys]
    n = len(scored)
    if not n:
        print("no answered story has a key")
        return 1
    top1 = exact = over = urgent = urgent_missed = link_n = link_ok = 0
    notes = []
    for sid, exp, res in scored:
        ranked = [c for c, _ in res.get("ranked") or []]
        lead = ranked[0] if ranked else None
        ok = lead in {exp["condition"], *(exp.get("also_acceptable") or [])}
        top1 += ok
        got, want = ORDER.index(res["triage"]), ORDER.index(exp["triage"])
        exact += got == want
        over += got > want
        if want >= ORDER.index("urgent"):
            urgent += 1
            urgent_missed += got < want
        if "back_link" in exp:
            link_n += 1
            link_ok += res.get("back_link") == exp["back_link"]
        if not ok or got != want:
            notes.append(f"{sid}: {lead} / {res['triage']} (key {exp['condition']} / {exp['triage']})")
    print(f"stories answered    {n}")
    print(f"top-1               {pct(top1, n)}")
    print(f"triage exact        {pct(exact, n)}")
    print(f"urgent/emergency    {urgent - urgent_missed} of {urgent} safe")
    print(f"over-triage         {pct(over, n)}")
    print(f"heel-back link      {pct(link_ok, link_n)} of {link_n}")
    for line in notes:
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
