"""The workspace's seller profile: product, value proposition, ICP, competitors, personas."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy.orm import Session

from dealscout.accounts.models import User, Workspace
from dealscout.accounts.service import require_role
from dealscout.briefs.schemas import WorkspaceProfile
from dealscout.core.errors import BadInput, NotFound

MAX_PROFILE_BYTES = 256 * 1024


def get_profile(session: Session, workspace_id: int) -> WorkspaceProfile:
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound(f"workspace {workspace_id} not found")
    return WorkspaceProfile.model_validate(workspace.profile or {})


def set_profile(session: Session, user: User, profile: WorkspaceProfile) -> WorkspaceProfile:
    """Replace the profile of the user's workspace (managers and admins only)."""
    require_role(user, "manager", "admin")
    workspace = session.get(Workspace, user.workspace_id)
    if workspace is None:
        raise NotFound(f"workspace {user.workspace_id} not found")
    workspace.profile = profile.model_dump(mode="json")
    session.flush()
    return profile


def parse_profile_yaml(text: str, origin: str = "profile") -> WorkspaceProfile:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BadInput(f"{origin}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise BadInput(f"{origin}: expected a mapping of profile fields")
    try:
        return WorkspaceProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise BadInput(f"{origin}: {where}: {first['msg']}") from None


def dump_profile_yaml(profile: WorkspaceProfile) -> str:
    return yaml.safe_dump(profile.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def load_profile_file(path: str | Path) -> WorkspaceProfile:
    file = Path(path)
    if not file.is_file():
        raise BadInput(f"{path}: not a readable file")
    if file.stat().st_size > MAX_PROFILE_BYTES:
        raise BadInput(f"{path}: larger than {MAX_PROFILE_BYTES} bytes")
    return parse_profile_yaml(file.read_text(encoding="utf-8"), str(path))
