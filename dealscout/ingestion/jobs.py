"""Job posts: schema.org JobPosting JSON-LD in careers pages, Greenhouse/Lever/Ashby JSON."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, Literal

from dealscout.core.errors import Refused
from dealscout.ingestion.dedupe import canonical_url, content_hash
from dealscout.ingestion.extract import json_ld_blocks, load_tree
from dealscout.ingestion.sanitize import make_lead, one_line, to_text
from dealscout.ingestion.schemas import JobFields, RawItem, Seniority, parse_date

Board = Literal["greenhouse", "lever", "ashby"]

# First match wins: "Senior Director" is a director, "VP of Engineering" is no engineer.
_SENIORITY_PATTERNS: tuple[tuple[Seniority, str], ...] = (
    ("intern", r"\b(intern|internship|co-?op|apprentice(ship)?|trainee)\b"),
    ("vp", r"\b([sea]?vp|vice[- ]president)\b"),
    ("c-level", r"\b(chief \w+( \w+)? officer|c[eotfmipr]o|ciso|president|founder)\b"),
    ("director", r"\b(director|head of)\b"),
    (
        "manager",
        r"(?<!product )(?<!program )(?<!project )(?<!account )(?<!success )"
        r"\b(manager|mgr)\b",
    ),
    ("lead", r"\b(lead|principal|staff|architect)\b"),
    ("senior", r"\b(senior|sr\.?|iii|iv)\b"),
    ("junior", r"\b(junior|jr\.?|entry[- ]level|graduate|new grad|associate)\b|\bi$"),
)
_SENIORITY = tuple((level, re.compile(p, re.IGNORECASE)) for level, p in _SENIORITY_PATTERNS)
_EMPLOYMENT = {
    "fulltime": "full-time", "parttime": "part-time", "contract": "contract",
    "contractor": "contract", "temporary": "temporary", "temp": "temporary",
    "intern": "internship", "internship": "internship", "volunteer": "volunteer",
    "perdiem": "per-diem", "other": "other",
}  # fmt: skip


def seniority(title: str, employment_type: str | None = None) -> Seniority | None:
    """The level a job title states (None for plain individual-contributor titles)."""
    if employment_type == "internship":
        return "intern"
    clean = re.sub(r"[(),/|–—-]+", " ", title).strip()
    return next((level for level, pattern in _SENIORITY if pattern.search(clean)), None)


def employment_type(value: object) -> str | None:
    """``FULL_TIME``, ``FullTime``, ``Full-time`` … → ``full-time`` (first of a list)."""
    if isinstance(value, list):
        value = next(iter(value), None)
    if not isinstance(value, str) or not value.strip():
        return None
    key = re.sub(r"[^a-z]", "", value.lower())
    return _EMPLOYMENT.get(key, value.strip().lower())


def _name(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = ", ".join(str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value)
    return (one_line(str(value)) or None) if value else None


def _job_item(
    *,
    guid: object,
    url: str | None,
    job: JobFields,
    description_html: str | None,
    fetched_at: datetime,
) -> RawItem:
    text = to_text(description_html)
    job.seniority = seniority(job.title, job.employment_type)
    return RawItem(
        guid=str(guid or url or content_hash(job.title + "\n" + text)),
        url=url,
        canonical_url=canonical_url(url) if url else None,
        title=job.title,
        text=text,
        lead=make_lead(text) if text else job.title,
        published_at=job.posted_at or fetched_at,
        date_missing=job.posted_at is None,
        kind="job",
        job=job,
    )


def _greenhouse(job: dict[str, Any], fetched_at: datetime) -> RawItem:
    departments = job.get("departments") or []
    return _job_item(
        guid=f"greenhouse:{job.get('id')}",
        url=job.get("absolute_url"),
        job=JobFields(
            title=one_line(job.get("title")),
            company=_name(job.get("company_name")),
            department=_name(departments[0]) if departments else None,
            location=_name(job.get("location")),
            posted_at=parse_date(job.get("first_published") or job.get("updated_at")),
            board="greenhouse",
        ),
        description_html=job.get("content"),
        fetched_at=fetched_at,
    )


def _lever(job: dict[str, Any], fetched_at: datetime) -> RawItem:
    categories = job.get("categories") or {}
    return _job_item(
        guid=f"lever:{job.get('id')}",
        url=job.get("hostedUrl"),
        job=JobFields(
            title=one_line(job.get("text")),
            department=_name(categories.get("department")),
            team=_name(categories.get("team")),
            location=_name(categories.get("location")),
            employment_type=employment_type(categories.get("commitment")),
            workplace_type=_name(job.get("workplaceType")),
            posted_at=parse_date(job.get("createdAt")),
            board="lever",
        ),
        description_html=job.get("description") or job.get("descriptionPlain"),
        fetched_at=fetched_at,
    )


def _ashby(job: dict[str, Any], fetched_at: datetime) -> RawItem:
    return _job_item(
        guid=f"ashby:{job.get('id')}",
        url=job.get("jobUrl"),
        job=JobFields(
            title=one_line(job.get("title")),
            department=_name(job.get("department")),
            team=_name(job.get("team")),
            location=_name(job.get("location")),
            employment_type=employment_type(job.get("employmentType")),
            workplace_type=_name(job.get("workplaceType")),
            posted_at=parse_date(job.get("publishedAt")),
            board="ashby",
        ),
        description_html=job.get("descriptionHtml") or job.get("descriptionPlain"),
        fetched_at=fetched_at,
    )


_BOARDS: dict[Board, tuple[str, Callable[[dict[str, Any], datetime], RawItem]]] = {
    "greenhouse": ("absolute_url", _greenhouse),
    "lever": ("hostedUrl", _lever),
    "ashby": ("jobUrl", _ashby),
}


def _postings(document: Any) -> list[Any]:
    if isinstance(document, dict):
        return document.get("jobs") or []
    return document if isinstance(document, list) else []


def board_kind(document: Any) -> Board | None:
    """Which job-board API answer ``document`` is, judged by its postings' URL field."""
    postings = [p for p in _postings(document) if isinstance(p, dict)]
    for board, (url_key, _) in _BOARDS.items():
        if postings and all(url_key in p for p in postings):
            return board
    if isinstance(document, dict) and document.get("jobs") == []:
        return "greenhouse"
    return None


def parse_job_board(document: Any, *, url: str | None, fetched_at: datetime) -> list[RawItem]:
    """Items of a Greenhouse (``{"jobs": […]}``), Lever (``[…]``) or Ashby answer."""
    board = board_kind(document)
    if board is None:
        raise Refused("unrecognised JSON document (not a JSON Feed or a known job board)")
    convert = _BOARDS[board][1]
    return [convert(posting, fetched_at) for posting in _postings(document)]


def _walk_json_ld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for child in node:
            yield from _walk_json_ld(child)
    elif isinstance(node, dict):
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(str(t).rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "JobPosting" for t in types):
            yield node
        yield from _walk_json_ld(node.get("@graph"))


def _place(value: Any) -> str | None:
    """A readable location from schema.org ``Place``/``PostalAddress`` (or lists of them)."""
    if isinstance(value, list):
        places = [p for p in (_place(v) for v in value) if p]
        return "; ".join(dict.fromkeys(places)) or None
    if isinstance(value, dict):
        address = value.get("address", value)
        if isinstance(address, dict):
            parts = [
                _name(address.get(key))
                for key in ("addressLocality", "addressRegion", "addressCountry")
            ]
            return ", ".join(p for p in parts if p) or _name(value)
        return _name(address)
    return _name(value)


def _posting_location(posting: dict[str, Any]) -> str | None:
    location = _place(posting.get("jobLocation"))
    if str(posting.get("jobLocationType", "")).upper() == "TELECOMMUTE":
        region = _place(posting.get("applicantLocationRequirements"))
        remote = f"Remote ({region})" if region else "Remote"
        return f"{remote}; {location}" if location else remote
    return location


def _json_ld_item(posting: dict[str, Any], page_url: str | None, fetched_at: datetime) -> RawItem:
    link = posting.get("url") if isinstance(posting.get("url"), str) else page_url
    identifier = posting.get("identifier")
    if isinstance(identifier, dict):
        identifier = identifier.get("value")
    return _job_item(
        guid=f"jsonld:{identifier}" if identifier else link,
        url=link,
        job=JobFields(
            title=one_line(str(posting.get("title") or "")),
            company=_name(posting.get("hiringOrganization")),
            department=_name(posting.get("occupationalCategory") or posting.get("industry")),
            location=_posting_location(posting),
            employment_type=employment_type(posting.get("employmentType")),
            posted_at=parse_date(posting.get("datePosted")),
            board="jsonld",
        ),
        description_html=str(posting.get("description") or ""),
        fetched_at=fetched_at,
    )


def parse_jobposting_html(
    html: bytes | str, *, url: str | None, fetched_at: datetime
) -> list[RawItem]:
    """Every schema.org JobPosting in the page's JSON-LD blocks (unreadable blocks skipped)."""
    tree = load_tree(html)
    if tree is None:
        return []
    items = [
        _json_ld_item(posting, url, fetched_at)
        for block in json_ld_blocks(tree)
        for posting in _walk_json_ld(block)
    ]
    return [item for item in items if item.title]
