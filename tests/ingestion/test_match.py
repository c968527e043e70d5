"""Account matching: domain anchoring, word boundaries, common-word names, ambiguity."""

import time

from dealscout.ingestion.match import AccountMatch, AccountRef, MatchInput, match_accounts

ACCOUNTS = [
    AccountRef(id=1, name="Slack", domain="slack.com"),
    AccountRef(id=2, name="Apple", domain="apple.com", aliases=["Apple Inc."]),
    AccountRef(id=3, name="Northwind Analytics", domain="northwind.io", aliases=["Northwind"]),
    AccountRef(id=4, name="Mercury", domain="mercury.com"),
    AccountRef(id=5, name="Mercury", domain="mercurysystems.com"),
    AccountRef(id=6, name="AT&T", domain="att.com"),
    AccountRef(id=7, name="Cobaltix", domain=None),
]


def run(
    title: str, text: str = "", url: str | None = None, source: int | None = None
) -> dict[int, AccountMatch]:
    doc = MatchInput(title=title, text=text, url=url, source_account_id=source)
    return {m.account_id: m for m in match_accounts(doc, ACCOUNTS)}


def test_url_host_anchors_identity() -> None:
    found = run("Big news today", url="https://blog.northwind.io/posts/1")
    assert found[3].status == "matched" and found[3].confidence >= 0.9


def test_domain_mention_settles_a_shared_name() -> None:
    found = run("Mercury raises $300M", "Details at mercury.com.")
    assert found[4].status == "matched" and 5 not in found


def test_shared_name_without_domain_is_ambiguous() -> None:
    found = run("Mercury raises $300M", "The company said it will hire.")
    assert {found[4].status, found[5].status} == {"ambiguous"}


def test_word_boundaries() -> None:
    assert run("Cobaltixes are not a thing; preCobaltix neither") == {}
    assert run("Cobaltix hires a CRO")[7].status == "matched"


def test_multi_word_names_and_symbols() -> None:
    found = run("AT&T and Northwind Analytics team up")
    assert found[6].status == "matched" and found[3].status == "matched"


def test_common_word_in_lower_case_never_matches() -> None:
    assert run("The slack season: why B2B buying slows", "Pipelines slow down.") == {}
    assert run("Grandma's apple pie", "Slice the apples.") == {}


def test_common_word_name_with_company_context_matches() -> None:
    found = run("Slack launches huddles", "Slack, the messaging company, announced the feature.")
    assert found[1].status == "matched"
    assert run("Apple shares rise after record quarter")[2].status == "matched"


def test_capitalised_common_word_without_context_is_ambiguous() -> None:
    found = run("Apple Pie Recipes For The Holidays", "Bake it for an hour.")
    assert found[2].status == "ambiguous"


def test_lowercase_use_in_the_text_demands_a_company_suffix() -> None:
    found = run("Apple pie recipes for the holiday season", "Nothing says autumn like apple pie.")
    assert found[2].status == "ambiguous"
    assert run("Apple Inc. and the apple harvest", "")[2].status == "matched"


def test_document_may_concern_several_accounts() -> None:
    found = run("Northwind Analytics partners with Cobaltix", "")
    assert {3, 7} <= set(found)


def test_items_from_an_accounts_own_source_belong_to_it() -> None:
    found = run("Quarterly update", "Nothing names anyone.", source=7)
    assert found[7].status == "matched" and found[7].confidence == 1.0


def test_matched_before_ambiguous() -> None:
    statuses = [
        m.status
        for m in match_accounts(
            MatchInput(title="Mercury and Cobaltix", text="", url=None), ACCOUNTS
        )
    ]
    assert statuses == sorted(statuses, key=lambda s: s != "matched")


def test_thousand_accounts_in_a_few_milliseconds() -> None:
    accounts = [
        AccountRef(id=i, name=f"Company{i} Systems", domain=f"company{i}.com", aliases=[f"C{i}X"])
        for i in range(1000)
    ]
    doc = MatchInput(
        title="Company42 Systems raises money", text="word " * 400 + "company7.com C99X"
    )
    match_accounts(doc, accounts)  # builds and caches the index
    start = time.perf_counter()
    for _ in range(20):
        found = {m.account_id for m in match_accounts(doc, accounts)}
    per_doc = (time.perf_counter() - start) / 20
    assert found == {7, 42, 99}
    assert per_doc < 0.02
