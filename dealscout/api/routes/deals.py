"""Deals, their coached notes, manager reviews and the pipeline audit."""

from fastapi import APIRouter, Query, UploadFile, status

from dealscout.api.deps import CurrentUser, IdPath, ManagerUser, SessionDep, SettingsDep
from dealscout.api.uploads import read_csv_upload
from dealscout.core.llm import LLMGateway
from dealscout.deals import audit, deletion, imports, reviews
from dealscout.deals import service as deals
from dealscout.deals.schemas import (
    DealCreate,
    DealDetail,
    DealRead,
    DealUpdate,
    DisagreementRow,
    NoteCreate,
    ReviewRead,
    ReviewSubmit,
)

router = APIRouter(tags=["deals"])


@router.get("/deals", response_model=list[DealRead])
def list_deals(session: SessionDep, user: CurrentUser, stage: str | None = None) -> list[DealRead]:
    return [DealRead.model_validate(d) for d in deals.list_deals(session, user, stage=stage)]


@router.post("/deals", response_model=DealRead, status_code=status.HTTP_201_CREATED)
def create_deal(data: DealCreate, session: SessionDep, user: CurrentUser) -> DealRead:
    return DealRead.model_validate(deals.create_deal(session, user, data))


@router.post("/deals/import", response_model=imports.DealImportResult)
def import_deals(
    file: UploadFile, session: SessionDep, user: ManagerUser
) -> imports.DealImportResult:
    text = read_csv_upload(file)
    return imports.import_deals(session, user, text)


@router.get("/deals/{deal_id}", response_model=DealDetail)
def get_deal(deal_id: IdPath, session: SessionDep, user: CurrentUser) -> DealDetail:
    return deals.deal_detail(session, user, deal_id)


@router.patch("/deals/{deal_id}", response_model=DealRead)
def update_deal(
    deal_id: IdPath, data: DealUpdate, session: SessionDep, user: CurrentUser
) -> DealRead:
    return DealRead.model_validate(deals.update_deal(session, user, deal_id, data))


@router.delete("/deals/{deal_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_deal(deal_id: IdPath, session: SessionDep, user: CurrentUser) -> None:
    deletion.delete_deal(session, user, deal_id)


@router.post(
    "/deals/{deal_id}/notes", response_model=DealDetail, status_code=status.HTTP_201_CREATED
)
def add_note(
    deal_id: IdPath, data: NoteCreate, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> DealDetail:
    """Store the note with its coach report; answers with the deal's updated state."""
    gateway = LLMGateway(settings)
    deals.add_note(
        session, user, deal_id, data.text, stage=data.stage,
        buyer_activity=data.buyer_activity, gateway=gateway if gateway.enabled else None,
    )  # fmt: skip
    return deals.deal_detail(session, user, deal_id)


@router.get("/reviews", response_model=list[ReviewRead])
def list_reviews(
    session: SessionDep,
    user: ManagerUser,
    review_status: str | None = Query("pending", alias="status"),
) -> list[ReviewRead]:
    return reviews.list_reviews(session, user, review_status or None)


@router.get("/reviews/disagreement", response_model=list[DisagreementRow])
def disagreement(session: SessionDep, user: ManagerUser) -> list[DisagreementRow]:
    return reviews.disagreement_rates(session, user)


@router.post("/reviews/{review_id}", response_model=ReviewRead)
def submit_review(
    review_id: IdPath, data: ReviewSubmit, session: SessionDep, user: ManagerUser
) -> ReviewRead:
    return reviews.submit_review(session, user, review_id, data)


@router.get("/pipeline/audit")
def pipeline_audit(session: SessionDep, user: ManagerUser) -> dict[str, object]:
    return audit.audit_workspace(session, user)
