"""Centre pages: a coach's read-only view of assigned candidates, the candidate's
own centre settings, and the admins' pages. Thin: services.py and reads.py decide."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from goodword.centres import reads, services
from goodword.centres.forms import AssignForm, InviteForm, NudgeForm, SharingForm
from goodword.centres.models import Access, Centre, Membership, Seat
from goodword.core.request_input import safe_next

AUDIT_PAGE = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Coach ---------------------------------------------------------------------------------

def cohort(request):
    if not Membership.objects.for_user(request.user).coaches().exists():
        raise Http404("You coach nobody here.")
    return render(request, "centres/cohort.html", {"rows": services.cohort(request.user)})


def _candidate_page(request, template, context, what, label=""):
    """Record the look, then show it: a page rendered is a page seen."""
    services.record_access(request.user, context["membership"], what, label)
    return render(request, template, context)


def candidate(request, pk):
    membership = services.coach_candidate(request.user, pk)
    context = {"membership": membership, "nudge_form": NudgeForm(), **reads.overview(request.user, membership)}
    return _candidate_page(request, "centres/candidate.html", context, Access.What.OVERVIEW)


def reference(request, pk, ref):
    membership = services.coach_candidate(request.user, pk)
    context = {"membership": membership, **reads.reference(request.user, membership, ref)}
    return _candidate_page(request, "centres/reference.html", context, Access.What.REFERENCE,
                           context["reference"].name)


def opportunity(request, pk, job):
    membership = services.coach_candidate(request.user, pk)
    context = {"membership": membership, **reads.opportunity(request.user, membership, job)}
    found = context["opportunity"]
    return _candidate_page(request, "centres/opportunity.html", context, Access.What.OPPORTUNITY,
                           f"{found.role} at {found.company}")


@require_POST
def nudge(request, pk):
    membership = services.coach_candidate(request.user, pk)
    form = NudgeForm(request.POST)
    if form.is_valid():
        try:
            services.nudge(request.user, membership, form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "Nudge left on their dashboard.")
    else:
        messages.error(request, "Write a nudge of at most 280 characters.")
    return redirect("centres:candidate", pk=membership.pk)


# --- Candidate -----------------------------------------------------------------------------

@require_POST
def dismiss_nudge(request, pk):
    if not services.dismiss_nudge(request.user, pk):
        raise Http404("No such nudge.")
    return redirect(safe_next(request, "/"))


@require_POST
def sharing(request):
    form = SharingForm(request.POST)
    share = form.is_valid() and form.cleaned_data["share_contacts"]
    if not services.set_share_contacts(request.user, share):
        raise Http404("You are in no career centre.")
    messages.success(request, "Your coaches now see your references' contact details." if share
                     else "Your coaches no longer see your references' contact details.")
    return redirect("core:settings")


@require_http_methods(["GET", "POST"])
def leave(request):
    membership = services.candidate_centre(request.user)
    if membership is None:
        raise Http404("You are in no career centre.")
    if request.method == "POST":
        centre = services.leave(request.user)
        messages.success(request, f"You left {centre}. Its coaches no longer see anything of yours.")
        return redirect("core:settings")
    return render(request, "centres/leave.html", {"membership": membership})


def looks(request):
    page = Paginator(services.looks_at(request.user), AUDIT_PAGE).get_page(request.GET.get("page"))
    return render(request, "centres/looks.html", {"page": page})


# --- Admin ---------------------------------------------------------------------------------

def admin_home(request, slug):
    centre = services.administered_centre(request.user, slug)
    return render(request, "centres/admin.html", _admin_context(centre))


def _admin_context(centre: Centre, **forms) -> dict:
    members = list(Membership.objects.filter(centre=centre).select_related("user")
                   .prefetch_related("assignments__coach__user"))
    return {
        "centre": centre, "members": members,
        "seats": Seat.objects.filter(centre=centre),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "assign_form": forms.get("assign_form") or AssignForm(centre=centre),
    }


@require_POST
def admin_invite(request, slug):
    centre = services.administered_centre(request.user, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            seat = services.invite(centre, form.cleaned_data["email"], form.cleaned_data["role"], request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Invited {seat.email} as {seat.get_role_display().lower()}.")
            return redirect("centres:admin", slug=centre.slug)
    return render(request, "centres/admin.html", _admin_context(centre, invite_form=form), status=400)


@require_POST
def admin_assign(request, slug):
    centre = services.administered_centre(request.user, slug)
    form = AssignForm(request.POST, centre=centre)
    if form.is_valid():
        try:
            services.assign_in_centre(request.user, centre, form.cleaned_data["candidate"].pk,
                                      form.cleaned_data["coach"].pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Assigned.")
            return redirect("centres:admin", slug=centre.slug)
    return render(request, "centres/admin.html", _admin_context(centre, assign_form=form), status=400)


@require_POST
def admin_unassign(request, slug, pk):
    centre = services.administered_centre(request.user, slug)
    if not services.unassign(request.user, centre, pk):
        raise Http404("No such assignment.")
    messages.success(request, "Unassigned.")
    return redirect("centres:admin", slug=centre.slug)


@require_POST
def admin_remove(request, slug, pk):
    centre = services.administered_centre(request.user, slug)
    try:
        removed = services.remove_member(request.user, centre, pk)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("centres:admin", slug=centre.slug)
    if not removed:
        raise Http404("No such member.")
    messages.success(request, "Removed from the centre.")
    return redirect("centres:admin", slug=centre.slug)


@require_POST
def admin_cancel_seat(request, slug, pk):
    centre = services.administered_centre(request.user, slug)
    services.cancel_seat(request.user, centre, pk)
    messages.success(request, "Invitation withdrawn.")
    return redirect("centres:admin", slug=centre.slug)


def audit(request, slug):
    centre = services.administered_centre(request.user, slug)
    page = Paginator(services.audit_log(request.user, centre), AUDIT_PAGE).get_page(request.GET.get("page"))
    return render(request, "centres/audit.html", {"centre": centre, "page": page})
