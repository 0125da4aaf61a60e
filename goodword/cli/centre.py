"""`goodword centre`: run a career centre from the command line (docs/centres.md).

create, invite, add and assign are the operator's: they act on the database, for no
signed-in user. leave is the candidate's own, as the CLI user.
"""

from __future__ import annotations

import click

ROLES = ["admin", "coach", "candidate"]  # mirrors goodword.centres.models.Role


@click.group(
    epilog="""\b
Examples:
  goodword centre create "Northfield Careers" --organisation "Northfield University"
  goodword centre invite dana@example.edu --role admin --centre northfield-careers
  goodword centre invite coach@example.edu --role coach --centre northfield-careers
  goodword centre invite sam@example.edu --role candidate --centre northfield-careers
  goodword centre add sam --role candidate --centre northfield-careers   (an account you made)
  goodword centre assign sam@example.edu --coach coach@example.edu
  goodword centre leave                  (as the candidate: your coaches stop seeing your data)
"""
)
def centre():
    """Career centres: create one, invite or add its people, assign candidates to coaches, leave."""


def _setup():
    from goodword.cli import _django

    _django.setup()


def _member(email: str, role: str, *, centre=None):
    from django.db.models import Q

    from goodword.centres.models import Membership

    members = Membership.objects.filter(Q(user__email__iexact=email.strip()), role=role).select_related("centre")
    if centre is not None:
        members = members.filter(centre=centre)
    found = list(members[:2])
    if not found:
        where = f" of {centre.slug}" if centre is not None else ""
        raise click.ClickException(f"No {role}{where} has the email {email}; invite them first "
                                   f"(`goodword centre invite {email} --role {role} --centre SLUG`).")
    if len(found) > 1:
        raise click.ClickException(f"{email} is a {role} of several centres; say which with --centre SLUG.")
    return found[0]


@centre.command(epilog="""\b
Examples:
  goodword centre create "Northfield Careers"
  goodword centre create "Outplacement Team" --organisation "Acme Partners" --slug acme
""")
@click.argument("name")
@click.option("--organisation", default="", help="The organisation the centre belongs to.")
@click.option("--slug", default="", help="Its short name in addresses and commands (default: from NAME).")
def create(name, organisation, slug):
    """Create a centre named NAME and print its slug."""
    _setup()
    from goodword.centres import services

    made = services.create_centre(name, organisation=organisation, slug=slug)
    click.echo(made.slug)
    click.echo(f"Created {made.name}. Next: goodword centre invite EMAIL --role admin --centre {made.slug}", err=True)


@centre.command(epilog="""\b
Examples:
  goodword centre invite coach@example.edu --role coach --centre northfield-careers
  goodword centre invite sam@example.edu --role candidate --centre northfield-careers
""")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What they will be in the centre.")
@click.option("--centre", "slug", required=True, help="The centre's slug (see `goodword centre create`).")
def invite(email, role, slug):
    """Keep a seat for EMAIL; they take it when they sign in with that verified address."""
    _setup()
    from goodword.centres import services
    from goodword.centres.models import Centre, Membership

    found = Centre.objects.filter(slug=slug.strip().lower()).first()
    if found is None:
        raise click.ClickException(f"No centre has the slug {slug}; `goodword centre create NAME` makes one.")
    seat = services.invite(found, email, role, None)
    joined = Membership.objects.filter(centre=found, role=role, user__email__iexact=seat.email).exists()
    click.echo(f"{seat.email} is now a {role} of {found.name}." if joined
               else f"Invited {seat.email} as {role} of {found.name}; the seat is theirs once they sign in.")


@centre.command(epilog="""\b
Examples:
  goodword centre add sam --role candidate --centre northfield-careers
  goodword centre add coach@example.edu --role coach --centre northfield-careers

\b
For accounts you made yourself (an operator's `createsuperuser` or the admin):
the invited person's own sign-in takes a seat only by an address they verified.
""")
@click.argument("account")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What they will be in the centre.")
@click.option("--centre", "slug", required=True, help="The centre's slug.")
def add(account, role, slug):
    """Put an existing ACCOUNT (username or email) in the centre now, vouched for by you."""
    _setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from goodword.centres import services
    from goodword.centres.models import Centre

    found = Centre.objects.filter(slug=slug.strip().lower()).first()
    if found is None:
        raise click.ClickException(f"No centre has the slug {slug}; `goodword centre create NAME` makes one.")
    users = list(get_user_model().objects.filter(Q(username=account) | Q(email__iexact=account.strip()))[:2])
    if len(users) != 1:
        raise click.ClickException(f"{'No' if not users else 'More than one'} account is {account}; "
                                   "give the username.")
    services.add_member(found, users[0], role)
    click.echo(f"{users[0].get_username()} is now a {role} of {found.name}.")


@centre.command(epilog="""\b
Examples:
  goodword centre assign sam@example.edu --coach coach@example.edu
  goodword centre assign sam@example.edu --coach coach@example.edu --unassign
""")
@click.argument("candidate_email")
@click.option("--coach", "coach_email", required=True, help="The coach's email (a coach of the candidate's centre).")
@click.option("--unassign", is_flag=True, help="Take the candidate away from this coach instead.")
def assign(candidate_email, coach_email, unassign):
    """Let the coach read the candidate's data (or stop it, with --unassign)."""
    _setup()
    from goodword.centres import services
    from goodword.centres.models import Assignment

    candidate = _member(candidate_email, "candidate")
    coach = _member(coach_email, "coach", centre=candidate.centre)
    if unassign:
        deleted, _ = Assignment.objects.filter(candidate=candidate, coach=coach).delete()
        click.echo(f"Unassigned {candidate_email} from {coach_email}." if deleted else "They were not assigned.")
        return
    services.assign(candidate, coach)
    click.echo(f"{coach_email} now coaches {candidate_email} in {candidate.centre.name}.")


@centre.command(epilog="""\b
Examples:
  goodword centre leave          leave your career centre, as the CLI user
  goodword centre leave --yes    without asking
""")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def leave(yes):
    """Leave your career centre: its coaches no longer see anything of yours."""
    from goodword.cli import common

    user = common.boot(ask_profile=False)
    from goodword.centres import services

    membership = services.candidate_centre(user)
    if membership is None:
        raise click.ClickException("You are in no career centre.")
    if not yes:
        click.confirm(f"Leave {membership.centre.name}?", abort=True, err=True)
    services.leave(user)
    click.echo(f"You left {membership.centre.name}.")
