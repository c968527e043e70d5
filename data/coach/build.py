"""Rebuild ``units.jsonl`` and the counts in ``README.md`` from the sources in this folder.

    .venv/bin/python data/coach/build.py

Sources, each unit keeping its provenance:
- ``authored.py``: hand-written cores, wrapped in the ways reps write (speaker labels,
  bullets, forwarded-email quoting, shorthand, typos, non-native grammar) and turned into
  rep-belief negatives ("I think …");
- silver units from the labeled notes in ``../shared/eval/coach_dev.jsonl`` and
  ``tests/fixtures/coach/*.jsonl``: a unit holding the rules' evidence for a criterion or
  objection the gold label confirms (never ``floor_*.jsonl`` or the held-out objections);
- real text from ``../shared/data``: PostHog handbook discovery questions (the rep's
  questions: negatives), the Persuasion-for-Good dialogues (real human persuasion talk:
  negatives, minus the persuadee's refusals, which are ambiguous here) and earnings-call
  sentences without numbers or dates (real spoken business language: negatives), and
  market-news headlines and summaries without numbers (real business prose: negatives).
A MinHash (character 4-gram) near-duplicate check keeps one unit per cluster, so templated
variants do not inflate the counts; the file holds the kept units only. Deterministic.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

from datasketch import MinHash, MinHashLSH

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from authored import CORES, SPEAKERS  # noqa: E402

from dealscout.coach.evaluate import rules_answer, stage_of  # noqa: E402
from dealscout.coach.process import load_process  # noqa: E402
from dealscout.coach.semantic import split_units  # noqa: E402

SEED = 11
THRESHOLD = 0.7
_SHORTHAND = [
    (r"\bwith\b", "w/"), (r"\babout\b", "~"), (r"\bmanager\b", "mgr"), (r"\bbecause\b", "bc"),
    (r"\bquarter\b", "qtr"), (r"\bfollow[- ]up\b", "f/u"), (r"\band\b", "+"),
    (r"\bthousand\b", "k"), (r"\bsecurity\b", "sec"), (r"\bmeeting\b", "mtg"),
]
_NON_NATIVE = [
    (r"\bthe \b", ""), (r"\bsaid\b", "say"), (r"\bhas\b", "have"), (r"\bdoesn't\b", "don't"),
    (r"\bis not\b", "is no"), (r"\bwants\b", "want"),
]
_CUT = re.compile(r"\b(?:cut|froze|frozen|freeze|pulled|slashed|reallocated|rejected|denied)\b", re.I)
_HEDGES = ["I think ", "probably ", "my guess: ", "feels like ", "hopefully ", "I assume "]


def _unit(text: str, labels: list[str], style: str, source: str, prov: str) -> dict[str, object]:
    if "budget:contradicted" in labels and "obj:price" not in labels and _CUT.search(text):
        labels = [*labels, "obj:price"]  # CONTRACT §6: a budget cut or freeze is a price objection
    uid = hashlib.sha1(f"{source}|{text}".encode()).hexdigest()[:12]
    return {"id": uid, "text": text, "labels": labels, "style": style, "source": source,
            "provenance": prov}


def _first_person(core: str) -> bool:
    return bool(re.search(r"\b(?:I|I'm|I'd|I'll|we|we're|our|us|my|me)\b", core))


def _variants(core: str, rng: random.Random) -> list[tuple[str, str]]:
    who = rng.choice(SPEAKERS)
    out = [(core, "plain")]
    if _first_person(core):
        out += [
            (f"{who}: {core[0].upper()}{core[1:]}", "transcript"),
            (f"[00:{rng.randint(10, 59)}:{rng.randint(10, 59)}] {who}: {core}", "transcript"),
            (f'{who} said "{core}"', "summary"),
            (f"> {core}", "email"),
        ]
    else:
        out += [
            (f"- {core}", "crm"),
            (f"per {who}, {core}", "summary"),
            (f"• {core[0].upper()}{core[1:]}.", "crm"),
        ]
    out.append((_rewrite(core.lower(), _SHORTHAND), "shorthand"))
    out.append((_rewrite(core, _NON_NATIVE), "non-native"))
    out.append((_typo(core, rng), "typo"))
    return out


def _rewrite(text: str, rules: list[tuple[str, str]]) -> str:
    for pattern, repl in rules:
        text = re.sub(pattern, repl, text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def authored_units(rng: random.Random) -> list[dict[str, object]]:
    units = []
    prov = "hand-written for dealscout (data/coach/authored.py)"
    for label, cores in CORES.items():
        labels = [] if label == "NEGATIVE" else [label]
        for core in cores:
            for text, style in _variants(core, rng):
                units.append(_unit(text, labels, style, "authored", prov))
            if labels and not label.startswith("obj:"):
                hedge = rng.choice(_HEDGES)
                units.append(_unit(hedge + core[0].lower() + core[1:], [], "rep-belief",
                                   "authored", prov))
            elif labels:
                units.append(_unit(f"rep worry: they might say {core}", [], "rep-belief",
                                   "authored", prov))
    return units


def silver_units() -> list[dict[str, object]]:
    """Units holding the rules' evidence where the gold label agrees."""
    files = [SHARED / "eval" / "coach_dev.jsonl"]
    files += sorted((REPO / "tests" / "fixtures" / "coach").glob("*.jsonl"))
    process = load_process(None)
    units = []
    for path in files:
        for line in path.read_text("utf-8").splitlines():
            row = json.loads(line)
            answer = rules_answer(row["notes"], process, stage_of(process, row["stage"]))
            spans: list[tuple[str, str]] = []
            for cid, gold in row["criteria"].items():
                got = answer.results.get(cid)
                if got and gold != "missing" and got.status == gold and isinstance(got.evidence, str):
                    spans.append((got.evidence, f"{cid}:{gold}"))
            for o in answer.objections:
                if o.category in row.get("objections", []):
                    spans.append((o.evidence, f"obj:{o.category}"))
            notes = row["notes"]
            for u in split_units(notes):
                labels = sorted({lab for ev, lab in spans if _overlaps(notes, ev, u.start, u.end)})
                if labels:
                    units.append(_unit(u.text, labels, "note unit", "silver",
                                       f"{path.name}#{row['id']} (gold label + rules evidence)"))
    return units


def _overlaps(notes: str, evidence: str, start: int, end: int) -> bool:
    pos = notes.find(evidence)
    return pos >= 0 and pos < end and pos + len(evidence) > start


def real_units() -> list[dict[str, object]]:
    data = SHARED / "data"
    units = []
    posthog = data / "sales_conversations" / "posthog_handbook"
    questions = json.loads((posthog / "how-to-do-discovery.questions.json").read_text("utf-8"))
    for text in _strings(questions):
        if len(text.split()) >= 4 and not text.startswith("http"):
            units.append(_unit(text, [], "handbook question", "real:posthog-handbook",
                               "PostHog/posthog.com how-to-do-discovery.md @0d50cc6 (MIT)"))
    for line in (posthog / "asking-better-questions.bad_good_pairs.jsonl").read_text().splitlines():
        row = json.loads(line)
        for key in ("bad", "good"):
            if isinstance(row.get(key), str):
                units.append(_unit(row[key], [], "handbook question", "real:posthog-handbook",
                                   "PostHog/posthog.com Asking Better Questions.md @ee0a65f (MIT)"))
    p4g = data / "sales_conversations" / "persuasionforgood_annotated_30dialogs.jsonl"
    for line in p4g.read_text("utf-8").splitlines():
        dialog = json.loads(line)
        for utt in dialog["utterances"]:
            label = " ".join(str(utt.get(k) or "") for k in ("ee_label_1", "ee_label_2"))
            if re.search(r"negative|disagree|ask-org|ask-donation", label):
                continue
            units.append(_unit(utt["text"], [], f"dialogue {utt['role']}",
                               "real:persuasionforgood",
                               f"Wang et al. 2019, dialog {dialog['dialog_id']} (Apache-2.0)"))
    for path in sorted((data / "press" / "earnings_calls_text").glob("*.txt")):
        for line in path.read_text("utf-8").splitlines():
            if re.search(r"\d|quarter|year|month|budget|expect", line, re.I):
                continue
            units.append(_unit(line.strip(), [], "earnings call", "real:earnings-calls",
                               f"GeminiLn/EarningsCall_Dataset {path.name} (Qin & Yang 2019)"))
    news = data / "press" / "finnhub_market_news_category_general_2025-07.json"
    for item in json.loads(news.read_text("utf-8")):
        for text in (item.get("headline"), item.get("summary")):
            if isinstance(text, str) and not re.search(r"\d", text):
                units.append(_unit(text.strip(), [], "news headline", "real:market-news",
                                   "black-belt-badger/vertx-demo news_general.json @b78c82a (MIT)"))
    return [u for u in units if len(str(u["text"]).split()) >= 3]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in ("source", "note") for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def dedupe(units: list[dict[str, object]]) -> list[dict[str, object]]:
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=64)
    kept = []
    for u in units:
        text = re.sub(r"\s+", " ", str(u["text"]).lower())
        mh = MinHash(num_perm=64, seed=SEED)
        for i in range(max(len(text) - 3, 1)):
            mh.update(text[i : i + 4].encode())
        if lsh.query(mh):
            continue
        lsh.insert(str(u["id"]), mh)
        kept.append(u)
    return kept


def main() -> None:
    rng = random.Random(SEED)
    raw = silver_units() + authored_units(rng) + real_units()
    units = dedupe(raw)
    with (HERE / "units.jsonl").open("w", encoding="utf-8") as f:
        for u in units:
            f.write(json.dumps(u, ensure_ascii=False, sort_keys=True) + "\n")
    write_counts(raw, units)


def write_counts(raw: list[dict[str, object]], units: list[dict[str, object]]) -> None:
    by_source = Counter(str(u["source"]).split(":")[0] for u in units)
    labels = Counter(lab for u in units for lab in u["labels"])  # type: ignore[attr-defined]
    negatives = sum(1 for u in units if not u["labels"])
    real = sum(1 for u in units if str(u["source"]).startswith("real:"))
    lines = [
        f"- units before the near-duplicate check: {len(raw)}; kept: **{len(units)}**",
        f"- real text: {real} ({real / len(units):.0%}); authored: {by_source['authored']}; "
        f"silver (from labeled notes): {by_source['silver']}",
        f"- negatives (no label): {negatives}",
        "",
        "| label | units |",
        "|---|---|",
        *[f"| `{lab}` | {n} |" for lab, n in sorted(labels.items())],
    ]
    readme = HERE / "README.md"
    text = readme.read_text("utf-8")
    start, end = "<!-- counts -->", "<!-- /counts -->"
    head, rest = text.split(start, 1)
    tail = rest.split(end, 1)[1]
    readme.write_text(f"{head}{start}\n" + "\n".join(lines) + f"\n{end}{tail}", "utf-8")


if __name__ == "__main__":
    main()
