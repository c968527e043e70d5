"""How signal types read in sentences for people (briefs, queue reasons)."""

TYPE_LABELS = {
    "funding": "Funding",
    "executive_hire": "New executive",
    "executive_departure": "Executive departure",
    "layoffs": "Layoffs",
    "acquisition": "M&A",
    "partnership": "Partnership",
    "product_launch": "Product launch",
    "expansion": "Expansion",
    "hiring": "Hiring",
    "earnings": "Earnings",
    "strategic_initiative": "Strategic initiative",
    "risk_event": "Risk event",
    "other": "News",
}


def type_label(signal_type: str) -> str:
    return TYPE_LABELS.get(signal_type, "News")
