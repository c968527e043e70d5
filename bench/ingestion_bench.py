"""Ingestion end to end: synthetic RSS feeds on loopback HTTP → SQL (SQLite) + vectors (Chroma).

200 feeds × 50 entries (``quick``: 20 × 20) about ~200 fictional companies, with a share of
syndicated near-copies and re-posted links across feeds, are served by
``tests.support.httpserver.LoopbackServer``. Every feed is a source of one workspace whose
accounts are those companies, and runs the production path
``ingest_flow.fetch_and_follow_up`` (fetch → parse → dedupe → classify → match → store →
embed → queue refresh), committed per source, on the embedded store in a temp home.

Stage times come from timing wrappers put around the production functions for the run
(nothing in ``dealscout`` is changed); a nested stage's time is not counted in its caller:

* fetch — ``SafeFetcher.get`` (HTTP incl. robots.txt)
* parse — ``parse_document`` minus extract (sniffing, XML guard, feedparser)
* extract — per entry: markup → plain text, lead, canonical URL (``parse._item``); for
  pages ``extract.extract_article`` (trafilatura)
* dedupe — content hash, exact-duplicate query, MinHash, LSH lookup + confirm, refresh
* classify — rule classifier + facts + injection check
* match — loading account refs + ``match_accounts``
* embed — loading the new signals, MiniLM embedding of the retrieval text, Chroma upsert
* queue refresh — ``after_ingest`` (queue terms of the touched accounts)
* store — ORM flushes (also autoflush inside other stages' queries) and the rest: savepoint,
  commit, source bookkeeping, a fetcher per source

"entries/s" of a stage is all entries divided by the time spent in that stage, so the
stage rates combine harmonically into the end-to-end rate. Full-article pages (the HTML
fixtures of ``tests/fixtures/articles``) run separately, one workspace per round so each
copy is new rather than a duplicate.
"""

from __future__ import annotations

import functools
import os
import random
import resource
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealscout.accounts import service as accounts_service
from dealscout.accounts.bootstrap import ensure_workspace_admin
from dealscout.accounts.models import User
from dealscout.accounts.schemas import AccountCreate
from dealscout.core.config import Settings, get_settings
from dealscout.core.embeddings import Embedder, get_embedder
from dealscout.flows import ingest as ingest_flow
from dealscout.ingestion import dedupe, extract, parse, pipeline, service, vectors
from dealscout.ingestion.fetch import SafeFetcher
from dealscout.ingestion.models import Signal, SignalAccount
from tests.support.factories import open_session
from tests.support.httpserver import LoopbackServer

ARTICLES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "articles"
ARTICLE_FILES = ("cnn/source.html", "nytimes-2/source.html",
                 "benchmark/4648a420af9984d4.html", "benchmark/5ae11e580afc12d3.html")  # fmt: skip
STAGES = ("fetch", "parse", "extract", "dedupe", "classify", "match", "store", "embed",
          "queue refresh")  # fmt: skip
SYNDICATED_SHARE = 0.15  # near-copies of a story from another wire
REPOSTED_SHARE = 0.03  # the same link again (tracking parameters added): exact duplicates
OUTSIDE_SHARE = 0.10  # stories about companies that are no account

# --------------------------------------------------------------------------- synthetic news

_STEMS_A = ["Brenn", "Fenn", "Kast", "Lumm", "Marv", "Norr", "Orv", "Pell", "Quill", "Ross",
            "Selk", "Tarv", "Vell", "Wex", "Yarr", "Zann", "Abb", "Cald", "Dunm", "Elst", "Garr",
            "Hald", "Ist", "Jorv", "Kell", "Lind", "Mosk", "Nyb", "Ostr", "Pryd"]  # fmt: skip
_STEMS_B = ["wald", "ick", "ora", "exa", "ion", "ara", "tek", "ium", "ova", "ant", "berg", "dal"]
_KINDS = ["Systems", "Labs", "Logistics", "Health", "Robotics", "Analytics", "Foods", "Energy",
          "Software", "Materials", "Biotech", "Freight", "Payments", "Networks",
          "Mobility"]  # fmt: skip
_FIRST = ["Mira", "Jonas", "Aiko", "Tomasz", "Leila", "Pedro", "Sanne", "Ravi", "Greta", "Omar",
          "Ines", "Viktor", "Hana", "Lucas", "Amara", "Felix", "Noor", "Elena", "Kofi",
          "Ida"]  # fmt: skip
_LAST = ["Olsen", "Brandt", "Moreau", "Kowalski", "Haddad", "Silva", "de Vries", "Iyer",
         "Lindqvist", "Farouk", "Castillo", "Novak", "Sato", "Weber", "Okafor", "Richter",
         "Bianchi", "Nakamura", "Mensah", "Holm"]  # fmt: skip
_CITIES = ["Munich", "Lisbon", "Chicago", "Rotterdam", "Austin", "Warsaw", "Dublin", "Toronto",
           "Singapore", "Lyon", "Gothenburg", "Denver", "Madrid", "Leeds", "Bangalore", "Porto",
           "Krakow", "Atlanta", "Zurich", "Tallinn"]  # fmt: skip
_REGIONS = ["Europe", "North America", "the Nordics", "Southeast Asia", "Latin America",
            "the DACH region", "the Middle East", "the UK and Ireland"]  # fmt: skip
_INVESTORS = ["Castor Ventures", "Northgate Capital", "Blue Alder Partners", "Keystone Growth",
              "Meridian Fund", "Harbor Street Ventures", "Solace Capital",
              "Ironbark Partners"]  # fmt: skip
_PRODUCT_DESC = ["warehouse scheduling software", "battery management systems", "fraud detection "
                 "tools for banks", "cold-chain sensors", "clinical trial software", "fleet "
                 "routing software", "industrial coatings", "payroll software for retailers",
                 "grid-scale storage controllers", "lab automation robots"]  # fmt: skip
_PRODUCTS = ["Atlas", "Beacon", "Cobalt", "Drift", "Ember", "Fjord", "Granite", "Helix", "Ion",
             "Juniper", "Kestrel", "Lumen"]  # fmt: skip
_TOPICS = ["supply chain visibility", "payments in emerging markets", "AI-assisted forecasting",
           "carbon accounting", "hospital logistics", "last-mile delivery", "data residency",
           "predictive maintenance"]  # fmt: skip
_FUNCS = ["finance", "sales", "engineering", "operations", "customer support", "marketing"]
_ROLE_TITLES = ["chief financial officer", "chief operating officer", "chief technology officer",
                "head of sales", "chief revenue officer", "general counsel"]  # fmt: skip
_ROLES = ["software engineers", "account executives", "data scientists", "warehouse staff",
          "customer success managers", "accountants"]  # fmt: skip
_WIRES = ["Business Wire Daily", "Tech Ledger", "Market Pulse", "Industry Dispatch", "Deal Desk",
          "Regional Herald", "Capital Times", "Startup Gazette"]  # fmt: skip
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September"]

_STORIES: dict[str, tuple[list[str], list[str], list[str]]] = {
    # type: (titles, first sentences, type-specific follow-up sentences)
    "funding": (
        [
            "{co} raises {amount} Series {round} led by {investor}",
            "{co} closes {amount} funding round to expand in {city}",
            "{investor} backs {co} in {amount} round",
        ],
        [
            "{co}, the maker of {product_desc}, has raised {amount} in a Series {round} round led "
            "by {investor}, with participation from {investor2}."
        ],
        [
            "The company plans to use the money to hire {n} engineers in {city} and grow its sales "
            "team across {region}.",
            "Chief executive {person} said the round values the business at about {amount2}.",
            "{short} has now raised {amount2} in total since it was founded in {year}.",
        ],
    ),
    "executive_hire": (
        ["{co} appoints {person} as {role_title}", "{co} names {person} {role_title}"],
        [
            "{co} has appointed {person}, previously {role_title2} at {co2}, as its new "
            "{role_title}, effective {month} {day}."
        ],
        [
            "{person} will report to chief executive {person2} and be based in {city}.",
            "The appointment follows the departure of {person3} in {month2}.",
        ],
    ),
    "executive_departure": (
        ["{co} {role_title} {person} to step down", "{person} leaves {co} after {n2} years"],
        [
            "{person}, who has been {short}'s {role_title} since {year}, will leave the company at "
            "the end of {month}, {co} said in a filing on {weekday}."
        ],
        [
            "The board is searching for a successor and {person2} will serve in the interim.",
            "{person} did not give a reason for the departure.",
        ],
    ),
    "layoffs": (
        ["{co} to cut {n} jobs in restructuring", "{co} lays off {pct} percent of staff"],
        [
            "{co} will cut about {n} jobs, or {pct} percent of its workforce, as it "
            "reorganises its {func} operations, the company told staff on {weekday}."
        ],
        [
            "The cuts mostly affect its offices in {city} and {city2}.",
            "{short} expects restructuring charges of about {amount2} in the {quarter}.",
        ],
    ),
    "acquisition": (
        ["{co} acquires {target} for {amount}", "{co} to buy {city} startup {target}"],
        [
            "{co} has agreed to acquire {target}, a {city}-based developer of {product_desc}, for "
            "{amount} in cash and stock."
        ],
        [
            "The deal is expected to close in the {quarter}, subject to regulatory approval.",
            "{target}'s {n} employees will join {short}'s {func} division.",
        ],
    ),
    "partnership": (
        ["{co} and {co2} sign partnership on {topic}", "{co} teams up with {co2} on {topic}"],
        [
            "{co} and {co2} announced a multi-year partnership on {topic}, under which {co2} will "
            "integrate {short}'s {product} platform into its own offering."
        ],
        [
            "The companies will first roll out the joint service to customers in {region}.",
            "Financial terms of the agreement were not disclosed.",
        ],
    ),
    "product_launch": (
        ["{co} launches {product} for {func} teams", "{co} unveils {product}, its new platform"],
        [
            "{co} on {weekday} launched {product}, a new line of {product_desc} aimed at {func} "
            "teams, available first in {region}."
        ],
        [
            "{product} has been in beta with {n} customers since {month}.",
            "Pricing starts at {price} per user per month.",
        ],
    ),
    "expansion": (
        ["{co} opens new office in {city}", "{co} expands into {region} with {city} hub"],
        [
            "{co} opened a new {func} hub in {city} with {n} staff, its {ordinal} site outside its "
            "home market, to serve customers in {region}."
        ],
        [
            "The company expects the {city} team to grow to {n2}0 people by {year2}.",
            "{short} also plans a second site in {city2} next year.",
        ],
    ),
    "hiring": (
        ["{co} plans to hire {n} {roles} in {city}", "{co} is hiring {n} {roles}"],
        [
            "{co} plans to hire {n} {roles} over the next {n2} months as it builds out its {func} "
            "team in {city}."
        ],
        [
            "Open roles are listed on the company's careers page, {short} said.",
            "The hiring push comes after revenue grew {pct} percent last year.",
        ],
    ),
    "earnings": (
        ["{co} reports {quarter} revenue up {pct}%", "{co} beats estimates as sales rise {pct}%"],
        [
            "{co} reported {quarter} revenue of {amount}, up {pct} percent from a year "
            "earlier, and raised its full-year outlook."
        ],
        [
            "Operating margin improved to {pct2} percent from {pct3} percent.",
            "{short} ended the quarter with {amount2} in cash.",
        ],
    ),
    "strategic_initiative": (
        ["{co} commits {amount} to {topic} programme", "{co} unveils strategy to lead in {topic}"],
        [
            "{co} said it will invest {amount} over {n2} years in a programme on {topic}, led by "
            "{role_title} {person}."
        ],
        [
            "The plan includes modernising its {func} systems across {region}.",
            "{short} expects the programme to pay for itself by {year2}.",
        ],
    ),
    "risk_event": (
        [
            "{co} discloses data breach affecting {n} customers",
            "{co} faces regulator probe over {topic}",
        ],
        [
            "{co} said on {weekday} that an unauthorised party accessed systems holding "
            "data of about {n} customers, and that it had informed regulators in {region}."
        ],
        [
            "Shares of {short} fell {pct} percent after the disclosure.",
            "The company said it has hired outside investigators from {investor}.",
        ],
    ),
    "other": (
        ["{co} chief executive {person} speaks at {city} summit", "{co} sponsors {city} marathon"],
        ["{person}, chief executive of {co}, spoke at an industry event in {city} about {topic}."],
        [
            "The event drew about {n}0 attendees from {region}.",
            "{short} has sponsored the event since {year}.",
        ],
    ),
}
_GENERIC = [
    "{co} employs about {n}0 people and is headquartered in {city2}.",
    "A spokesperson for {short} declined to comment on {topic2}.",
    "Analysts at {investor2} said the move strengthens {short}'s position in {region2}.",
    "The company was founded in {year} by {person3} and counts {n2}0 enterprise customers.",
]


@dataclass
class Company:
    name: str
    short: str
    domain: str


@dataclass
class Story:
    title: str
    sentences: list[str]
    link: str
    published: datetime


@dataclass
class Feed:
    path: str
    wire: str
    entries: list[Story] = field(default_factory=list)


def make_companies(rng: random.Random, count: int) -> tuple[list[Company], list[Company]]:
    """``count`` account companies, and the other names as companies that are no account."""
    stems = [a + b for a in _STEMS_A for b in _STEMS_B]
    rng.shuffle(stems)
    made = [Company(f"{s} {rng.choice(_KINDS)}", s, f"{s.lower()}.example") for s in stems]
    return made[:count], made[count:]


def _slots(rng: random.Random, co: Company, other: Company, target: str) -> dict[str, Any]:
    def person() -> str:
        return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"

    return {
        "co": co.name, "short": co.short, "co2": other.name, "target": target,
        "amount": f"${rng.randint(5, 480)} million", "amount2": f"${rng.randint(2, 95)}0 million",
        "round": rng.choice("ABCDE"), "investor": rng.choice(_INVESTORS),
        "investor2": rng.choice(_INVESTORS), "city": rng.choice(_CITIES),
        "city2": rng.choice(_CITIES), "region": rng.choice(_REGIONS),
        "region2": rng.choice(_REGIONS), "product_desc": rng.choice(_PRODUCT_DESC),
        "product": rng.choice(_PRODUCTS) + " " + str(rng.randint(2, 9)),
        "topic": rng.choice(_TOPICS), "topic2": rng.choice(_TOPICS), "func": rng.choice(_FUNCS),
        "role_title": rng.choice(_ROLE_TITLES), "role_title2": rng.choice(_ROLE_TITLES),
        "roles": rng.choice(_ROLES), "person": person(), "person2": person(),
        "person3": person(), "n": rng.randint(12, 950), "n2": rng.randint(2, 18),
        "pct": rng.randint(3, 41), "pct2": rng.randint(5, 30), "pct3": rng.randint(2, 25),
        "year": rng.randint(1998, 2021), "year2": rng.randint(2026, 2030),
        "month": rng.choice(_MONTHS), "month2": rng.choice(_MONTHS), "day": rng.randint(1, 28),
        "weekday": rng.choice(_WEEKDAYS),
        "quarter": f"Q{rng.randint(1, 4)} {rng.randint(2025, 2026)}",
        "ordinal": rng.choice(["second", "third", "fourth", "fifth"]),
        "price": f"${rng.randint(8, 90)}",
    }  # fmt: skip


def make_story(
    rng: random.Random, companies: list[Company], outsiders: list[Company], wire: str, now: datetime
) -> Story:
    pool = outsiders if rng.random() < OUTSIDE_SHARE else companies
    co, other = rng.choice(pool), rng.choice(companies)
    target = rng.choice(outsiders).short + " " + rng.choice(["AI", "Cloud", "Works", "Data"])
    kind = rng.choice(list(_STORIES))
    titles, firsts, extras = _STORIES[kind]
    slots = _slots(rng, co, other, target)
    follow = rng.sample(extras + _GENERIC, rng.randint(1, 3))
    sentences = [rng.choice(firsts).format(**slots)] + [s.format(**slots) for s in follow]
    slug = "-".join(co.short.lower().split() + [kind.replace("_", "-"), str(rng.randrange(10**8))])
    host = wire.lower().replace(" ", "-") + ".example"
    when = now - timedelta(minutes=rng.randint(0, 60 * 24 * 45))
    link = f"https://{host}/{when:%Y/%m}/{slug}"
    return Story(rng.choice(titles).format(**slots), sentences, link, when)


def syndicate(rng: random.Random, story: Story, wire: str) -> Story:
    """The same story re-run by another wire: new link, touched-up headline and ending."""
    title = rng.choice(["UPDATE 1-{}", "{} - report", "{}", "{} (" + wire + ")"])
    sentences = list(story.sentences)
    if len(sentences) > 2 and rng.random() < 0.5:
        sentences.pop()
    sentences.append(f"{wire} contributed reporting.")
    host = wire.lower().replace(" ", "-") + ".example"
    link = f"https://{host}/syndicated/{rng.randrange(10**9)}"
    return Story(title.format(story.title), sentences, link, story.published)


def repost(story: Story) -> Story:
    """The same link posted again with tracking parameters: an exact duplicate."""
    link = story.link + "?utm_source=rss&utm_medium=feed"
    return Story(story.title, story.sentences, link, story.published)


def make_feeds(
    rng: random.Random, companies: list[Company], outsiders: list[Company], feeds: int, per: int
) -> list[Feed]:
    now = datetime.now(UTC).replace(microsecond=0)
    made: list[Feed] = []
    for number in range(feeds):
        wire = f"{rng.choice(_WIRES)} {number}"
        feed = Feed(f"/feeds/{number}.xml", wire)
        earlier = [s for f in made[-20:] for s in f.entries]
        for _ in range(per):
            roll = rng.random()
            if earlier and roll < SYNDICATED_SHARE:
                feed.entries.append(syndicate(rng, rng.choice(earlier), wire))
            elif earlier and roll < SYNDICATED_SHARE + REPOSTED_SHARE:
                feed.entries.append(repost(rng.choice(earlier)))
            else:
                feed.entries.append(make_story(rng, companies, outsiders, wire, now))
        made.append(feed)
    return made


def rss(feed: Feed, number: int) -> bytes:
    items = []
    for i, story in enumerate(feed.entries):
        text = " ".join(story.sentences)
        body = escape(f"<p>{text}</p>" if number % 2 else text)
        items.append(
            f"<item><title>{escape(story.title)}</title><link>{escape(story.link)}</link>"
            f'<guid isPermaLink="false">{feed.path}#{i}</guid>'
            f"<pubDate>{format_datetime(story.published, usegmt=True)}</pubDate>"
            f"<description>{body}</description></item>"
        )
    host = feed.wire.lower().replace(" ", "-")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(feed.wire)}</title><link>https://{host}.example/</link>"
        f"<description>News from {escape(feed.wire)}</description>\n"
        + "\n".join(items)
        + "\n</channel></rss>\n"
    ).encode()


# --------------------------------------------------------------------------- measurement


class StageClock:
    """Wall time per stage from wrappers around production functions; a nested stage's
    time is taken out of the enclosing one, so the stages add up to the total."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._children: list[float] = []

    def _wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._children.append(0.0)
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                self.seconds[stage] += elapsed - self._children.pop()
                if self._children:
                    self._children[-1] += elapsed

        return timed

    @contextmanager
    def installed(self) -> Iterator[StageClock]:
        points: list[tuple[object, str, str]] = [
            (SafeFetcher, "get", "fetch"),
            (service, "parse_document", "parse"),
            (parse, "_item", "extract"),
            (extract, "extract_article", "extract"),
            (dedupe, "content_hash", "dedupe"),
            (dedupe, "minhash", "dedupe"),
            (pipeline, "_stored_keys", "dedupe"),
            (pipeline.WorkspaceDedupe, "refresh", "dedupe"),
            (pipeline.WorkspaceDedupe, "originals_of", "dedupe"),
            (pipeline, "_classification", "classify"),
            (pipeline, "looks_like_injection", "classify"),
            (service, "account_refs", "match"),
            (pipeline, "match_accounts", "match"),
            (ingest_flow, "signals_by_id", "embed"),
            (vectors, "embed_signals", "embed"),
            (Embedder, "embed_array", "embed model"),
            (ingest_flow, "after_ingest", "queue refresh"),
            (Session, "flush", "store"),  # autoflush inside a stage's query is a store cost
        ]
        with ExitStack() as stack:
            for owner, name, stage in points:
                original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
                setattr(owner, name, self._wrap(stage, original))
                stack.callback(setattr, owner, name, original)
            yield self


class PeakRss:
    """Samples the resident set every 20 ms (Linux /proc); falls back to ru_maxrss."""

    def __init__(self) -> None:
        self.peak = self.current()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def current() -> int:
        try:
            pages = int(Path("/proc/self/statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return pages * os.sysconf("SC_PAGE_SIZE")

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.current())

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.current())


# --------------------------------------------------------------------------- the runs


@contextmanager
def bench_home() -> Iterator[Settings]:
    """A temp DEALSCOUT_HOME, loopback fetching allowed, embedded SQLite + Chroma."""
    saved = {k: os.environ.get(k) for k in ("DEALSCOUT_HOME", "DEALSCOUT_ALLOW_PRIVATE_URLS")}
    with tempfile.TemporaryDirectory() as home:
        os.environ["DEALSCOUT_HOME"] = home
        os.environ["DEALSCOUT_ALLOW_PRIVATE_URLS"] = "1"
        get_settings.cache_clear()
        try:
            yield Settings(DEALSCOUT_HOME=home, DATABASE_URL=None, CHROMA_HOST=None)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            get_settings.cache_clear()


def add_accounts(session: Session, admin: User, companies: list[Company]) -> None:
    for company in companies:
        data = AccountCreate(name=company.name, domain=company.domain, aliases=[company.short])
        accounts_service.create_account(session, admin, data)
    session.commit()


@dataclass
class RunResult:
    items: int
    seconds: float
    stages: dict[str, float]
    new: int = 0
    duplicates: int = 0
    rejected: int = 0
    matched: int = 0
    vectors: int = 0
    peak_rss: int = 0


def ingest_all(session: Session, settings: Settings, sources: list[Any]) -> tuple[StageClock, Any]:
    clock = StageClock()
    totals = {"new": 0, "duplicates": 0, "rejected": 0, "fetched": 0}
    with clock.installed():
        for source in sources:
            report = ingest_flow.fetch_and_follow_up(session, settings, source)
            if report.failure is not None:
                raise RuntimeError(f"{source.url}: {report.errors}")
            session.commit()  # timed as part of "store" (the remainder)
            for key in totals:
                totals[key] += getattr(report, key)
    return clock, totals


def _count(session: Session, query: Any) -> int:
    return int(session.scalar(query) or 0)


def feeds_run(feeds: int, per: int) -> RunResult:
    rng = random.Random(20261110)
    companies, outsiders = make_companies(rng, 200 if feeds >= 100 else 60)
    generated = make_feeds(rng, companies, outsiders, feeds, per)
    get_embedder().embed(["warm up the model outside the timing"])
    with bench_home() as settings, LoopbackServer() as server:
        for number, feed in enumerate(generated):
            server.text(feed.path, rss(feed, number), content_type="application/rss+xml")
        server.text("/robots.txt", "User-agent: *\nDisallow: /private/\n")
        session = open_session(settings)
        found = ensure_workspace_admin(session, "bench")
        add_accounts(session, found.admin, companies)
        sources = [
            service.source_for(session, found.workspace.id, server.url(f.path), None)
            for f in generated
        ]
        session.commit()
        with PeakRss() as rss_peak:
            started = time.perf_counter()
            clock, totals = ingest_all(session, settings, sources)
            seconds = time.perf_counter() - started
        result = RunResult(
            items=totals["fetched"], seconds=seconds, stages=dict(clock.seconds),
            new=totals["new"], duplicates=totals["duplicates"], rejected=totals["rejected"],
            matched=_count(session, select(func.count(func.distinct(SignalAccount.signal_id)))
                           .where(SignalAccount.status == "matched")),
            vectors=ingest_flow.vector_store(settings).count(found.workspace.id),
            peak_rss=rss_peak.peak,
        )  # fmt: skip
        active = _count(session, select(func.count(Signal.id)).where(Signal.status == "active"))
        session.close()
        ingest_flow._STORES.clear()  # the store's client points into the temp home
    if result.vectors != active:
        raise RuntimeError(f"{result.vectors} vectors for {active} active signals")
    return result


def pages_run(pages: int) -> RunResult:
    files = [ARTICLES / name for name in ARTICLE_FILES]
    rounds = -(-pages // len(files))
    with bench_home() as settings, LoopbackServer() as server:
        for number, path in enumerate(files):
            server.file(f"/news/{number}.html", path, content_type="text/html; charset=utf-8")
        session = open_session(settings)
        sources = []
        for r in range(rounds):  # one workspace per round: every copy is a new article there
            found = ensure_workspace_admin(session, f"pages-{r}")
            for number in range(len(files)):
                url = server.url(f"/news/{number}.html?copy={r}")
                sources.append(service.source_for(session, found.workspace.id, url, None))
        session.commit()
        with PeakRss() as rss_peak:
            started = time.perf_counter()
            clock, totals = ingest_all(session, settings, sources)
            seconds = time.perf_counter() - started
        session.close()
        ingest_flow._STORES.clear()
    return RunResult(
        items=len(sources), seconds=seconds, stages=dict(clock.seconds), new=totals["new"],
        duplicates=totals["duplicates"], rejected=totals["rejected"], peak_rss=rss_peak.peak,
    )  # fmt: skip


def _row(metric: str, value: float | int | str, unit: str, target: str = "") -> dict[str, object]:
    shown = round(value, 1) if isinstance(value, float) else value
    return {"benchmark": "ingestion", "metric": metric, "value": shown, "unit": unit,
            "target": target}  # fmt: skip


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def run(quick: bool = False) -> list[dict[str, object]]:
    feeds, per = (20, 20) if quick else (200, 50)
    result = feeds_run(feeds, per)
    stages = result.stages
    stages["store"] = result.seconds - sum(v for k, v in stages.items() if k != "store")
    embed = stages.get("embed", 0.0) + stages.get("embed model", 0.0)
    n = result.items
    rows = [
        _row(f"entries ({feeds} feeds x {per})", n, "entries"),
        _row(
            "  new / duplicate / rejected",
            f"{result.new}/{result.duplicates}/{result.rejected}",
            "entries",
        ),
        _row("  new signals matched to an account", result.matched, "signals"),
    ]
    for stage in STAGES:
        seconds = embed if stage == "embed" else stages.get(stage, 0.0)
        rows.append(_row(f"stage {stage}", _rate(n, seconds), "entries/s"))
    rows += [
        _row("  embed: MiniLM only (per embedded signal)",
             _rate(result.vectors, stages.get("embed model", 0.0)), "signals/s"),
        _row("end to end with embeddings", _rate(n, result.seconds), "entries/s", ">= 100"),
        _row("end to end without embedding", _rate(n, result.seconds - embed), "entries/s",
             ">= 500"),
        _row("peak RSS during the feed run", result.peak_rss / 2**20, "MiB"),
        _row("peak RSS of the process (ru_maxrss)",
             resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MiB"),
    ]  # fmt: skip
    pages = pages_run(12 if quick else 50)
    parsed = pages.stages.get("parse", 0.0) + pages.stages.get("extract", 0.0)
    pipeline_s = sum(pages.stages.get(k, 0.0) for k in ("dedupe", "classify", "match"))
    pages.stages["store"] = pages.seconds - sum(v for k, v in pages.stages.items() if k != "store")
    pipeline_s += pages.stages["store"]
    page_embed = pages.stages.get("embed", 0.0) + pages.stages.get("embed model", 0.0)
    rows += [
        _row(f"article pages ({pages.items}, new/rejected {pages.new}/{pages.rejected})",
             pages.items, "pages"),
        _row("  pages: parse_document (trafilatura)", _rate(pages.items, parsed), "pages/s"),
        _row("  pages: pipeline (dedupe..store)", _rate(pages.items, pipeline_s), "pages/s"),
        _row("  pages: end to end without embedding",
             _rate(pages.items, pages.seconds - page_embed), "pages/s"),
        _row("  pages: end to end with embeddings", _rate(pages.items, pages.seconds), "pages/s"),
    ]  # fmt: skip
    return rows


if __name__ == "__main__":
    from bench.run import print_table

    print_table(run(quick=True))
