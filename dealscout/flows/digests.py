"""Daily digests for reps and weekly digests for managers: what they hold, the opt-in, and
their delivery by email and/or a Slack-compatible incoming webhook.

A digest is built once per user, kind and period and stored with its delivery record, so a
retry sends exactly what was built. Each delivery is committed on its own: one that was sent
is never sent again, one that failed is retried with backoff and logged, and one that runs
out of attempts is marked ``failed`` with the reason (never dropped silently).
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import smtplib
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import httpx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account, User
from dealscout.accounts.service import sees_whole_workspace
from dealscout.analytics.schemas import AnalyticsFilters
from dealscout.analytics.service import compute_analytics, headline
from dealscout.briefs.models import BriefCache
from dealscout.coach.followups import follow_up_actions
from dealscout.coach.process import SalesProcess, load_process
from dealscout.core.config import Settings
from dealscout.core.db import utcnow
from dealscout.core.errors import BadInput, DealscoutError
from dealscout.deals.models import Deal
from dealscout.deals.reviews import list_reviews
from dealscout.deals.service import workspace_process_name
from dealscout.flows.models import DigestDelivery, DigestSubscription
from dealscout.ingestion.urlsafety import AddressPolicy, GuardedBackend, checked_url_host
from dealscout.queue.schemas import QueueFilters
from dealscout.queue.service import build_queue

log = logging.getLogger(__name__)

Kind = Literal["daily", "weekly"]
TOP_ACCOUNTS = 5
TOP_REVIEWS = 5
STALLED = 10
WEEKLY_ANALYTICS_DAYS = 90
CLAIM = timedelta(minutes=10)  # a claimed delivery is not picked up by another worker
_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


class DigestItem(BaseModel):
    text: str
    detail: list[str] = Field(default_factory=list)


class DigestSection(BaseModel):
    id: str
    title: str
    items: list[DigestItem]
    empty: str = "Nothing today."


class Digest(BaseModel):
    kind: Kind
    user: str
    subject: str
    generated_at: datetime
    sections: list[DigestSection]


class SubscriptionUpdate(BaseModel):
    daily: bool | None = None
    weekly: bool | None = None
    email: bool = True
    webhook_url: str | None = Field(default=None, max_length=2000)


class SubscriptionRead(BaseModel):
    daily: bool
    weekly: bool
    email: bool
    webhook_url: str | None


# ---------------------------------------------------------------- what a digest holds


def default_kind(user: User) -> Kind:
    return "weekly" if sees_whole_workspace(user) else "daily"


def _queue_section(session: Session, user: User, now: datetime) -> DigestSection:
    queue = build_queue(session, user, filters=QueueFilters(limit=TOP_ACCOUNTS), now=now)
    items = [
        DigestItem(text=f"{item.rank}. {item.account}", detail=[r.text for r in item.reasons])
        for item in queue.items
    ]
    return DigestSection(id="queue", title="Top accounts", items=items, empty="No accounts queued.")


def _follow_up_section(
    session: Session, user: User, today: date, process: SalesProcess
) -> DigestSection:
    deals = session.scalars(
        select(Deal)
        .where(Deal.owner_id == user.id, Deal.stage.notin_(("won", "lost")))
        .order_by(Deal.id)
    )
    items = []
    for deal in deals:
        actions = follow_up_actions(
            process, deal.stage, as_of=today, proposal_sent=deal.proposal_sent_on,
            last_buyer_response=deal.last_buyer_activity,
            last_buyer_activity=deal.last_buyer_activity,
        )  # fmt: skip
        if actions:
            items.append(DigestItem(
                text=f"{deal.name} ({deal.stage})",
                detail=[f"{a.text} (due {a.due.isoformat()})" for a in actions],
            ))  # fmt: skip
    return DigestSection(
        id="follow_ups", title="Deals due for follow-up", items=items, empty="No follow-ups due."
    )


def _briefs_section(session: Session, user: User, now: datetime) -> DigestSection:
    """The briefs refreshed today (new signals arrived) for the rep's accounts."""
    start = datetime.combine(now.date(), time.min, tzinfo=UTC)
    rows = session.execute(
        select(Account.name, BriefCache.body)
        .join(BriefCache, BriefCache.account_id == Account.id)
        .where(Account.owner_id == user.id, BriefCache.generated_at >= start)
        .order_by(Account.name)
    )
    items = []
    for name, body in rows:
        content = json.loads(body)  # the cached brief, stored as the bytes the API serves
        sections = {s.get("id"): s for s in content.get("sections", [])}
        lines = [i["text"] for i in sections.get("why_now", {}).get("items", [])[:2]]
        items.append(DigestItem(text=name, detail=lines))
    return DigestSection(
        id="briefs", title="Today's pre-call briefs", items=items, empty="No new briefs today."
    )


def _reviews_section(session: Session, user: User) -> DigestSection:
    pending = list_reviews(session, user, "pending")
    items = [
        DigestItem(
            text=f"{r.deal_name}: verdict {r.verdict}, {r.risk_count} risks",
            detail=[f"missing: {', '.join(r.missing)}"] if r.missing else [],
        )
        for r in pending[:TOP_REVIEWS]
    ]
    title = f"Pending reviews ({len(pending)})"
    return DigestSection(id="reviews", title=title, items=items, empty="No reviews pending.")


def _weekly_sections(session: Session, user: User, now: datetime) -> list[DigestSection]:
    filters = AnalyticsFilters(
        since=now - timedelta(days=WEEKLY_ANALYTICS_DAYS), until=now, stuck_limit=STALLED
    )
    result = compute_analytics(session, user, filters, now=now)
    stalled = [
        DigestItem(
            text=f"{s.name} ({s.stage})",
            detail=[f"{s.days_in_stage:.0f} days in stage; typical {s.typical_days:.0f}"],
        )
        for s in result.time_in_stage.stuck
    ]
    return [
        _reviews_section(session, user),
        DigestSection(
            id="stalled",
            title=f"Stalled deals ({result.time_in_stage.stuck_total})",
            items=stalled,
            empty="No stalled deals.",
        ),  # fmt: skip
        DigestSection(
            id="headline",
            title="Pipeline headline",
            items=[DigestItem(text=line) for line in headline(result)],
        ),  # fmt: skip
    ]


def build_digest(
    session: Session,
    user: User,
    kind: Kind | None = None,
    *,
    now: datetime | None = None,
    process: SalesProcess | None = None,
) -> Digest:
    """What ``user`` receives now for ``kind`` (default: daily for reps, weekly for
    managers and admins), whether or not they opted in. ``process`` saves re-reading the
    workspace's process file for every user of a run."""
    now = now or utcnow()
    kind = kind or default_kind(user)
    if kind == "daily":
        process = process or load_process(workspace_process_name(session, user.workspace_id))
        sections = [
            _queue_section(session, user, now),
            _follow_up_section(session, user, now.date(), process),
            _briefs_section(session, user, now),
        ]
        subject = f"dealscout daily digest for {now.date().isoformat()}"
    else:
        sections = _weekly_sections(session, user, now)
        subject = f"dealscout weekly digest, week {period_of('weekly', now)}"
    return Digest(kind=kind, user=user.email, subject=subject, generated_at=now, sections=sections)


# ---------------------------------------------------------------- how it is written


def as_text(digest: Digest) -> str:
    lines = [digest.subject, ""]
    for section in digest.sections:
        lines.append(section.title)
        lines.append("-" * len(section.title))
        if not section.items:
            lines.append(section.empty)
        for item in section.items:
            lines.append(f"* {item.text}")
            lines.extend(f"    - {d}" for d in item.detail)
        lines.append("")
    return "\n".join(lines)


def as_html(digest: Digest) -> str:
    return _TEMPLATES.get_template("digest_email.html").render(digest=digest)


def _slack_escape(text: str) -> str:
    """Slack's mrkdwn control characters: ``&``, ``<`` and ``>`` only."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def as_slack(digest: Digest) -> dict[str, object]:
    """A Slack-compatible incoming-webhook payload: ``text`` plus one block per section."""
    blocks: list[dict[str, object]] = [
        {"type": "header", "text": {"type": "plain_text", "text": digest.subject[:150]}}
    ]
    for section in digest.sections:
        body = [f"*{_slack_escape(section.title)}*"]
        if not section.items:
            body.append(_slack_escape(section.empty))
        for item in section.items:
            body.append(f"• {_slack_escape(item.text)}")
            body.extend(f"    ◦ {_slack_escape(d)}" for d in item.detail)
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(body)[:3000]}}
        )
    return {"text": _slack_escape(digest.subject), "blocks": blocks}


# ---------------------------------------------------------------- opt-in


def subscription(session: Session, user: User) -> DigestSubscription | None:
    return session.scalar(select(DigestSubscription).where(DigestSubscription.user_id == user.id))


def check_webhook_url(url: str, settings: Settings) -> None:
    policy = AddressPolicy.build(allow_private=settings.allow_private_urls)
    checked_url_host(url, policy)


def subscribe(
    session: Session, settings: Settings, user: User, data: SubscriptionUpdate | None = None
) -> DigestSubscription:
    """Opt ``user`` in (or change their choice); the kind defaults by role."""
    data = data or SubscriptionUpdate()
    if data.webhook_url:
        check_webhook_url(data.webhook_url, settings)
    if not data.email and not data.webhook_url:
        raise BadInput("a digest needs a channel: email, a webhook URL, or both")
    row = subscription(session, user) or DigestSubscription(
        workspace_id=user.workspace_id, user_id=user.id
    )
    row.daily = data.daily if data.daily is not None else default_kind(user) == "daily"
    row.weekly = data.weekly if data.weekly is not None else default_kind(user) == "weekly"
    row.email, row.webhook_url = data.email, data.webhook_url or None
    session.add(row)
    session.flush()
    return row


def unsubscribe(session: Session, user: User) -> None:
    row = subscription(session, user)
    if row is not None:
        session.delete(row)
        session.flush()


def read_subscription(row: DigestSubscription) -> SubscriptionRead:
    return SubscriptionRead(
        daily=row.daily, weekly=row.weekly, email=row.email, webhook_url=row.webhook_url
    )


# ---------------------------------------------------------------- delivery


def period_of(kind: Kind, now: datetime) -> str:
    if kind == "daily":
        return now.date().isoformat()
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def _subscribers(session: Session, kind: Kind) -> Iterable[tuple[DigestSubscription, User]]:
    flag = DigestSubscription.daily if kind == "daily" else DigestSubscription.weekly
    query = (
        select(DigestSubscription, User)
        .join(User, User.id == DigestSubscription.user_id)
        .where(flag.is_(True))
        .order_by(User.id)
    )
    return session.execute(query).tuples().all()


def schedule_digests(session: Session, kind: Kind, *, now: datetime | None = None) -> int:
    """Build this period's digest for every opted-in user and queue one delivery per
    channel; a user already served this period is skipped (beat may fire twice)."""
    now = now or utcnow()
    period = period_of(kind, now)
    done = set(
        session.scalars(
            select(DigestDelivery.user_id).where(
                DigestDelivery.kind == kind, DigestDelivery.period == period
            )
        )
    )
    queued = 0
    processes: dict[int, SalesProcess] = {}
    for sub, user in _subscribers(session, kind):
        if user.id in done:
            continue
        if user.workspace_id not in processes:
            name = workspace_process_name(session, user.workspace_id)
            processes[user.workspace_id] = load_process(name)
        digest = build_digest(session, user, kind, now=now, process=processes[user.workspace_id])
        channels = (["email"] if sub.email else []) + (["webhook"] if sub.webhook_url else [])
        for channel in channels:
            session.add(DigestDelivery(
                workspace_id=user.workspace_id, user_id=user.id, kind=kind, channel=channel,
                period=period, subject=digest.subject, body=digest.model_dump_json(),
                next_attempt_at=now,
            ))  # fmt: skip
            queued += 1
    session.flush()
    return queued


class _Mailer:
    """One SMTP connection for a delivery run, opened on first use and reopened once when
    the server dropped it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        assert settings.smtp_host is not None
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s)
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        return smtp

    def send(self, to: str, digest: Digest) -> None:
        if not self.settings.smtp_host:
            raise DeliveryError("no SMTP server configured (DEALSCOUT_SMTP_HOST)")
        message = EmailMessage()
        message["Subject"], message["From"] = digest.subject, self.settings.smtp_from
        message["To"] = to
        message.set_content(as_text(digest))
        message.add_alternative(as_html(digest), subtype="html")
        for retry_connection in (True, False):
            try:
                self.smtp = self.smtp or self._connect()
                self.smtp.send_message(message)
                return
            except smtplib.SMTPServerDisconnected as exc:
                self.smtp = None
                if not retry_connection:
                    raise DeliveryError(f"SMTP: {type(exc).__name__}: {exc}") from None
            except (smtplib.SMTPException, OSError) as exc:
                self.close()
                raise DeliveryError(f"SMTP: {type(exc).__name__}: {exc}") from None

    def close(self) -> None:
        if self.smtp is not None:
            # the server may be gone already; nothing is lost by not saying goodbye
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            self.smtp = None


def _send_webhook(settings: Settings, url: str, digest: Digest) -> None:
    """POST the payload; the host's addresses are checked like the fetcher's, and redirects
    are not followed."""
    policy = AddressPolicy.build(allow_private=settings.allow_private_urls)
    try:
        host = checked_url_host(url, policy)
        parts = urlsplit(url)
        GuardedBackend(policy).resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
        response = httpx.post(
            url, json=as_slack(digest), timeout=settings.fetch_timeout_s, follow_redirects=False
        )
    except DealscoutError as exc:
        raise DeliveryError(f"webhook refused: {exc}") from None
    except httpx.HTTPError as exc:
        raise DeliveryError(f"webhook: {type(exc).__name__}: {exc}") from None
    if response.status_code >= 300:
        raise DeliveryError(f"webhook answered HTTP {response.status_code}")


class DeliveryError(Exception):
    """A delivery attempt failed; the message says why (it goes to the log and the record)."""


class DeliveryReport(BaseModel):
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _claim(session: Session, now: datetime) -> list[int]:
    """Claim every delivery due at ``now`` in one statement: their next attempt moves to a
    marker time unique to this run, so a concurrent run claims none of them."""
    marker = now + CLAIM + timedelta(microseconds=secrets.randbelow(1_000_000))
    session.execute(
        update(DigestDelivery)
        .where(
            DigestDelivery.status.in_(("pending", "retrying")),
            DigestDelivery.next_attempt_at <= now,
        )
        .values(next_attempt_at=marker)
    )
    session.commit()
    return list(
        session.scalars(
            select(DigestDelivery.id)
            .where(
                DigestDelivery.status.in_(("pending", "retrying")),
                DigestDelivery.next_attempt_at == marker,
            )
            .order_by(DigestDelivery.id)
        )
    )


def deliver_due(
    session: Session, settings: Settings, *, now: datetime | None = None
) -> DeliveryReport:
    """Attempt every pending or retrying delivery whose time has come. Commits each
    delivery's outcome on its own, so a sent digest is never sent twice."""
    now = now or utcnow()
    report = DeliveryReport()
    mailer = _Mailer(settings)
    try:
        for delivery_id in _claim(session, now):
            delivery = session.get_one(DigestDelivery, delivery_id)
            _attempt(session, settings, mailer, delivery, now, report)
            session.commit()
    finally:
        mailer.close()
    return report


def _attempt(
    session: Session,
    settings: Settings,
    mailer: _Mailer,
    delivery: DigestDelivery,
    now: datetime,
    report: DeliveryReport,
) -> None:
    user = session.get_one(User, delivery.user_id)
    sub = subscription(session, user)
    digest = Digest.model_validate_json(delivery.body)
    delivery.attempts += 1
    try:
        if delivery.channel == "email":
            mailer.send(user.email, digest)
        elif sub is None or not sub.webhook_url:
            raise DeliveryError("the user has no webhook URL any more")
        else:
            _send_webhook(settings, sub.webhook_url, digest)
    except DeliveryError as exc:
        delivery.last_error = str(exc)
        where = (
            f"digest {delivery.id} ({delivery.kind} {delivery.period}) to {user.email} "
            f"via {delivery.channel}"
        )
        if delivery.attempts >= settings.digest_max_attempts:
            delivery.status = "failed"
            report.failed += 1
            log.error("%s failed for good after %d attempts: %s", where, delivery.attempts, exc)
        else:
            delivery.status = "retrying"
            delivery.next_attempt_at = now + timedelta(minutes=2 ** (delivery.attempts - 1))
            report.retrying += 1
            log.warning("%s failed (attempt %d of %d), retrying at %s: %s", where,
                        delivery.attempts, settings.digest_max_attempts,
                        delivery.next_attempt_at.isoformat(), exc)  # fmt: skip
        return
    delivery.status, delivery.sent_at, delivery.last_error = "sent", now, None
    report.sent += 1
