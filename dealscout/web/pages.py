"""The pages: each one reads through domain functions and renders a template."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from dealscout.accounts import service as accounts
from dealscout.accounts import sessions
from dealscout.briefs import service as briefs
from dealscout.coach.process import load_process
from dealscout.coach.vocab import CONTRACT_CRITERIA
from dealscout.core.db import utcnow
from dealscout.core.errors import BadInput, Forbidden
from dealscout.core.http import SessionDep, SettingsDep
from dealscout.core.llm import LLMGateway
from dealscout.deals import audit as audit_service
from dealscout.deals import reviews
from dealscout.deals import service as deals
from dealscout.deals.schemas import Override, ReviewSubmit
from dealscout.flows import ingest as ingest_flow
from dealscout.ingestion import sources
from dealscout.ingestion.classify import SIGNAL_TYPES
from dealscout.ingestion.source_schemas import SourceCreate, SourceUpdate
from dealscout.ingestion.urlsafety import AddressPolicy
from dealscout.queue import feedback as queue_feedback
from dealscout.queue import service as queue
from dealscout.queue.schemas import QueueFilters
from dealscout.web import labels, views
from dealscout.web.render import PageRoute, done, page
from dealscout.web.security import (
    CSRF_REFUSED,
    SESSION_COOKIE,
    SIGNIN_COOKIE,
    FormAdmin,
    FormManager,
    FormViewer,
    PageAdmin,
    PageManager,
    PageViewer,
    safe_next,
    set_cookie,
    signin_csrf,
    signin_csrf_ok,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)
QUEUE_PAGE = 50
SNOOZE_DAYS = 7
REVIEW_STATUSES = ("pending", "approved", "needs_work")
OVERRIDE_PREFIX = "override_"


def _process(session: SessionDep, workspace_id: int):  # type: ignore[no-untyped-def]
    return load_process(deals.workspace_process_name(session, workspace_id))


# --- signing in and out ------------------------------------------------------------------


@router.get("/signin")
def signin_page(request: Request, next: str = "/") -> Response:  # noqa: A002
    token = signin_csrf(request)
    response = page(request, "signin.html", None, csrf=token, next=safe_next(next))
    set_cookie(request, response, SIGNIN_COOKIE, token, max_age=3600)
    return response


@router.post("/signin")
def signin(
    request: Request,
    session: SessionDep,
    token: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002
) -> Response:
    if not signin_csrf_ok(request, csrf_token):
        raise Forbidden(CSRF_REFUSED)
    _, raw = sessions.sign_in(session, token)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_cookie(request, response, SESSION_COOKIE, raw, max_age=sessions.SESSION_HOURS * 3600)
    response.delete_cookie(SIGNIN_COOKIE, path="/")
    return response


@router.post("/signout")
def signout(request: Request, session: SessionDep, viewer: FormViewer) -> Response:
    sessions.sign_out(session, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(viewer: PageViewer) -> Response:
    """A rep starts at the queue; a manager at the review inbox."""
    return RedirectResponse("/reviews" if viewer.is_manager else "/queue", status_code=303)


# --- queue ---------------------------------------------------------------------------------


@router.get("/queue")
def queue_page(request: Request, session: SessionDep, viewer: PageViewer) -> Response:
    ranked = queue.build_queue(session, viewer.user, filters=QueueFilters(limit=QUEUE_PAGE))
    cited = [c for item in ranked.items for r in item.reasons for c in r.citations]
    links = views.source_links(session, viewer.user.workspace_id, cited)
    snooze_until = utcnow().date() + timedelta(days=SNOOZE_DAYS)
    return page(request, "queue.html", viewer, queue=ranked, links=links, snooze_until=snooze_until)


@router.post("/queue/{account_id}/snooze")
def snooze(
    request: Request,
    account_id: int,
    session: SessionDep,
    viewer: FormViewer,
    until: Annotated[date, Form()],
) -> Response:
    state = queue_feedback.snooze_account(session, viewer.user, account_id, until)
    message = f"Snoozed until {labels.day(state.snoozed_until)}: it leaves your queue till then."
    return done(request, message, "/queue", remove=f"account-{account_id}")


@router.post("/queue/{account_id}/contacted")
def contacted(
    request: Request, account_id: int, session: SessionDep, viewer: FormViewer
) -> Response:
    queue_feedback.mark_contacted(session, viewer.user, account_id)
    name = accounts.get_account(session, viewer.user, account_id).name
    return done(request, f"Marked {name} as contacted today.", "/queue")


@router.post("/signals/{signal_id}/dismiss")
def dismiss(
    request: Request,
    signal_id: int,
    session: SessionDep,
    viewer: FormViewer,
    back: Annotated[str, Form(max_length=2000)] = "/queue",
) -> Response:
    queue_feedback.dismiss_signal(session, viewer.user, signal_id)
    return done(
        request, "Signal dismissed: it no longer counts in your queue.", safe_next(back),
        remove=f"signal-{signal_id}",
    )  # fmt: skip


# --- account (the brief) -------------------------------------------------------------------


@router.get("/accounts/{account_id}")
def account_page(
    request: Request,
    account_id: int,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewer,
    type: str = Query("", max_length=64),  # noqa: A002  (the filter's public name)
    since: str = Query("", max_length=32),  # an empty date field sends ""
) -> Response:
    since_day = _day_or_none(since)
    account = accounts.get_account(session, viewer.user, account_id)
    account_deals = deals.list_deals(session, viewer.user, account_id=account_id)
    brief = briefs.get_brief(session, settings, viewer.user, account_id)
    cited = views.cited_signals(brief)
    signals = [signal for signal, _link in sources.account_signals(
        session, viewer.user, account_id, signal_type=type or None,
        since=datetime.combine(since_day, time.min, tzinfo=UTC) if since_day else None,
    )]  # fmt: skip
    return page(
        request, "account.html", viewer, account=account, brief=brief,
        sections=views.brief_sections(brief), cited=cited,
        cited_index={s.id: n for n, s in enumerate(cited, 1)},
        signals=signals, signal_types=SIGNAL_TYPES, type=type, since=since_day,
        deals=account_deals,
        open_deal=next((d for d in account_deals if d.stage not in ("won", "lost")), None),
    )  # fmt: skip


def _day_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise BadInput(f"not a date: {text!r} (use YYYY-MM-DD)") from None


# --- deal ------------------------------------------------------------------------------------


@router.get("/deals/{deal_id}")
def deal_page(request: Request, deal_id: int, session: SessionDep, viewer: PageViewer) -> Response:
    detail = deals.deal_detail(session, viewer.user, deal_id)
    account = accounts.get_account(session, viewer.user, detail.deal.account_id)
    process = _process(session, viewer.user.workspace_id)
    users = accounts.list_users(session, viewer.user.workspace_id)
    people = {u.id: reviews.person_label(u) for u in users}
    return page(
        request, "deal.html", viewer, detail=detail, account=account, process=process,
        checklist=views.checklist(detail, process), report=views.latest_report(detail),
        people=people, stage=process.stage(detail.deal.stage),
        described=views.criterion_descriptions(process),
    )  # fmt: skip


@router.post("/deals/{deal_id}/notes")
def add_note(
    request: Request,
    deal_id: int,
    session: SessionDep,
    settings: SettingsDep,
    viewer: FormViewer,
    text: Annotated[str, Form(min_length=1)],
    buyer_activity: Annotated[date | None, Form()] = None,
) -> Response:
    if len(text) > settings.max_note_chars:
        raise BadInput(f"the note is longer than {settings.max_note_chars:,} characters")
    gateway = LLMGateway(settings)
    note, _ = deals.add_note(
        session, viewer.user, deal_id, text, buyer_activity=buyer_activity,
        gateway=gateway if gateway.enabled else None,
    )  # fmt: skip
    return done(request, "Note saved and coached.", f"/deals/{deal_id}#note-{note.id}")


# --- manager pages -------------------------------------------------------------------------


@router.get("/reviews")
def reviews_page(
    request: Request,
    session: SessionDep,
    viewer: PageManager,
    status: str = Query("pending", max_length=16),
) -> Response:
    chosen = status if status in REVIEW_STATUSES else ""
    items = reviews.list_reviews(session, viewer.user, chosen or None)
    return page(
        request, "reviews.html", viewer, reviews=items, status=chosen,
        statuses=REVIEW_STATUSES, criteria_ids=sorted(CONTRACT_CRITERIA),
    )  # fmt: skip


@router.post("/reviews/{review_id}")
async def submit_review(
    request: Request, review_id: int, session: SessionDep, viewer: FormManager
) -> Response:
    form = await request.form()
    overrides = [
        Override.model_validate({"criterion": key[len(OVERRIDE_PREFIX) :], "status": value})
        for key, value in form.multi_items()
        if key.startswith(OVERRIDE_PREFIX) and value
    ]
    data = ReviewSubmit.model_validate(
        {
            "status": form.get("status"),
            "comment": form.get("comment") or "",
            "overrides": overrides,
        }
    )
    result = reviews.submit_review(session, viewer.user, review_id, data)
    changed = f" with {len(result.overrides)} override(s)" if result.overrides else ""
    message = f"{labels.status(result.status)}: {result.deal_name}{changed}."
    return done(request, message, "/reviews", remove=f"review-{review_id}")


@router.get("/pipeline")
def pipeline_page(request: Request, session: SessionDep, viewer: PageManager) -> Response:
    process = _process(session, viewer.user.workspace_id)
    return page(
        request, "pipeline.html", viewer, audit=audit_service.audit_workspace(session, viewer.user),
        process=process, previous=views.previous_stages(process),
        described=views.criterion_descriptions(process),
    )  # fmt: skip


# --- admin: sources ----------------------------------------------------------------------------


@router.get("/sources")
def sources_page(request: Request, session: SessionDep, viewer: PageAdmin) -> Response:
    rows = sources.list_sources(session, viewer.user)
    names = {a.id: a.name for a in accounts.list_accounts(session, viewer.user, limit=1000)}
    return page(request, "sources.html", viewer, sources=rows, accounts=names)


@router.post("/sources")
def add_source(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: FormAdmin,
    url: Annotated[str, Form(max_length=2048)],
    name: Annotated[str, Form(max_length=200)] = "",
    account_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    if account_id and not account_id.isdigit():
        raise BadInput(f"unknown account {account_id!r}")
    data = SourceCreate(url=url, name=name, account_id=int(account_id) if account_id else None)
    policy = AddressPolicy.build(allow_private=settings.allow_private_urls)
    source = sources.create_source(session, viewer.user, data, policy)
    return done(request, f"Source added: {source.name}.", "/sources")


@router.post("/sources/{source_id}/pause")
def pause_source(
    request: Request, source_id: int, session: SessionDep, viewer: FormAdmin
) -> Response:
    source = sources.visible_source(session, viewer.user, source_id)
    update = SourceUpdate(enabled=not source.enabled)
    source = ingest_flow.update_source(session, viewer.user, source_id, update)
    state = "resumed" if source.enabled else "paused"
    return done(request, f"Source {state}: {source.name}.", "/sources")


@router.post("/sources/{source_id}/fetch")
def fetch_source(
    request: Request, source_id: int, session: SessionDep, settings: SettingsDep, viewer: FormAdmin
) -> Response:
    source = sources.visible_source(session, viewer.user, source_id)
    report = ingest_flow.fetch_and_follow_up(session, settings, source)
    session.commit()  # keep the outcome on the source either way
    if report.failure is not None:
        return done(request, f"Fetch failed: {report.failure}", "/sources")
    return done(request, f"Fetched {source.name}: {source.last_new} new.", "/sources")


# --- process -----------------------------------------------------------------------------------


@router.get("/process")
def process_page(request: Request, session: SessionDep, viewer: PageViewer) -> Response:
    process = _process(session, viewer.user.workspace_id)
    return page(
        request, "process.html", viewer, process=process,
        described=views.criterion_descriptions(process),
    )  # fmt: skip
