"""Command-line interface: ``flask --app wsgi <command>``. Commands are thin; services do the work."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from .services.accounts import AccountError, create_user
from .store import current_store

__all__ = ["register_commands"]


@click.command("init")
@click.option("--email", prompt="Administrator e-mail", help="The first administrator's e-mail.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="The administrator's password (asked for when not given).")
def init_command(email: str, password: str) -> None:
    """Create the instance folder and the first administrator."""
    store = current_store()
    store.ensure()
    if any(u.role == "admin" for u in store.directory.users()):
        raise click.ClickException("this instance already has an administrator; use create-user")
    try:
        create_user(store, email=email, password=password, role="admin", display_name="Administrator")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Instance ready in {store.data_dir.parent}; administrator {email} created.")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "manager", "reviewer", "shopper", "staff"]))
@click.option("--branch", "branches", multiple=True, help="A branch a manager may see (repeat for more).")
@click.option("--staff", "staff_code", default="", help="For a staff account: the code of its staff member.")
@click.option("--name", default="", help="Display name.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(email: str, role: str, branches: tuple[str, ...], staff_code: str, name: str,
                        password: str) -> None:
    """Create a user with a role (and branches, for a manager; a staff member, for a staff account)."""
    from .services.setup import SetupError
    from .services.staff_accounts import create_staff_account

    store = current_store()
    member = store.directory.staff_by_code(staff_code) if staff_code else None
    if staff_code and member is None:
        raise click.ClickException(f"no staff member with code {staff_code!r}")
    if bool(member) != (role == "staff"):
        raise click.ClickException("a staff account needs --staff CODE, and only a staff account takes it")
    try:
        if member is not None:
            user = create_staff_account(store, email=email, password=password, staff_id=member.id, display_name=name)
        else:
            user = create_user(store, email=email, password=password, role=role, branches=list(branches),
                               display_name=name)
    except (AccountError, SetupError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {user.role} {user.email}.")


@click.command("seed-demo")
@click.option("--responses", default=5000, show_default=True, help="How many guest responses to make.")
@click.option("--visits", default=72, show_default=True, help="How many mystery-shopper visits to make.")
@click.option("--seed", default=2026, show_default=True, help="Random seed: the same seed, the same demo.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the instance already has data.")
@click.option("--branches", type=int, default=None,
              help="A system of this many branches instead of the three-branch demo (with --desks, --staff, --years).")
@click.option("--desks", type=int, default=None, help="With --branches: desks in all (default 4 a branch).")
@click.option("--staff", type=int, default=None, help="With --branches: staff in all (default 10 a branch).")
@click.option("--years", type=float, default=None, help="With --branches: years the responses span (default 3).")
def seed_demo_command(responses: int, visits: int, seed: int, if_empty: bool, branches: int | None,
                      desks: int | None, staff: int | None, years: float | None) -> None:
    """Fill the instance with demo branches, staff, accounts, responses and visits."""
    from .services.demo import seed_demo

    store = current_store()
    if if_empty and not store.directory.is_empty():
        click.echo("Instance already has data; not seeding.")
        return
    started = time.perf_counter()
    if branches or desks or staff or years:
        _seed_scale(store, branches or 100, desks, staff, responses, years or 3, visits, seed, started)
        return
    summary = seed_demo(store, responses=responses, visits=visits, seed=seed)
    click.echo(f"Seeded {summary.responses} responses and {summary.visits} visits "
               f"in {time.perf_counter() - started:.1f} s.")
    if summary.accounts:
        click.echo("Demo accounts (sign in at /auth/login):")
        for email, password, role in summary.accounts:
            click.echo(f"  {role:9} {email:26} password: {password}")


def _seed_scale(store, branches, desks, staff, responses, years, visits, seed, started) -> None:
    """The large demo (``services.demo_scale``), with progress on standard error."""
    from .services.demo_scale import seed_scale

    summary = seed_scale(store, branches=branches, desks=desks or 4 * branches, staff=staff or 10 * branches,
                         responses=responses, years=years, visits=visits, seed=seed,
                         progress=lambda text: click.echo(text, err=True))
    click.echo(f"Seeded {summary.branches} branches, {summary.desks} desks, {summary.staff} staff, "
               f"{summary.responses} responses and {summary.visits} visits in {time.perf_counter() - started:.1f} s.")
    for email, password, role in summary.accounts:
        click.echo(f"  {role:9} {email:26} password: {password}")


@click.command("export")
@click.argument("what", type=click.Choice(["responses", "visits"]))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write ('-' for standard output, CSV only).")
def export_command(what: str, fmt: str, out: Path) -> None:
    """Export every stored response or visit."""
    from .services import export

    writer = export.export_responses if what == "responses" else export.export_visits
    if str(out) == "-":
        if fmt != "csv":
            raise click.ClickException("only CSV can go to standard output")
        writer(current_store(), sys.stdout, fmt)
        return
    writer(current_store(), out, fmt)
    click.echo(f"Wrote {out}.", err=True)


@click.command("check")
@click.option("--restore", is_flag=True, help="Put back each corrupt file from the newest backup that has a good copy.")
def check_command(restore: bool) -> None:
    """Parse every data file, name any that is corrupt, and offer to restore it from a backup."""
    store = current_store()
    problems = store.corrupt_files()
    if not problems:
        click.echo("All data files parse.")
        return
    backups = store.backups.list()
    for problem in problems:
        click.echo(f"CORRUPT {problem.path}: {problem.reason}", err=True)
        if restore:
            source = store.backups.restore_file(problem.path)
            if source:
                click.echo(f"  restored from backup {source.name} (the corrupt file was kept beside it)", err=True)
            else:
                click.echo("  no backup holds a good copy of this file", err=True)
    if not restore:
        if backups:
            click.echo(f"The latest backup is {backups[0].name}. To restore the files above from it, run:\n"
                       f"  flask --app wsgi check --restore", err=True)
        else:
            click.echo("There is no backup to restore from.", err=True)
        raise SystemExit(1)
    if store.corrupt_files():
        raise SystemExit(1)


@click.command("migrate")
def migrate_command() -> None:
    """Bring every stored document to the current schema version (also done at start-up); safe to repeat."""
    from .store.migrations import migrate

    result = migrate(current_store())
    for kind, count in sorted(result.upgraded.items()):
        click.echo(f"Upgraded {count} {kind} documents.")
    for kind, count in sorted(result.newer.items()):
        click.echo(f"Left {count} {kind} documents written by newer code as they are.", err=True)
    click.echo(f"Store is at the current schema ({result.total} documents upgraded).")


@click.group("backups")
def backups_group() -> None:
    """Rotating backups of the data folder (taken automatically once a day)."""


@backups_group.command("take")
def take_backup_command() -> None:
    """Take a backup now."""
    click.echo(f"Backup taken: {current_store().backups.take()}")


@backups_group.command("list")
def list_backups_command() -> None:
    """List the backups, newest first."""
    for backup in current_store().backups.list():
        click.echo(backup.name)


def register_commands(app: Flask) -> None:
    """The commands above, then each area's own (posters, reports, backups...)."""
    from .jobs.commands import COMMANDS as job_commands
    from .kiosk.commands import COMMANDS as kiosk_commands
    from .manage.commands import COMMANDS as manage_commands
    from .reports.commands import COMMANDS as report_commands
    from .shop.commands import COMMANDS as shop_commands
    from .survey.commands import COMMANDS as survey_commands

    core = [init_command, create_user_command, seed_demo_command, export_command, check_command, migrate_command,
            backups_group]
    areas = survey_commands + kiosk_commands + shop_commands + manage_commands + report_commands + job_commands
    for command in core + areas:
        _run_in_app_context(command)
        app.cli.add_command(command)


def _run_in_app_context(command: click.Command) -> None:
    """Every command (and group member) runs inside the app context, also under test runners."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _run_in_app_context(sub)
    if command.callback is not None and not getattr(command.callback, "_feedback_in_context", False):
        command.callback = with_appcontext(command.callback)
        command.callback._feedback_in_context = True
