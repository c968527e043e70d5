"""A brief as Markdown or HTML. Everything from a source is text: HTML is escaped by
Jinja2's autoescape, Markdown is escaped by hand, and links are only http(s) URLs."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

from dealscout.briefs.schemas import Brief, BriefSignal

_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # with [ ] escaped no link or image can form


def safe_url(url: str | None) -> str | None:
    """The URL when it is a plain http(s) URL with a host, else None."""
    if not url or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dealscout.briefs", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    return env


def to_html(brief: Brief) -> str:
    signals = {s.id: s for s in brief.signals}
    return _environment().get_template("brief.html").render(brief=brief, signals=signals)


def md_text(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", " ".join(escaped.split()))


def _md_signal(signal: BriefSignal) -> str:
    title = md_text(signal.title or "(untitled)")
    url = safe_url(signal.url)
    link = f"[{title}](<{quote(url, safe=':/?#&=%+;,@!$~*')}>)" if url else title
    flag = " **suspicious: contains instructions aimed at AI tools**" if signal.suspicious else ""
    published = signal.published_at.date().isoformat()
    return (
        f"- [{signal.id}] {link} — {md_text(signal.source)}, {published} "
        f"({signal.age}), {signal.type}{flag}"
    )


def to_markdown(brief: Brief) -> str:
    lines = [
        f"# Brief: {md_text(brief.account)}",
        "",
        f"As of {brief.as_of.date().isoformat()} · engine {brief.engine}"
        + (f" ({md_text(brief.model)})" if brief.engine == "llm" and brief.model else ""),
    ]
    for section in brief.sections:
        lines += ["", f"## {md_text(section.title)}", ""]
        for item in section.items:
            refs = "".join(f" [{c}]" for c in item.citations)
            lines.append(f"- {md_text(item.text)}{refs}")
    if brief.signals:
        lines += ["", "## Sources", ""]
        lines += [_md_signal(s) for s in brief.signals]
    return "\n".join(lines) + "\n"
