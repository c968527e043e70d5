"""Commands that set up the store, users, tokens and accounts."""

from __future__ import annotations

from pathlib import Path

import typer

from dealscout.accounts import auth, csv_import, service
from dealscout.accounts.bootstrap import admin_token
from dealscout.accounts.schemas import AccountCreate, AccountRead, UserCreate, UserRead
from dealscout.cli.app import accounts_app, app, process_app, tokens_app, users_app
from dealscout.cli.context import open_store
from dealscout.cli.output import JsonOpt, WorkspaceOpt, emit_json, fail
from dealscout.coach.process import load_process, shipped_processes


@app.command()
def init(workspace: str | None = WorkspaceOpt, json_out: bool = JsonOpt) -> None:
    """Create or migrate the store and the workspace, and print an admin token."""
    with open_store(workspace) as store:
        token = admin_token(store.session, store.admin, name="init")
        where = store.settings.sqlalchemy_url.split("@")[-1]
        workspace = store.workspace.name
    if json_out:
        emit_json(
            {"workspace": workspace, "admin": store.admin.email, "token": token, "store": where}
        )
        return
    typer.echo(
        f"store: {where}\nworkspace: {workspace}\nadmin: {store.admin.email}\ntoken: {token}"
    )


@users_app.command("add")
def users_add(
    email: str,
    role: str = typer.Option("rep", "--role", help="rep, manager or admin"),
    name: str = typer.Option("", "--name"),
    workspace: str | None = WorkspaceOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Add a user to the workspace."""
    if role not in ("rep", "manager", "admin"):
        fail(f"unknown role {role!r}: use rep, manager or admin")
    with open_store(workspace) as store:
        user = service.create_user(
            store.session,
            store.workspace.id,
            UserCreate(email=email, name=name, role=role),  # type: ignore[arg-type]
        )
        read = UserRead.model_validate(user)
    if json_out:
        emit_json(read)
        return
    typer.echo(f"added {read.email} ({read.role}) id={read.id}")


@users_app.command("list")
def users_list(workspace: str | None = WorkspaceOpt, json_out: bool = JsonOpt) -> None:
    """List the people of the workspace and their roles."""
    with open_store(workspace) as store:
        users = [
            UserRead.model_validate(u)
            for u in service.list_users(store.session, store.workspace.id)
        ]
    if json_out:
        emit_json({"users": users})
        return
    for user in users:
        typer.echo(f"{user.id:>5}  {user.role:<8} {user.email}  {user.name}")


@tokens_app.command("create")
def tokens_create(
    email: str = typer.Argument(..., help="The user's email."),
    name: str = typer.Option("", "--name"),
    expires_in_days: int | None = typer.Option(None, "--expires-in-days", min=1),
    workspace: str | None = WorkspaceOpt,
) -> None:
    """Create an API token for a user and print it (it is shown only once)."""
    with open_store(workspace) as store:
        user = service.find_user_by_email(store.session, store.workspace.id, email)
        if user is None:
            fail(f"unknown user {email!r}{service.user_found_in(store.session, email)}")
        _, raw = auth.issue_token(store.session, user, name=name, expires_in_days=expires_in_days)
    typer.echo(f"token: {raw}")


@tokens_app.command("list")
def tokens_list(workspace: str | None = WorkspaceOpt, json_out: bool = JsonOpt) -> None:
    """List the workspace's tokens (never the secret: its first characters only)."""
    with open_store(workspace) as store:
        emails = {u.id: u.email for u in service.list_users(store.session, store.workspace.id)}
        rows = [
            {
                "id": t.id,
                "user": emails.get(t.user_id, ""),
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at,
                "expires_at": t.expires_at,
                "revoked_at": t.revoked_at,
                "last_used_at": t.last_used_at,
            }
            for t in auth.list_tokens(store.session, store.workspace.id)
        ]
    if json_out:
        emit_json({"tokens": rows})
        return
    for row in rows:
        state = "revoked" if row["revoked_at"] else "active"
        typer.echo(f"{row['id']:>5}  {row['prefix']}…  {state:<8} {row['user']}  {row['name']}")


@tokens_app.command("revoke")
def tokens_revoke(token_id: int, workspace: str | None = WorkspaceOpt) -> None:
    """Revoke a token by id."""
    with open_store(workspace) as store:
        auth.revoke_token(store.session, store.workspace.id, token_id)
    typer.echo(f"revoked token {token_id}")


@accounts_app.command("add")
def accounts_add(
    name: str,
    domain: str | None = typer.Option(None, "--domain"),
    industry: str | None = typer.Option(None, "--industry"),
    employees: int | None = typer.Option(None, "--employees", min=0),
    region: str | None = typer.Option(None, "--region"),
    owner: str | None = typer.Option(None, "--owner", help="Owner's email."),
    alias: list[str] = typer.Option([], "--alias"),
    workspace: str | None = WorkspaceOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Add a target account."""
    data = AccountCreate(
        name=name,
        domain=domain,
        industry=industry,
        employee_count=employees,
        region=region,
        owner_email=owner,
        aliases=alias,
    )
    with open_store(workspace) as store:
        read = AccountRead.model_validate(service.create_account(store.session, store.admin, data))
    if json_out:
        emit_json(read)
        return
    typer.echo(f"added account {read.name} id={read.id}")


@accounts_app.command("import")
def accounts_import(
    path: Path, workspace: str | None = WorkspaceOpt, json_out: bool = JsonOpt
) -> None:
    """Import accounts from a CRM export CSV (all rows or none)."""
    if not path.is_file():
        fail(f"no such file: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        fail(f"{path} is not UTF-8 text")
    with open_store(workspace) as store:
        result = csv_import.import_accounts(store.session, store.admin, text)
    if json_out:
        emit_json(result)
        return
    typer.echo(f"created {result.created}, updated {result.updated}")


@accounts_app.command("list")
def accounts_list(workspace: str | None = WorkspaceOpt, json_out: bool = JsonOpt) -> None:
    """List the workspace's accounts."""
    with open_store(workspace) as store:
        rows = [
            AccountRead.model_validate(a)
            for a in service.list_accounts(store.session, store.admin, limit=1000)
        ]
    if json_out:
        emit_json([r.model_dump(mode="json") for r in rows])
        return
    for r in rows:
        typer.echo(f"{r.id:>5}  {r.name}  {r.domain or ''}")


@process_app.command("use")
def process_use(
    process: str = typer.Argument(..., help="A shipped process name or a process file path."),
    workspace: str | None = WorkspaceOpt,
) -> None:
    """Judge the workspace's deals against this sales process from now on."""
    loaded = load_process(process)  # refuses a broken file with its problems listed
    with open_store(workspace) as store:
        shipped = process in shipped_processes()
        store.workspace.process_name = process if shipped else str(Path(process).resolve())
    typer.echo(f"workspace {workspace!r} now uses {loaded.name} {loaded.version}")
