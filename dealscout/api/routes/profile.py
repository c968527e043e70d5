"""The workspace's seller profile that briefs use."""

from fastapi import APIRouter

from dealscout.api.deps import CurrentUser, ManagerUser, SessionDep
from dealscout.briefs import profile
from dealscout.briefs.schemas import WorkspaceProfile

router = APIRouter(prefix="/workspace", tags=["workspace"])


@router.get("/profile", response_model=WorkspaceProfile)
def get_profile(session: SessionDep, user: CurrentUser) -> WorkspaceProfile:
    return profile.get_profile(session, user.workspace_id)


@router.put("/profile", response_model=WorkspaceProfile)
def put_profile(data: WorkspaceProfile, session: SessionDep, user: ManagerUser) -> WorkspaceProfile:
    return profile.set_profile(session, user, data)
