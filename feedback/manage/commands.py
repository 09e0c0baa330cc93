"""CLI commands of the manage area, registered by ``feedback.cli``: backups, retention, reset links."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from ..services.backup import BackupError, read_backup, restore_backup, write_backup
from ..services.retention import purge, retention_days
from ..store import current_store


@click.command("backup")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write the JSON backup to ('-' for standard output).")
def backup_command(out: Path) -> None:
    """Write a full JSON backup of the instance's data (holds password hashes: keep it safe)."""
    store = current_store()
    if str(out) == "-":
        write_backup(store, sys.stdout)
        return
    with out.open("w", encoding="utf-8") as handle:
        write_backup(store, handle)
    out.chmod(0o600)
    click.echo(f"Wrote {out}.", err=True)


@click.command("restore")
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(backup_file: Path) -> None:
    """Put a JSON backup back into this (empty) instance."""
    try:
        with backup_file.open(encoding="utf-8") as handle:
            count = restore_backup(current_store(), read_backup(handle))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored {count} data files from {backup_file}.")


@click.command("purge")
@click.option("--days", type=int, default=None,
              help="Keep this many days of responses (default: the set-up page's retention period).")
def purge_command(days: int | None) -> None:
    """Delete responses past the retention period, keeping monthly figures; erase old follow-up contacts.

    Meant to run daily, for example from cron: ``flask --app wsgi purge``.
    """
    store = current_store()
    keep = days if days is not None else retention_days(store, current_app.config["RETENTION_DAYS"])
    try:
        result = purge(store, days=keep, followup_days=current_app.config["FOLLOWUP_RETENTION_DAYS"])
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Removed {result.responses_removed} responses from before {result.cutoff} "
               f"(kept {result.cells_kept} monthly cells); erased {result.contacts_erased} follow-up contacts.")


@click.command("reset-link")
@click.argument("email")
def reset_link_command(email: str) -> None:
    """Print a single-use password-reset link (valid one hour) for the account EMAIL."""
    from ..auth.views import reset_link_for

    user = current_store().directory.user_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"no active account {email}")
    click.echo(reset_link_for(user))


@click.command("sign-out-everywhere")
@click.argument("email")
def sign_out_everywhere_command(email: str) -> None:
    """End every session of the account EMAIL, on every device."""
    from ..services.user_sessions import end_all_sessions

    user = current_store().directory.user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account {email}")
    click.echo(f"Ended {end_all_sessions(current_store(), user.id)} sessions of {user.email}.")


COMMANDS: list = [backup_command, restore_command, purge_command, reset_link_command, sign_out_everywhere_command]
