"""Fact extraction per signal type and the department helper."""

import pytest

from dealscout.ingestion.facts import department_of, extract_facts, find_amount


def test_funding_facts() -> None:
    facts = extract_facts(
        "funding",
        "Ledgerline raises $25 million Series A",
        "The round was led by Northstar Ventures, with participation from Gradient Capital.",
    )
    assert facts["amount"] == {"value": 25_000_000.0, "currency": "USD", "raw": "$25 million"}
    assert facts["round"] == "Series A"
    assert facts["investors"] == ["Northstar Ventures", "Gradient Capital"]


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("€40M", 40e6, "EUR"),
        ("$1.2 billion", 1.2e9, "USD"),
        ("£350k", 350e3, "GBP"),
        ("3 million dollars", 3e6, "USD"),
        ("C$0.35", 0.35, "CAD"),
    ],
)
def test_amount_normalization(text: str, value: float, currency: str) -> None:
    amount = find_amount(f"It got {text} today")
    assert amount is not None
    assert amount["value"] == pytest.approx(value) and amount["currency"] == currency


@pytest.mark.parametrize(
    ("text", "round_"),
    [
        ("closes $8M seed round", "seed"),
        ("prices its initial public offering", "IPO"),
        ("secures $150 million credit facility", "debt"),
        ("wins $2M grant", "grant"),
    ],
)
def test_rounds(text: str, round_: str) -> None:
    assert extract_facts("funding", text, "")["round"] == round_


def test_executive_hire_person_and_title() -> None:
    facts = extract_facts(
        "executive_hire",
        "Northwind Appoints Priya Raman as Chief Financial Officer",
        "Raman joins from Crestline.",
    )
    assert facts == {"person": "Priya Raman", "title": "Chief Financial Officer"}


def test_executive_departure_person_and_title() -> None:
    facts = extract_facts("executive_departure", "Lumera CEO Mark Feld to step down", "")
    assert facts == {"person": "Mark Feld", "title": "CEO"}


def test_acquisition_counterpart_and_amount() -> None:
    facts = extract_facts("acquisition", "Dynamo Foods to acquire Crunchy Co for $1.2 billion", "")
    assert facts["counterpart"] == "Crunchy"  # legal suffixes are dropped
    assert facts["amount"]["value"] == pytest.approx(1.2e9)


def test_partnership_counterpart() -> None:
    facts = extract_facts("partnership", "Pathwise partners with Microsoft on tutoring", "")
    assert facts["counterpart"] == "Microsoft"


def test_hiring_job_post_facts() -> None:
    facts = extract_facts(
        "hiring",
        "Senior Backend Engineer (Go) - Remote, US",
        "Cartwheel is hiring a Senior Backend Engineer to join our payments team.",
    )
    assert facts["role"] == "Senior Backend Engineer"
    assert facts["department"] == "engineering"
    assert facts["seniority"] == "senior"
    assert facts["location"] == "Remote"


def test_hiring_push_count() -> None:
    facts = extract_facts(
        "hiring", "Ferrox to hire engineers", "Ferrox plans to hire about 300 engineers."
    )
    assert facts["count"] == 300


@pytest.mark.parametrize(
    ("text", "count", "percent"),
    [
        ("will lay off about 480 employees, or 12% of its workforce", 480, 12.0),
        ("laid off a quarter of its staff", None, 25.0),
        ("eliminating 650 jobs", 650, None),
    ],
)
def test_layoff_facts(text: str, count: int | None, percent: float | None) -> None:
    facts = extract_facts("layoffs", "", text)
    assert facts.get("count") == count and facts.get("percent") == percent


def test_earnings_period_and_revenue() -> None:
    facts = extract_facts(
        "earnings", "Mistral posts record third-quarter revenue", "Revenue was $1.4 billion."
    )
    assert facts["period"] == "Q3"
    assert facts["revenue"]["value"] == pytest.approx(1.4e9)


def test_types_without_extractor_give_empty_facts() -> None:
    assert extract_facts("other", "Anything", "at all") == {}


@pytest.mark.parametrize(
    ("title", "dept"),
    [
        ("Senior Software Engineer", "engineering"),
        ("Data Scientist", "data"),
        ("Machine Learning Engineer", "data"),
        ("Enterprise Account Executive", "sales"),
        ("Product Marketing Manager", "marketing"),
        ("Product Manager, Payments", "product"),
        ("Technical Recruiter", "hr"),
        ("Senior Accountant", "finance"),
        ("Legal Counsel", "legal"),
        ("Customer Success Manager", "support"),
        ("Supply Chain Analyst", "operations"),
        ("Chef", "other"),
    ],
)
def test_department_of(title: str, dept: str) -> None:
    assert department_of(title) == dept


def test_accounts_payable_roles_are_finance() -> None:
    assert department_of("Accounts Payable Team Lead") == "finance"
    assert department_of("Billing Analyst") == "finance"
