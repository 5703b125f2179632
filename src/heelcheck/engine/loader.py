"""Load the knowledge base from its YAML files and check every entry.

Each problem raises :class:`KnowledgeBaseError` naming the file, the entry and what is
wrong, so that a typo in a knowledge file reads like a compiler error.  ``check()``
collects every problem instead of stopping at the first one (``heelcheck kb check``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeGuard, TypeVar, cast

import numpy as np
import yaml

from .errors import KnowledgeBaseError
from .inference import outcome_matrix
from .locale import locales_in, read_catalogue, untranslated
from .model import (
    NONE_OPTION,
    OTHER,
    UNSURE_OPTION,
    AgeBand,
    Ages,
    Audience,
    BackLink,
    Certainty,
    Combine,
    Condition,
    Evidence,
    Finding,
    FindingValue,
    Hypotheses,
    KnowledgeBase,
    Option,
    PlanItem,
    Question,
    QuestionKind,
    Roles,
    Rule,
    Source,
    Statement,
    Texts,
    Triage,
)

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "knowledge"
FILES = (
    "findings.yaml",
    "outcomes.yaml",
    "sources.yaml",
    "conditions.yaml",
    "evidence.yaml",
    "combinations.yaml",
    "questions.yaml",
    "rules.yaml",
    "plan.yaml",
    "texts.yaml",
    "statements.yaml",
    "roles.yaml",
)
PLAN_TOPICS = (
    "footwear",
    "insoles",
    "stretches",
    "strength",
    "posture",
    "weight",
    "load",
    "foot_care",
    "rest",
    "pain_relief",
    "back",
)
QUESTION_KINDS: tuple[QuestionKind, ...] = ("yes_no", "single", "multi", "number")


def is_question_kind(kind: str) -> TypeGuard[QuestionKind]:
    return kind in QUESTION_KINDS


SETTINGS = (
    "tempering",
    "stop_confidence",
    "min_gain_per_second",
    "max_questions",
    "care_threshold",
    "model_doubt",
    "second_look",
)

T = TypeVar("T")


class _File:
    """One YAML file being read: every accessor names the entry on failure."""

    def __init__(self, directory: Path, name: str) -> None:
        self.name = name
        path = directory / name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise KnowledgeBaseError(name, "file", f"cannot be read ({exc.strerror})") from exc
        try:
            self.data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark is not None else "yaml"
            problem = getattr(exc, "problem", None) or str(exc)
            raise KnowledgeBaseError(name, where, f"is not valid YAML: {problem}") from exc
        if not isinstance(self.data, dict):
            raise KnowledgeBaseError(name, "file", "must be a mapping at the top level")

    def fail(self, entry: str, problem: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(self.name, entry, problem)

    def get(self, node: Any, key: str, kind: type[T], entry: str) -> T:
        if not isinstance(node, dict) or key not in node:
            raise self.fail(entry, f"missing '{key}'")
        value = node[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.fail(f"{entry}.{key}", f"must be {kind.__name__}, got {value!r}")
        if kind is str and not cast(str, value).strip():
            raise self.fail(f"{entry}.{key}", "must not be empty")
        return value

    def opt(self, node: dict[str, Any], key: str, kind: type[T], entry: str, default: T) -> T:
        return self.get(node, key, kind, entry) if key in node else default

    def unknown_keys(self, node: dict[str, Any], allowed: set[str], entry: str) -> None:
        extra = sorted(set(node) - allowed)
        if extra:
            raise self.fail(entry, f"unknown key(s) {', '.join(extra)} (typo?)")

    def ids(self, values: Any, known: Mapping[str, object], what: str, entry: str) -> tuple[str, ...]:
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise self.fail(entry, f"must be a list of {what} ids")
        for v in values:
            if v not in known:
                raise self.fail(entry, f"unknown {what} '{v}'{_suggest(v, known)}")
        return tuple(values)


def _suggest(name: str, known: Mapping[str, object]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def load(directory: Path | str | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base; raise on the first problem."""
    return _Builder(Path(directory) if directory else DEFAULT_DIR).build()


@functools.cache
def default_knowledge_base() -> KnowledgeBase:
    """The knowledge base shipped with the package, loaded once per process."""
    return load()


def check(directory: Path | str | None = None) -> list[str]:
    """Every problem found, as messages; an empty list means the base is sound."""
    try:
        kb = load(directory)
    except KnowledgeBaseError as exc:
        return [str(exc)]
    # Every language layer is complete: no text a person reads falls back to English.
    gaps = [gap for lang in kb.catalogues for gap in untranslated(kb, lang)]
    return [*_coherence_problems(kb), *gaps]


class _Builder:
    def __init__(self, directory: Path) -> None:
        self.dir = directory

    def build(self) -> KnowledgeBase:
        findings = self._findings(_File(self.dir, "findings.yaml"))
        outcomes = _File(self.dir, "outcomes.yaml")
        spec_conditions = outcomes.get(outcomes.data, "conditions", dict, "conditions")
        sources = self._sources(_File(self.dir, "sources.yaml"))
        conditions = self._conditions(_File(self.dir, "conditions.yaml"), spec_conditions, sources)
        cids = tuple(spec_conditions)
        ev_file = _File(self.dir, "evidence.yaml")
        evidence, bands, default_prior, settings = self._evidence(ev_file, cids, findings, sources)
        hypotheses = self._hypotheses(_File(self.dir, "combinations.yaml"), cids, sources)
        # A pair's column follows from its members' by the kind of finding (Combine).
        evidence = {
            fid: replace(ev, table=hypotheses.widen(ev.table, _combine(findings[fid])))
            for fid, ev in evidence.items()
        }
        bands = tuple(replace(b, joint=hypotheses.prior(b.prior)) for b in bands)
        questions = self._questions(_File(self.dir, "questions.yaml"), findings)
        confirm = self._confirm(ev_file, questions)
        rules = self._rules(_File(self.dir, "rules.yaml"), findings, sources)
        plan = self._plan(_File(self.dir, "plan.yaml"), conditions, findings, sources)
        texts_file = _File(self.dir, "texts.yaml")
        texts = self._texts(texts_file)
        statements = self._statements(_File(self.dir, "statements.yaml"), findings)
        version = texts_file.get(texts_file.data, "version", str, "version")
        roles = self._roles(_File(self.dir, "roles.yaml"), findings, questions, conditions)
        by_finding = {f: q.id for q in questions.values() for f in q.findings}
        n = len(hypotheses.members)
        matrices = {qid: outcome_matrix(q, evidence, n) for qid, q in questions.items()}
        return KnowledgeBase(
            version=version,
            condition_ids=cids,
            conditions=conditions,
            findings=findings,
            questions=questions,
            evidence=evidence,
            age_bands=bands,
            default_prior=default_prior,
            hypotheses=hypotheses,
            default_joint=hypotheses.prior(default_prior),
            rules=rules,
            plan=plan,
            sources=sources,
            texts=texts,
            settings=settings,
            question_of_finding=by_finding,
            confirm=confirm,
            outcomes=matrices,
            statements=statements,
            roles=roles,
            catalogues={lang: read_catalogue(self.dir, lang) for lang in locales_in(self.dir)[1:]},
        )

    # ------------------------------------------------------------------ vocabulary
    def _findings(self, f: _File) -> dict[str, Finding]:
        found: dict[str, Finding] = {}
        for group, entries in f.data.items():
            if not isinstance(entries, dict):
                raise f.fail(group, "must map finding ids to their definitions")
            for fid, spec in entries.items():
                entry = f"{group}.{fid}"
                ftype = f.get(spec, "type", str, entry)
                meaning = f.get(spec, "meaning", str, entry)
                if fid in found:
                    raise f.fail(entry, "is defined twice")
                if ftype == "bool":
                    found[fid] = Finding(fid, "bool", meaning, group=group)
                elif ftype == "number":
                    lo, hi = f.get(spec, "range", list, entry)
                    found[fid] = Finding(fid, "number", meaning, range=(float(lo), float(hi)))
                elif ftype == "enum":
                    values = tuple(str(v) for v in f.get(spec, "values", list, entry))
                    found[fid] = Finding(fid, "enum", meaning, values=values)
                else:
                    raise f.fail(entry, f"unknown type '{ftype}' (bool, number or enum)")
        return found

    def _sources(self, f: _File) -> dict[str, Source]:
        entries = f.get(f.data, "sources", dict, "sources")
        result = {}
        for sid, spec in entries.items():
            entry = f"sources.{sid}"
            result[sid] = Source(
                id=sid,
                cite=f.get(spec, "cite", str, entry),
                kind=f.get(spec, "kind", str, entry),
                url=spec.get("url") if isinstance(spec.get("url"), str) else None,
            )
        return result

    def _conditions(
        self, f: _File, spec: dict[str, Any], sources: Mapping[str, Source]
    ) -> dict[str, Condition]:
        entries = f.get(f.data, "conditions", dict, "conditions")
        missing = sorted(set(spec) - set(entries))
        if missing:
            raise f.fail("conditions", f"missing condition(s) {', '.join(missing)}")
        result = {}
        for cid, node in entries.items():
            entry = f"conditions.{cid}"
            if cid not in spec:
                raise f.fail(entry, f"is not a condition of the spec{_suggest(cid, spec)}")
            care = f.get(node, "care", str, entry)
            if care not in Triage.__members__:
                raise f.fail(f"{entry}.care", f"unknown care level '{care}'")
            result[cid] = Condition(
                id=cid,
                name=f.get(node, "name", str, entry),
                clinical_name=str(spec[cid].get("name", cid)),
                icd10=str(spec[cid].get("icd10", "")),
                care=Triage.parse(care),
                what=f.get(node, "what", str, entry),
                signs=f.get(node, "signs", str, entry),
                helps=f.get(node, "helps", str, entry),
                worry=f.get(node, "worry", str, entry),
                sources=f.ids(node.get("sources"), sources, "source", f"{entry}.sources"),
                no_plan=f.opt(node, "no_plan", str, entry, ""),
            )
        return {cid: result[cid] for cid in spec}

    # ------------------------------------------------------------------ evidence
    def _evidence(
        self,
        f: _File,
        cids: tuple[str, ...],
        findings: Mapping[str, Finding],
        sources: Mapping[str, Source],
    ) -> tuple[dict[str, Evidence], tuple[AgeBand, ...], np.ndarray, dict[str, float]]:
        columns = f.get(f.data, "columns", dict, "columns")
        if sorted(columns.values()) != sorted(cids):
            raise f.fail("columns", "must name each condition of outcomes.yaml exactly once")
        abbrev = {a: c for a, c in columns.items()}
        order = {c: i for i, c in enumerate(cids)}

        broad = next((a for a, c in abbrev.items() if c == OTHER), None)
        listed = [order[c] for c in cids if c != OTHER]

        def row(
            node: Any, entry: str, lo: float = 0.001, hi: float = 0.999, *, prior: bool = False
        ) -> np.ndarray:
            """One row of probabilities by condition.  `other` may be left out of an
            evidence row (not of a prior): it then gets the mean of the listed causes."""
            if not isinstance(node, dict):
                raise f.fail(entry, "must map each condition column to a probability")
            cells = {k: v for k, v in node.items() if k != "sources"}
            unknown = sorted(set(cells) - set(abbrev))
            if unknown:
                raise f.fail(entry, f"unknown column(s) {', '.join(unknown)}")
            absent = sorted(set(abbrev) - set(cells) - (set() if prior or broad is None else {broad}))
            if absent:
                raise f.fail(entry, f"missing column(s) {', '.join(absent)}")
            vec = np.zeros(len(cids))
            for a, value in cells.items():
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise f.fail(f"{entry}.{a}", f"must be a number, got {value!r}")
                if not lo <= value <= hi:
                    raise f.fail(f"{entry}.{a}", f"{value} is outside {lo}..{hi}")
                vec[order[abbrev[a]]] = float(value)
            if broad is not None and broad not in cells:
                vec[order[OTHER]] = float(vec[listed].mean())
            return vec

        def srcs(node: Any, entry: str) -> tuple[str, ...]:
            found = f.ids(
                node.get("sources") if isinstance(node, dict) else None, sources, "source", f"{entry}.sources"
            )
            if not found:
                raise f.fail(f"{entry}.sources", "must name at least one source or 'expert'")
            return found

        evidence: dict[str, Evidence] = {}
        for fid, node in f.get(f.data, "bool", dict, "bool").items():
            entry = f"bool.{fid}"
            self._expect(f, findings, fid, "bool", entry)
            evidence[fid] = Evidence(fid, row(node, entry)[None, :], srcs(node, entry))
        for fid, node in f.get(f.data, "enum", dict, "enum").items():
            entry = f"enum.{fid}"
            finding = self._expect(f, findings, fid, "enum", entry)
            if sorted(k for k in node if k != "sources") != sorted(finding.values):
                raise f.fail(entry, f"must give a row for each value {list(finding.values)}")
            table = np.array([row(node[v], f"{entry}.{v}") for v in finding.values])
            self._sums_to_one(f, table, entry)
            evidence[fid] = Evidence(fid, table / table.sum(axis=0), srcs(node, entry), labels=finding.values)
        for fid, node in f.get(f.data, "number", dict, "number").items():
            entry = f"number.{fid}"
            self._expect(f, findings, fid, "number", entry)
            edges = tuple(float(e) for e in f.get(node, "edges", list, entry))
            labels = tuple(str(x) for x in f.get(node, "labels", list, entry))
            if list(edges) != sorted(edges) or len(labels) != len(edges) + 1:
                raise f.fail(entry, "edges must increase and there must be one label per bin")
            cells = f.get(node, "p", dict, entry)
            optional = set() if broad is None else {broad}
            if not set(abbrev) - optional <= set(cells) <= set(abbrev):
                raise f.fail(f"{entry}.p", "must give one row per condition column")
            table = np.zeros((len(labels), len(cids)))
            for a, probs in cells.items():
                if not isinstance(probs, list) or len(probs) != len(labels):
                    raise f.fail(f"{entry}.p.{a}", f"must list {len(labels)} probabilities")
                table[:, order[abbrev[a]]] = [float(p) for p in probs]
            if broad is not None and broad not in cells:
                table[:, order[OTHER]] = table[:, listed].mean(axis=1)
            self._sums_to_one(f, table, entry)
            evidence[fid] = Evidence(
                fid, table / table.sum(axis=0), srcs(node, entry), labels=labels, edges=edges
            )

        bands: list[AgeBand] = []
        default_prior: np.ndarray | None = None
        for i, node in enumerate(f.get(f.data, "priors", list, "priors")):
            entry = f"priors[{i}]"
            vec = row(f.get(node, "p", dict, entry), f"{entry}.p", lo=0.0, hi=1000.0, prior=True)
            if vec.sum() <= 0:
                raise f.fail(entry, "needs at least one positive weight")
            vec = vec / vec.sum()
            ages = node.get("ages")
            if ages == "default":
                default_prior = vec
                continue
            if not (isinstance(ages, list) and len(ages) == 2 and ages[0] < ages[1]):
                raise f.fail(f"{entry}.ages", "must be [low, high) or 'default'")
            if bands and bands[-1].high != ages[0]:
                raise f.fail(f"{entry}.ages", "bands must follow each other without gaps")
            bands.append(AgeBand(float(ages[0]), float(ages[1]), vec, srcs(node, entry)))
        if default_prior is None:
            raise f.fail("priors", "needs one band with ages: default")

        node = f.get(f.data, "settings", dict, "settings")
        f.unknown_keys(node, set(SETTINGS), "settings")
        settings = {k: f.get(node, k, float, "settings") for k in SETTINGS}
        return evidence, tuple(bands), default_prior, settings

    def _hypotheses(self, f: _File, cids: tuple[str, ...], sources: Mapping[str, Source]) -> Hypotheses:
        index = {c: i for i, c in enumerate(cids)}
        members: list[tuple[int, ...]] = [(i,) for i in range(len(cids))]
        shares = [1.0] * len(cids)
        cited: list[tuple[str, ...]] = [()] * len(cids)
        for k, node in enumerate(f.get(f.data, "pairs", list, "pairs")):
            entry = f"pairs[{k}]"
            f.unknown_keys(node, {"conditions", "share", "sources"}, entry)
            pair = f.ids(node.get("conditions"), index, "condition", f"{entry}.conditions")
            if len(pair) != 2 or pair[0] == pair[1] or OTHER in pair:
                raise f.fail(f"{entry}.conditions", f"must name two different conditions, not '{OTHER}'")
            key = tuple(sorted(index[c] for c in pair))
            if key in members:
                raise f.fail(f"{entry}.conditions", "this pair is listed twice")
            share = f.get(node, "share", float, entry)
            if not 0.0 < share <= 1.0:
                raise f.fail(f"{entry}.share", f"{share} is outside 0..1")
            found = f.ids(node.get("sources"), sources, "source", f"{entry}.sources")
            if not found:
                raise f.fail(f"{entry}.sources", "must name at least one source or 'expert'")
            members.append(key)
            shares.append(share)
            cited.append(found)
        return Hypotheses(tuple(members), np.array(shares), tuple(cited))

    def _confirm(self, f: _File, questions: Mapping[str, Question]) -> dict[str, tuple[str, ...]]:
        node = f.get(f.data, "confirm", dict, "confirm")
        columns = f.get(f.data, "columns", dict, "columns")
        result: dict[str, tuple[str, ...]] = {}
        for key, qids in node.items():
            cid = str(columns.get(key, key))
            if cid not in columns.values():
                raise f.fail(f"confirm.{key}", "is not a condition column")
            result[cid] = f.ids(qids, questions, "question", f"confirm.{key}")
        return result

    @staticmethod
    def _expect(f: _File, findings: Mapping[str, Finding], fid: str, ftype: str, entry: str) -> Finding:
        finding = findings.get(fid)
        if finding is None:
            raise f.fail(entry, f"unknown finding '{fid}'{_suggest(fid, findings)}")
        if finding.type != ftype:
            raise f.fail(entry, f"'{fid}' is a {finding.type} finding, not {ftype}")
        return finding

    @staticmethod
    def _sums_to_one(f: _File, table: np.ndarray, entry: str) -> None:
        sums = table.sum(axis=0)
        if np.any(np.abs(sums - 1.0) > 0.02):
            raise f.fail(entry, f"each condition's probabilities must sum to 1, got {sums.round(3)}")

    # ------------------------------------------------------------------ questions
    def _questions(self, f: _File, findings: Mapping[str, Finding]) -> dict[str, Question]:
        result: dict[str, Question] = {}
        owner: dict[str, str] = {}
        allowed = {
            "id",
            "kind",
            "text",
            "why",
            "options",
            "finding",
            "unit",
            "min",
            "max",
            "unsure",
            "required",
            "ask_if",
            "hint",
            "closing",
            "text_child",
            "text_other",
            "required_ages",
            "ages",
            "skip_if",
        }
        for i, node in enumerate(f.get(f.data, "questions", list, "questions")):
            qid = f.get(node, "id", str, f"questions[{i}]")
            entry = f"questions.{qid}"
            f.unknown_keys(node, allowed, entry)
            if qid in result:
                raise f.fail(entry, "id is used twice")
            kind = f.get(node, "kind", str, entry)
            if not is_question_kind(kind):
                raise f.fail(f"{entry}.kind", f"unknown kind '{kind}' ({', '.join(QUESTION_KINDS)})")
            question = self._question(f, node, kind, qid, entry, findings)
            for fid in question.findings:
                if fid in owner:
                    raise f.fail(entry, f"finding '{fid}' is already set by question '{owner[fid]}'")
                owner[fid] = qid
            result[qid] = question
        for q in result.values():
            conditions = {"ask_if": q.ask_if, "skip_if": q.skip_if, "required": q.required_when or {}}
            for key, mapping in conditions.items():
                for fid in mapping:
                    if fid not in owner:
                        raise f.fail(f"questions.{q.id}.{key}", f"no question sets '{fid}'")
        return result

    def _question(
        self,
        f: _File,
        node: dict[str, Any],
        kind: QuestionKind,
        qid: str,
        entry: str,
        findings: Mapping[str, Finding],
    ) -> Question:
        unsure = f.opt(node, "unsure", bool, entry, False)
        text = f.get(node, "text", str, entry)
        texts = {
            Audience.self: text,
            Audience.child: f.get(node, "text_child", str, entry),
            Audience.other: f.get(node, "text_other", str, entry),
        }
        required = node.get("required", False)
        if not isinstance(required, bool | dict):
            raise f.fail(f"{entry}.required", "must be true, false or a mapping of findings to values")
        common: dict[str, Any] = dict(
            id=qid,
            kind=kind,
            text=text,
            texts=texts,
            why=f.get(node, "why", str, entry),
            required=required is True,
            required_when=(
                self._assignments(f, required, findings, f"{entry}.required")
                if isinstance(required, dict)
                else None
            ),
            required_ages=_ages(f, node, "required_ages", entry),
            ages=_ages(f, node, "ages", entry),
            ask_if=self._assignments(f, node.get("ask_if", {}), findings, f"{entry}.ask_if"),
            skip_if=self._assignments(f, node.get("skip_if", {}), findings, f"{entry}.skip_if"),
            hint=f.opt(node, "hint", str, entry, ""),
            allow_unsure=unsure,
            closing=self._closing(f, node, findings, entry),
        )
        if kind == "number":
            fid = f.get(node, "finding", str, entry)
            finding = self._expect(f, findings, fid, "number", f"{entry}.finding")
            lo, hi = f.get(node, "min", float, entry), f.get(node, "max", float, entry)
            assert finding.range is not None
            if not finding.range[0] <= lo < hi <= finding.range[1]:
                raise f.fail(entry, f"min..max must lie within the finding's range {finding.range}")
            return Question(
                **common, finding=fid, unit=f.get(node, "unit", str, entry), minimum=lo, maximum=hi
            )
        if kind == "yes_no":
            fid = f.get(node, "finding", str, entry)
            self._expect(f, findings, fid, "bool", f"{entry}.finding")
            options = [Option("yes", "Yes", {fid: True}), Option("no", "No", {fid: False})]
            if unsure:
                options.append(Option("unsure", "Not sure", {}))
            return Question(**common, options=tuple(options))
        raw = f.get(node, "options", list, entry)
        options = []
        for j, opt in enumerate(raw):
            oentry = f"{entry}.options[{j}]"
            oid = f.get(opt, "id", str, oentry)
            label = f.get(opt, "label", str, oentry)
            if kind == "multi":
                f.unknown_keys(opt, {"id", "label", "finding", "ages"}, oentry)
                if oid in (NONE_OPTION, UNSURE_OPTION):
                    raise f.fail(oentry, f"'{oid}' is added by the loader; do not declare it")
                fid = f.get(opt, "finding", str, oentry)
                self._expect(f, findings, fid, "bool", f"{oentry}.finding")
                sets: dict[str, FindingValue] = {fid: True}
                options.append(Option(oid, label, sets, ages=_ages(f, opt, "ages", oentry)))
            else:
                f.unknown_keys(opt, {"id", "label", "sets"}, oentry)
                sets = self._assignments(f, opt.get("sets"), findings, f"{oentry}.sets")
                options.append(Option(oid, label, sets))
        if kind == "multi":
            # Explicit answers: "none of these" is a box of its own (every finding false,
            # ticked alone) and "not sure" another (the unticked boxes are not known), so
            # that neither is ever read from an empty answer.
            everything: dict[str, FindingValue] = {fid: False for o in options for fid in o.sets}
            options.append(Option(NONE_OPTION, "None of these", everything, exclusive=True))
            if unsure:
                options.append(Option(UNSURE_OPTION, "Not sure", {}))
        if len({o.id for o in options}) != len(options):
            raise f.fail(entry, "option ids must be unique")
        if kind == "single":
            definite = [o for o in options if not o.is_unsure]
            if len(definite) < 2:
                raise f.fail(entry, "a single-choice question needs at least two definite options")
            common["allow_unsure"] = len(definite) < len(options)
        return Question(**common, options=tuple(options))

    def _closing(
        self, f: _File, node: dict[str, Any], findings: Mapping[str, Finding], entry: str
    ) -> dict[str, FindingValue] | None:
        value = node.get("closing")
        if value is None or value is False:
            return None
        if value is True:
            return {}
        return self._assignments(f, value, findings, f"{entry}.closing")

    def _assignments(
        self, f: _File, node: Any, findings: Mapping[str, Finding], entry: str
    ) -> dict[str, FindingValue]:
        if not isinstance(node, dict):
            raise f.fail(entry, "must map finding ids to values")
        result: dict[str, FindingValue] = {}
        for fid, value in node.items():
            finding = findings.get(fid)
            if finding is None:
                raise f.fail(entry, f"unknown finding '{fid}'{_suggest(fid, findings)}")
            ok = (finding.type == "bool" and isinstance(value, bool)) or (
                finding.type == "enum" and value in finding.values
            )
            if not ok:
                raise f.fail(f"{entry}.{fid}", f"{value!r} is not a valid {finding.type} value")
            result[fid] = value
        return result

    # ------------------------------------------------------------------ rules, plan, texts
    def _rules(
        self, f: _File, findings: Mapping[str, Finding], sources: Mapping[str, Source]
    ) -> tuple[Rule, ...]:
        rules = []
        seen: set[str] = set()
        for i, node in enumerate(f.get(f.data, "rules", list, "rules")):
            rid = f.get(node, "id", str, f"rules[{i}]")
            entry = f"rules.{rid}"
            f.unknown_keys(
                node,
                {"id", "level", "stop", "all", "unsure_counts", "title", "action", "sources"}
                | {"ages", "unless"},
                entry,
            )
            if rid in seen:
                raise f.fail(entry, "id is used twice")
            seen.add(rid)
            level = f.get(node, "level", str, entry)
            if level not in Triage.__members__ or level == "self_care":
                raise f.fail(f"{entry}.level", f"must be emergency, urgent or soon, not '{level}'")
            clauses = f.get(node, "all", list, entry)
            if not clauses and node.get("ages") is None:
                raise f.fail(f"{entry}.all", "needs at least one clause (or `ages`, for a rule of age alone)")
            parsed = []
            for k, clause in enumerate(clauses):
                ids = f.ids(clause, findings, "finding", f"{entry}.all[{k}]")
                for fid in ids:
                    self._expect(f, findings, fid, "bool", f"{entry}.all[{k}]")
                parsed.append(ids)
            unsure = f.ids(node.get("unsure_counts", []), findings, "finding", f"{entry}.unsure_counts")
            unless = f.ids(node.get("unless", []), findings, "finding", f"{entry}.unless")
            for fid in unless:
                self._expect(f, findings, fid, "bool", f"{entry}.unless")
            rules.append(
                Rule(
                    id=rid,
                    level=Triage.parse(level),
                    clauses=tuple(parsed),
                    unsure_counts=frozenset(unsure),
                    stop=f.opt(node, "stop", bool, entry, False),
                    title=f.get(node, "title", str, entry),
                    action=f.get(node, "action", str, entry),
                    sources=f.ids(node.get("sources"), sources, "source", f"{entry}.sources"),
                    ages=_ages(f, node, "ages", entry),
                    unless=unless,
                )
            )
        return tuple(rules)

    def _plan(
        self,
        f: _File,
        conditions: Mapping[str, Condition],
        findings: Mapping[str, Finding],
        sources: Mapping[str, Source],
    ) -> tuple[PlanItem, ...]:
        items = []
        seen: set[str] = set()
        for i, node in enumerate(f.get(f.data, "plan", list, "plan")):
            pid = f.get(node, "id", str, f"plan[{i}]")
            entry = f"plan.{pid}"
            f.unknown_keys(
                node,
                {
                    "id",
                    "topic",
                    "title",
                    "how",
                    "suits",
                    "when_any",
                    "avoid_with",
                    "illustration",
                    "sources",
                    "not_with",
                    "not_with_rules",
                    "ages",
                    "sexes",
                },
                entry,
            )
            if pid in seen:
                raise f.fail(entry, "id is used twice")
            seen.add(pid)
            topic = f.get(node, "topic", str, entry)
            if topic not in PLAN_TOPICS:
                raise f.fail(f"{entry}.topic", f"unknown topic '{topic}' ({', '.join(PLAN_TOPICS)})")
            when_any = f.ids(node.get("when_any", []), findings, "finding", f"{entry}.when_any")
            items.append(
                PlanItem(
                    id=pid,
                    topic=topic,
                    title=f.get(node, "title", str, entry),
                    how=f.get(node, "how", str, entry),
                    suits=f.ids(node.get("suits"), conditions, "condition", f"{entry}.suits"),
                    when_any=when_any,
                    avoid_with=f.ids(
                        node.get("avoid_with", []), conditions, "condition", f"{entry}.avoid_with"
                    ),
                    illustration=f.opt(node, "illustration", str, entry, "") or None,
                    sources=f.ids(node.get("sources"), sources, "source", f"{entry}.sources"),
                    not_with=f.ids(node.get("not_with", []), findings, "finding", f"{entry}.not_with"),
                    not_with_rules=tuple(_strings(f, node, "not_with_rules", entry)),
                    ages=_ages(f, node, "ages", entry),
                    sexes=tuple(_strings(f, node, "sexes", entry)),
                )
            )
        return tuple(items)

    def _statements(self, f: _File, findings: Mapping[str, Finding]) -> dict[str, Statement]:
        result: dict[str, Statement] = {}
        for fid, node in f.get(f.data, "statements", dict, "statements").items():
            entry = f"statements.{fid}"
            finding = self._expect(f, findings, fid, findings[fid].type if fid in findings else "bool", entry)
            if finding.type == "bool":
                f.unknown_keys(node, {"yes", "no"}, entry)
                result[fid] = Statement(yes=f.get(node, "yes", str, entry), no=f.get(node, "no", str, entry))
            elif finding.type == "number":
                f.unknown_keys(node, {"number", "one"}, entry)
                template = f.get(node, "number", str, entry)
                if "{value}" not in template:
                    raise f.fail(f"{entry}.number", "must contain {value}")
                result[fid] = Statement(number=template, one=f.opt(node, "one", str, entry, ""))
            else:
                raise f.fail(entry, f"'{fid}' is an enum finding: its reasons are not stated")
        return result

    def _roles(
        self,
        f: _File,
        findings: Mapping[str, Finding],
        questions: Mapping[str, Question],
        conditions: Mapping[str, Condition],
    ) -> Roles:
        node = f.get(f.data, "roles", dict, "roles")
        f.unknown_keys(f.data, {"roles"}, "file")
        f.unknown_keys(node, ROLE_KEYS, "roles")

        def finding(role: str) -> str:
            fid = f.get(node, role, str, "roles")
            self._expect(f, findings, fid, ROLE_FINDINGS[role], f"roles.{role}")
            return fid

        def listed(role: str, known: Mapping[str, object], what: str) -> tuple[str, ...]:
            if role not in node:
                raise f.fail("roles", f"missing '{role}'")
            ids = f.ids(node[role], known, what, f"roles.{role}")
            if not ids:
                raise f.fail(f"roles.{role}", f"must name at least one {what}")
            return ids

        nerve_root = listed("nerve_root_signs", findings, "finding")
        for fid in nerve_root:
            self._expect(f, findings, fid, "bool", "roles.nerve_root_signs")
        foot_map = f.get(node, "foot_map", str, "roles")
        if foot_map not in questions:
            raise f.fail("roles.foot_map", f"unknown question '{foot_map}'{_suggest(foot_map, questions)}")
        if questions[foot_map].kind != "multi":
            raise f.fail("roles.foot_map", f"'{foot_map}' must be a tick-list (multi) question")
        respondent = finding("respondent")
        audiences = sorted(a.value for a in Audience)
        if sorted(findings[respondent].values) != audiences:
            raise f.fail("roles.respondent", f"'{respondent}' must have exactly the values {audiences}")
        return Roles(
            age=finding("age"),
            sex=finding("sex"),
            respondent=respondent,
            pregnancy=finding("pregnancy"),
            foot_map=foot_map,
            back_pain=finding("back_pain"),
            back_pain_came_first=finding("back_pain_came_first"),
            heel_pain_came_first=finding("heel_pain_came_first"),
            nerve_root_signs=nerve_root,
            from_the_spine=listed("from_the_spine", conditions, "condition"),
            shared_cause=listed("shared_cause", conditions, "condition"),
        )

    def _texts(self, f: _File) -> Texts:
        triage = f.get(f.data, "triage", dict, "triage")
        for level in Triage.__members__:
            node = f.get(triage, level, dict, "triage")
            f.get(node, "title", str, f"triage.{level}")
            f.get(node, "action", str, f"triage.{level}")
        links = f.get(f.data, "back_link", dict, "back_link")
        for link in BackLink:
            f.get(links, link.value, str, "back_link")
        words = f.get(f.data, "certainty", dict, "certainty")
        for sure in Certainty:
            f.get(words, sure.value, str, "certainty")
        return Texts(
            triage=triage,
            back_link={link: links[link.value] for link in BackLink},
            disclaimer=f.get(f.data, "disclaimer", str, "disclaimer"),
            back_link_also=f.get(f.data, "back_link_also", str, "back_link_also"),
            certainty={sure: words[sure.value] for sure in Certainty},
            no_fit=f.get(f.data, "no_fit", str, "no_fit"),
            also_present=f.get(f.data, "also_present", str, "also_present"),
        )


# The roles of roles.yaml that name one finding, with the type it must have.
ROLE_FINDINGS: Mapping[str, str] = {
    "age": "number",
    "sex": "enum",
    "respondent": "enum",
    "pregnancy": "bool",
    "back_pain": "bool",
    "back_pain_came_first": "bool",
    "heel_pain_came_first": "bool",
}
ROLE_FINDING_LISTS = ("nerve_root_signs",)
ROLE_CONDITIONS = ("from_the_spine", "shared_cause")
ROLE_KEYS = {*ROLE_FINDINGS, *ROLE_FINDING_LISTS, *ROLE_CONDITIONS, "foot_map"}

# Groups of findings.yaml whose findings are facts about the person, not signs of a cause.
ABOUT_THE_PERSON = ("demographics", "history", "lifestyle")


def _combine(finding: Finding) -> Combine:
    if finding.type != "bool":
        return Combine.mean
    return Combine.likelier if finding.group in ABOUT_THE_PERSON else Combine.either


def _ages(f: _File, node: dict[str, Any], key: str, entry: str) -> Ages | None:
    value = node.get(key)
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or not value[0] < value[1]
    ):
        raise f.fail(f"{entry}.{key}", "must be [low, high) in years, low below high")
    return (float(value[0]), float(value[1]))


def _strings(f: _File, node: dict[str, Any], key: str, entry: str) -> list[str]:
    value = node.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise f.fail(f"{entry}.{key}", "must be a list of ids")
    return value


def _coherence_problems(kb: KnowledgeBase) -> Iterator[str]:
    """Cross-file checks that loading alone does not make: every question can teach
    something or feeds a rule, the plan or the back link, and every finding that a
    question sets and that no rule uses carries evidence."""
    used_by_rules = {fid for r in kb.rules for fid in r.findings}
    used_by_plan = {fid for item in kb.plan for fid in (*item.when_any, *item.not_with)}
    structural = kb.roles.structural
    for q in kb.questions.values():
        for fid in q.findings:
            if fid not in kb.evidence and fid not in used_by_rules | used_by_plan | structural:
                yield f"questions.yaml: questions.{q.id}: finding '{fid}' has no evidence and no use"
    roles = kb.roles
    for role, fid in (
        *((r, getattr(roles, r)) for r in ROLE_FINDINGS),
        *(("nerve_root_signs", fid) for fid in roles.nerve_root_signs),
    ):
        if fid not in kb.question_of_finding:
            yield f"roles.yaml: roles.{role}: no question asks about '{fid}'"
    for rule in kb.rules:
        for fid in rule.findings:
            if fid not in kb.question_of_finding:
                yield f"rules.yaml: rules.{rule.id}: no question asks about '{fid}'"
    rule_ids = {r.id for r in kb.rules}
    for item in kb.plan:
        for rid in item.not_with_rules:
            if rid not in rule_ids:
                yield f"plan.yaml: plan.{item.id}: unknown rule '{rid}' in not_with_rules"
        for fid in item.when_any:
            if fid not in kb.question_of_finding:
                yield f"plan.yaml: plan.{item.id}: no question asks about '{fid}'"
    yield from _condition_problems(kb)
    for cid in kb.condition_ids:
        suited = any(cid in item.suits for item in kb.plan)
        if not suited and not kb.conditions[cid].no_plan:
            yield f"plan.yaml: no self-care item suits '{cid}' (or say why in its no_plan)"
        if suited and kb.conditions[cid].no_plan:
            yield f"plan.yaml: '{cid}' has plan items and a no_plan reason: choose one"


def distinguishing_findings(kb: KnowledgeBase, cid: str) -> tuple[str, ...]:
    """Yes/no findings that point to this condition: reported by at least 40 in 100 people
    with it, and at least three times as often as by the median other condition."""
    i = kb.condition_ids.index(cid)
    n = len(kb.condition_ids)
    found = []
    for fid, ev in kb.evidence.items():
        if ev.labels:
            continue
        row = ev.table[0, :n]
        others = np.delete(row, i)
        if row[i] >= 0.40 and row[i] >= 3.0 * float(np.median(others)):
            found.append(fid)
    return tuple(found)


def _condition_problems(kb: KnowledgeBase) -> Iterator[str]:
    """Every condition has what a result needs to name it: some prior weight, findings
    that point to it, and a question that asks one of them.  (Its texts, care level and
    a row in every evidence table are required by the loader itself; its plan below.)"""
    for i, cid in enumerate(kb.condition_ids):
        if cid == OTHER:
            continue  # fits when nothing else does: no finding of its own
        if all(band.prior[i] == 0.0 for band in kb.age_bands):
            yield f"evidence.yaml: priors: '{cid}' has no weight in any age band"
        pointing = distinguishing_findings(kb, cid)
        if not pointing:
            yield f"evidence.yaml: no finding points to '{cid}' (none is 3 times likelier with it)"
        elif not any(fid in kb.question_of_finding for fid in pointing):
            yield f"questions.yaml: no question asks a finding that points to '{cid}' ({', '.join(pointing)})"
