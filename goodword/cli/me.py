"""`goodword me`: who you are, as drafts and documents show you."""

from __future__ import annotations

import click


@click.command(
    epilog="""\b
Examples:
  goodword me                                   show your name, email and phone
  goodword me --name "Sam Rivera" --email sam@example.com --phone "+1 555 0100"
  goodword me --phone ""                        take the phone number off your documents
"""
)
@click.option("--name", help="Your name as drafts are signed (the first word is your first name).")
@click.option("--email", help="The email address your documents give (also where Goodword's own emails go).")
@click.option("--phone", help="The phone number your documents give.")
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON.")
def me(name, email, phone, as_json):
    """Show or set who you are. Drafts refuse to render until your name is set."""
    from goodword.cli import common

    # This command answers the question itself: it is never asked first.
    user = common.boot(ask_profile=False)
    from goodword.accounts.services import candidate_phone, profile_problem, update_profile

    if name is not None or email is not None or phone is not None:
        if name is not None:
            first, _, last = " ".join(name.split()).partition(" ")
        else:
            first, last = user.first_name, user.last_name
        with common.option_errors({"first_name": "--name", "last_name": "--name"}):
            update_profile(user, first_name=first, last_name=last,
                           email=user.email if email is None else email, phone=phone)
        click.echo("Saved. Drafts are signed with your name from now on.")
    problem = profile_problem(user)
    data = {"name": user.get_full_name(), "first_name": user.first_name, "email": user.email,
            "phone": candidate_phone(user), "complete": problem is None}
    if as_json:
        common.echo_json(data)
        return
    click.echo(f"Name:  {data['name'] or '(not set)'}")
    click.echo(f"Email: {data['email'] or '(not set)'}")
    click.echo(f"Phone: {data['phone'] or '(not set)'}")
    if problem:
        click.echo(f'{problem} Set it with: goodword me --name "Your Name"', err=True)
