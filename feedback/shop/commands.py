"""CLI commands of the shop area, registered by ``feedback.cli``."""

from __future__ import annotations

import click
from flask import current_app, url_for

from ..services.accounts import AccountError
from ..services.invitations import INVITATION_VALID_FOR, invite_shopper
from ..store import current_store

__all__ = ["COMMANDS"]


@click.command("invite-shopper")
@click.argument("email")
@click.option("--name", default="", help="The shopper's display name.")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where guests and staff reach this installation; the link starts with it.")
def invite_shopper_command(email: str, name: str, base_url: str) -> None:
    """Invite a mystery shopper: print a single-use link to set a password."""
    try:
        invitation = invite_shopper(current_store(), email=email, display_name=name,
                                    secret_key=current_app.config["SECRET_KEY"])
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    with current_app.test_request_context(base_url=base_url):
        link = url_for("shop.welcome", token=invitation.token, _external=True)
    click.echo(f"Invitation for {invitation.user.email} (valid {INVITATION_VALID_FOR.days} days, once):")
    click.echo(link)


COMMANDS: list = [invite_shopper_command]
