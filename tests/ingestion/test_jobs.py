"""Job posts from real Greenhouse/Lever/Ashby captures and JSON-LD careers pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dealscout.core.errors import Refused
from dealscout.ingestion.jobs import (
    board_kind,
    employment_type,
    parse_job_board,
    parse_jobposting_html,
    seniority,
)

JOBS = Path(__file__).parents[1] / "fixtures" / "jobs"
HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile"
FETCHED = datetime(2026, 8, 1, tzinfo=UTC)


def board(name: str):
    document = json.loads((JOBS / f"gtm-signal-engine_{name}_jobs.json").read_text())
    return parse_job_board(document, url=None, fetched_at=FETCHED)


def page(path: Path):
    return parse_jobposting_html(
        path.read_bytes(), url="https://careers.example/job", fetched_at=FETCHED
    )


def test_greenhouse_board():
    items = board("greenhouse")
    assert len(items) == 8 and all(i.kind == "job" and i.job for i in items)
    director = items[1]
    assert director.title == "Director of Forward Deployed Engineering"
    assert director.job.seniority == "director" and director.job.company == "Vercel"
    assert director.job.location == "Hybrid - San Francisco, New York City, Austin"
    assert director.published_at == datetime(2026, 7, 20, 22, 4, 7, tzinfo=UTC)
    assert director.guid == "greenhouse:6120051004" and director.url.startswith("https://")
    assert items[2].job.seniority == "manager"


def test_lever_board():
    items = board("lever")
    first = items[0]
    assert first.title == "Android Engineer III" and first.job.seniority == "senior"
    assert (first.job.department, first.job.team) == ("Hinge", "Engineering")
    assert first.job.employment_type == "full-time" and first.job.workplace_type == "hybrid"
    assert first.published_at.tzinfo is not None and first.published_at.year == 2026
    assert {i.job.seniority for i in items if "Apprenticeship" in i.title} == {"intern"}


def test_ashby_board():
    items = board("ashby")
    assert items[0].title == "Engineering Manager - EU"
    assert items[0].job.employment_type == "full-time" and items[0].job.workplace_type == "Remote"
    assert items[0].job.department == "Engineering" and items[0].job.seniority == "manager"
    assert items[0].published_at == datetime(2024, 3, 4, 14, 29, 8, 532000, tzinfo=UTC)


def test_board_kind_and_unknown_json():
    assert board_kind({"jobs": []}) == "greenhouse"
    assert board_kind([{"hostedUrl": "u", "text": "t"}]) == "lever"
    with pytest.raises(Refused):
        parse_job_board({"data": [1, 2]}, url=None, fetched_at=FETCHED)


def test_greenhouse_escaped_content_is_plain_text():
    document = {
        "jobs": [
            {
                "id": 1,
                "title": "Head of Sales",
                "absolute_url": "https://boards.example/1",
                "location": {"name": "Remote"},
                "departments": [{"name": "Sales"}],
                "content": "&lt;div class=&quot;content-intro&quot;&gt;&lt;p&gt;Build the team."
                "&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/div&gt;",
            }
        ]
    }
    (item,) = parse_job_board(document, url=None, fetched_at=FETCHED)
    assert item.text == "Build the team." and item.job.department == "Sales"
    assert item.job.seniority == "director" and item.date_missing


def test_single_jsonld_posting_from_a_careers_page():
    (item,) = page(JOBS / "careers_single_jobposting.html")
    job = item.job
    assert item.title == job.title == "Staff Data Engineer"
    assert (job.company, job.location) == ("Sumo Logic", "Austin, TX, US")
    assert job.employment_type == "full-time" and job.seniority == "lead" and job.board == "jsonld"
    assert item.published_at == datetime(2020, 5, 4, tzinfo=UTC) and not item.date_missing
    assert item.guid == "jsonld:SL-1042" and "Sumo Logic" in item.text and "<" not in item.text


def test_graph_jsonld_posting():
    (item,) = page(JOBS / "careers_graph_jobposting.html")
    assert item.job.seniority == "director" and item.job.company == "Acceleron Pharma"
    assert item.published_at == datetime(2020, 4, 28, 13, 30, tzinfo=UTC)


def test_list_of_postings_skips_broken_blocks():
    junior, manager = page(JOBS / "careers_list_jobpostings.html")
    assert junior.job.seniority == "junior" and junior.job.location == "Washington, DC, US"
    assert manager.job.seniority == "manager"
    assert manager.job.location == "Remote (USA); Allentown, PA, US"


def test_hostile_jsonld_is_sanitized():
    (item,) = page(HOSTILE / "jobposting_script.html")
    assert item.title == "VP of Sales EMEA" and item.job.seniority == "vp"
    assert item.job.company == "Example Corp" and item.text == "Own the number."
    assert item.job.location == "London, UK"


def test_pages_without_postings_give_nothing():
    assert (
        parse_jobposting_html(b"<html><body>No jobs</body></html>", url=None, fetched_at=FETCHED)
        == []
    )


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Summer Intern, Data", "intern"),
        ("Internal Audit Analyst", None),
        ("Junior Data Analyst", "junior"),
        ("Software Engineer I", "junior"),
        ("Senior Data Engineer", "senior"),
        ("Sr. Data Scientist II", "senior"),
        ("Staff Data Engineer", "lead"),
        ("Tech Lead, Payments", "lead"),
        ("Engineering Manager, CDN", "manager"),
        ("Senior Product Manager", "senior"),
        ("Associate Director/Director, Safety Scientist", "director"),
        ("Head of Revenue Operations", "director"),
        ("VP of Engineering", "vp"),
        ("Senior Vice President, Sales", "vp"),
        ("Chief Revenue Officer", "c-level"),
        ("CFO", "c-level"),
        ("Data Scientist", None),
    ],
)
def test_seniority(title, level):
    assert seniority(title) == level


def test_employment_type_normalization():
    assert employment_type("FULL_TIME") == employment_type("FullTime") == "full-time"
    assert employment_type(["PART_TIME", "CONTRACTOR"]) == "part-time"
    assert employment_type("INTERN") == "internship" and employment_type("") is None
    assert seniority("Data Analyst", "internship") == "intern"
