from goodword.centres import services
from goodword.centres.models import Centre
from tests.factories.accounts import make_user


def make_centre(name="Northfield Careers", **fields) -> Centre:
    return services.create_centre(name, **fields)


def make_member(centre, username, role):
    user = make_user(username)
    return services.add_member(centre, user, role)


def make_coach_of(centre, coach_username, *candidates):
    """A coach membership assigned to each candidate membership given."""
    coach = make_member(centre, coach_username, "coach")
    for candidate in candidates:
        services.assign(candidate, coach)
    return coach
