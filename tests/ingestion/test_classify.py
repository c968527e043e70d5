"""Rule classifier: one positive per type, conflict resolution, negatives, confidence."""

import pytest

from dealscout.ingestion.classify import SIGNAL_TYPES, classify, is_probably_english

CASES = [
    ("funding", "Acme raises $40 million Series B led by Foundry Ventures", ""),
    ("funding", "Orbit Labs prices IPO at $21 a share", "The listing raised $300 million."),
    ("executive_hire", "Zeta Corp appoints Jane Moss as Chief Financial Officer", ""),
    ("executive_departure", "Zeta Corp CEO Tom Reyes to step down", "He will leave in June."),
    ("layoffs", "Hollis Games lays off 120 staff", "The studio will close its Austin office."),
    ("layoffs", "Brava freezes hiring as demand slows", "Brava has frozen hiring worldwide."),
    ("acquisition", "Polar Data to acquire Kelp Analytics for $90M", ""),
    ("partnership", "Vela and Ostra announce strategic partnership", ""),
    ("product_launch", "Tessa unveils version 3 of its design app", ""),
    ("expansion", "Quint opens first office in Singapore", "Quint is expanding into Asia."),
    ("hiring", "Senior Data Engineer - Remote", "We're hiring a data engineer. Apply now."),
    ("earnings", "Fjord Inc. reports third-quarter results, beats estimates", ""),
    ("strategic_initiative", "Lumen Bank launches AI transformation program", ""),
    ("risk_event", "Hexa discloses data breach affecting 2 million users", ""),
    ("other", "Ten ways to plan a better vacation", "Start early and pack light."),
]


@pytest.mark.parametrize(("expected", "title", "text"), CASES)
def test_rules_per_type(expected: str, title: str, text: str) -> None:
    assert classify(title, text).type == expected


def test_every_contract_type_has_a_case() -> None:
    assert {c[0] for c in CASES} == set(SIGNAL_TYPES)


def test_acquisition_in_title_beats_partnership_in_passing() -> None:
    result = classify(
        "Fenwick acquires Tagly", "The deal deepens Fenwick's partnership with cloud providers."
    )
    assert result.type == "acquisition"


def test_earnings_report_with_layoffs_gets_both() -> None:
    result = classify(
        "Pallas reports second-quarter results",
        "Revenue was $18 million. Pallas said it would lay off 20% of its staff.",
    )
    assert result.type == "earnings"
    assert "layoffs" in {s.type for s in result.secondary}


def test_regulatory_probe_of_a_deal_is_a_risk_event() -> None:
    assert classify("EU opens probe into Adnoc's Covestro acquisition", "").type == "risk_event"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("How to negotiate a raise", "Ask for a raise after your review."),
        ("Acme stock upgraded to buy at Jefferies", "Analysts see upside."),
        ("Stocks rise ahead of earnings from Big Tech", "Investors wait for results."),
        ("Webinar: scaling customer success", "Join our VP of Customer Success on May 14."),
        ("Hiring freeze? Not here", ""),
    ],
)
def test_hard_negatives_are_not_their_lookalikes(title: str, text: str) -> None:
    result = classify(title, text)
    assert result.type not in {"funding", "acquisition", "earnings", "executive_hire", "hiring"}


def test_confidence_is_bounded_and_higher_for_clear_items() -> None:
    clear = classify("Acme raises $40M Series B", "Acme raised $40 million in a Series B round.")
    vague = classify("Acme news", "Acme mentioned a new release in passing.")
    assert 0.0 <= vague.confidence <= clear.confidence <= 1.0


def test_non_english_news_without_an_event_is_other() -> None:
    text = "Die Stadt und die Gäste der Region sprechen über das Wetter und den Sommer im Park."
    assert not is_probably_english(text)
    result = classify("Sommer in der Stadt", text)
    assert result.type == "other" and result.model
    assert all(s.confidence < result.confidence for s in result.secondary)


def test_non_english_with_cue_is_classified() -> None:
    assert classify("Tractive adquiere Whistle de Mars Petcare", "").type == "acquisition"


def test_untitled_text_uses_first_sentence_as_headline() -> None:
    assert classify("", "Acme lays off 200 employees. More later.").type == "layoffs"


def test_deterministic() -> None:
    args = ("Acme raises $5M seed", "Led by Foundry Ventures.")
    assert classify(*args) == classify(*args)


def test_names_person_title_without_as_is_an_executive_hire() -> None:
    result = classify("Lumenfield Health names Dr. Aaron Feld Chief Operating Officer", "")
    assert result.type == "executive_hire"
