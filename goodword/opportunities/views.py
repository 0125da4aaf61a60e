from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from goodword.core.prepared import prepared
from goodword.courtesy.ledger import request_open_debts, request_settings
from goodword.courtesy.pages import own_debts_context
from goodword.courtesy.refresh import changes_ledger
from goodword.courtesy.services import fatigue_warning
from goodword.lib import vocabulary
from goodword.lib.vocabulary import next_draft_kind, state_label
from goodword.opportunities import services
from goodword.opportunities.forms import (
    SLATE_LOG_KINDS,
    InterviewForm,
    NewOpportunityForm,
    OpportunityForm,
    SlateAddForm,
    SlateLogForm,
    StageForm,
)
from goodword.opportunities.models import CLOSED_STAGES, Interview, Listing, Opportunity, Stage, StageChange
from goodword.outreach.models import DRAFT_FOR_EVENT_KIND
from goodword.timeline import services as timeline
from goodword.timeline.models import Event

# The pipeline in the order a search moves, closed outcomes last.
STAGE_ORDER = vocabulary.STAGE_VALUES


@prepared
def _owned_opportunity(owner_id: int, pk: int):
    return Opportunity.objects.for_user(owner_id).filter(pk=pk)


def get_opportunity(request, pk):
    """The signed-in user's opportunity `pk`, or 404 (every opportunity page and action: compiled once)."""
    found = _owned_opportunity(request.user.pk, pk)
    if not found:
        raise Http404("No such opportunity.")
    return found[0]


# POST-only actions look the object up before checking the method, so that
# another user's id answers 404 whatever the method.
def not_a_post(request):
    return HttpResponseNotAllowed(["POST"]) if request.method != "POST" else None


GROUP_SHOWN = 20  # per stage on the whole pipeline; a stage's own page lists them all, PAGE_SIZE at a time
CLOSED_SHOWN = 5  # per closed stage (landed, rejected, ...): the past matters less than what is open
PAGE_SIZE = 50


def _pipeline(owner_id: int):
    return (
        Opportunity.objects.for_user(owner_id)
        .annotate(slate_size=Coalesce(Subquery(
            Listing.objects.filter(opportunity=OuterRef("pk")).order_by().values("opportunity")
            .annotate(n=Count("id")).values("n")
        ), 0))
        .order_by("-stage_since", "-id")
        .only("id", "owner_id", "company", "role", "references_wanted")  # not the postings' text, up to 50 KB each
    )


# The whole pipeline, every visit: compiled once (core/prepared.py).
@prepared
def _stage_totals(owner_id: int):
    return Opportunity.objects.for_user(owner_id).order_by().values_list("stage").annotate(n=Count("id"))


@prepared
def _latest_of_each_stage(owner_id: int):
    return _pipeline(owner_id).annotate(rank=Window(
        RowNumber(), partition_by=F("stage"), order_by=[F("stage_since").desc(), F("id").desc()],
    )).filter(Q(rank__lte=CLOSED_SHOWN) | Q(rank__lte=GROUP_SHOWN) & ~Q(stage__in=CLOSED_STAGES))


def opportunity_list(request):
    """The pipeline, stage by stage, newest first. A long search ends with
    hundreds of closed applications: the whole pipeline shows the latest
    GROUP_SHOWN of each stage (two queries), and filtering on a stage pages
    through all of it."""
    asked = request.GET.get("stage", "")
    stage = asked if asked in Stage.values else ""
    page = None
    if stage:
        page = Paginator(_pipeline(request.user.pk).filter(stage=stage), PAGE_SIZE).get_page(request.GET.get("page"))
        by_stage = {stage: list(page.object_list)} if page.object_list else {}
        totals = {stage: page.paginator.count}
    else:
        totals = dict(_stage_totals(request.user.pk))
        by_stage = {}
        for opportunity in _latest_of_each_stage(request.user.pk):
            by_stage.setdefault(opportunity.stage, []).append(opportunity)
    groups = [
        {"stage": value, "label": Stage(value).label, "closed": value in CLOSED_STAGES,
         "opportunities": by_stage[value], "total": totals.get(value, 0),
         "more": 0 if stage else max(0, totals.get(value, 0) - len(by_stage[value]))}
        for value in STAGE_ORDER
        if value in by_stage
    ]
    return render(request, "opportunities/list.html", {
        "groups": groups,
        "stage": stage,
        "unknown_stage": asked if asked and not stage else "",
        "page": page,
        "stage_choices": [(value, Stage(value).label) for value in STAGE_ORDER],
    })


# The detail page is built from three parts; each htmx action re-renders
# only its own part, the fallback re-renders the whole page.

@prepared
def _stage_changes(opportunity_id: int):
    return StageChange.objects.filter(opportunity_id=opportunity_id)


@prepared
def _interviews(opportunity_id: int):
    return Interview.objects.filter(opportunity_id=opportunity_id)


@prepared
def _events_about(owner_id: int, opportunity_id: int):
    # Of each event's reference only its name and link: no lists of emails and notes to decode.
    return (Event.objects.for_user(owner_id).filter(opportunity_id=opportunity_id).select_related("reference")
            .only("kind", "channel", "occurred_at", "note", "owner_id", "opportunity_id", "reference__name"))


def stage_context(opportunity, form=None, changed=None):
    return {
        "opportunity": opportunity,
        "stage_changes": _stage_changes(opportunity.pk),
        "stage_form": form or StageForm(opportunity=opportunity),
        "stage_changed": changed,
    }


# The step a slate row's log form offers first, by where the listing stands.
NEXT_LOGGED = {"listed": "agreed", "permission_asked": "agreed", "declined": "agreed", "agreed": "heads_up"}


def slate_context(request, opportunity, form=None, notice=""):
    logged_kinds = {value for value, _label in SLATE_LOG_KINDS}
    owed = {}  # reference id -> the action of its most pressing open debt here that a row can log
    drafts = {}  # reference id -> the draft that settles its most pressing open debt here (an apology first)
    open_debts, _today = request_open_debts(request)  # the kept ones while nothing changed
    for debt in open_debts:  # worst first
        if debt.opportunity_id == opportunity.pk and debt.reference_id:
            if debt.action in logged_kinds:
                owed.setdefault(debt.reference_id, debt.action)
            if debt.action in DRAFT_FOR_EVENT_KIND:
                drafts.setdefault(debt.reference_id, DRAFT_FOR_EVENT_KIND[debt.action])
    slate = [
        {"listing": listing, "state": state, "state_label": state_label(state),
         "draft_kind": drafts.get(listing.reference_id) or next_draft_kind(state),
         "log_kind": owed.get(listing.reference_id) or NEXT_LOGGED.get(state, "employer_contacted")}
        for listing, state in services.slate_with_states(opportunity)
    ]
    return {
        "opportunity": opportunity,
        "slate": slate,
        "slate_form": form or SlateAddForm(user=request.user, opportunity=opportunity),
        "slate_notice": notice,
        "log_kinds": SLATE_LOG_KINDS,
        "channels": SlateLogForm.base_fields["channel"].choices,
    }


def detail_context(request, opportunity, *, stage_form=None, slate_form=None):
    from goodword.opportunities.suggest_views import builder_context, wanted_param  # it builds on this module

    return {
        **builder_context(request, opportunity, wanted=wanted_param(request),
                          deferred=not ("suggest" in request.GET or "n" in request.GET)),
        **stage_context(opportunity, stage_form),
        **slate_context(request, opportunity, slate_form),
        "interviews": _interviews(opportunity.pk),
        "events": _events_about(request.user.pk, opportunity.pk),
    }


def opportunity_detail(request, pk):
    opportunity = get_opportunity(request, pk)
    context = detail_context(request, opportunity) | own_debts_context(request, opportunity=opportunity)
    return render(request, "opportunities/detail.html", context)


@require_http_methods(["GET", "POST"])
def opportunity_create(request):
    form = NewOpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.create_opportunity(
                request.user,
                stage=form.cleaned_data["stage"],
                stage_on=form.cleaned_data["stage_on"],
                **form.opportunity_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved {opportunity}.")
            return redirect(opportunity)
    return render(request, "opportunities/form.html", {"form": form, "opportunity": None})


@require_http_methods(["GET", "POST"])
def opportunity_edit(request, pk):
    opportunity = get_opportunity(request, pk)
    heading = str(opportunity)
    form = OpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.update_opportunity(get_opportunity(request, pk), **form.opportunity_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved {saved}.")
            return redirect(saved)
    return render(request, "opportunities/form.html", {"form": form, "opportunity": opportunity, "heading": heading})


@require_http_methods(["GET", "POST"])
def opportunity_delete(request, pk):
    opportunity = get_opportunity(request, pk)
    if request.method == "POST":
        label = str(opportunity)
        services.delete_opportunity(opportunity)
        messages.success(request, f"Deleted {label}.")
        return redirect("opportunities:list")
    counts = Opportunity.objects.for_user(request.user).filter(pk=opportunity.pk).aggregate(
        interviews=Count("interviews", distinct=True),
        listings=Count("listings", distinct=True),
        events=Count("events", distinct=True),
    )
    return render(request, "opportunities/confirm_delete.html", {"opportunity": opportunity, **counts})


@changes_ledger
def stage_change(request, pk):
    opportunity = get_opportunity(request, pk)
    if refused := not_a_post(request):
        return refused
    form = StageForm(request.POST, opportunity=opportunity)
    change = None
    if form.is_valid():
        try:
            change = services.change_stage(
                opportunity, form.cleaned_data["stage"], on=form.cleaned_data["changed_on"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
    if request.htmx:
        fresh = StageForm(opportunity=opportunity) if change else form
        return render(request, "opportunities/detail.html#stage", stage_context(opportunity, fresh, change))
    if change is None:
        return render(request, "opportunities/detail.html", detail_context(request, opportunity, stage_form=form))
    messages.success(request, f"{opportunity} is now at “{change.get_stage_display()}”.")
    return redirect(reverse("opportunities:detail", args=[pk]) + "#stage")


# Interviews -----------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def interview_create(request, pk):
    opportunity = get_opportunity(request, pk)
    form = InterviewForm(request.POST or None, instance=Interview(opportunity=opportunity))
    return _save_interview(request, form, opportunity, created=True)


@require_http_methods(["GET", "POST"])
def interview_edit(request, pk):
    interview = get_object_or_404(Interview.objects.for_user(request.user).select_related("opportunity"), pk=pk)
    form = InterviewForm(request.POST or None, instance=interview)
    return _save_interview(request, form, interview.opportunity, created=False)


def _save_interview(request, form, opportunity, *, created):
    if request.method == "POST" and form.is_valid():
        try:
            services.save_interview(form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{'Added' if created else 'Saved'} the interview for {opportunity}.")
            return redirect(reverse("opportunities:detail", args=[opportunity.pk]) + "#interviews")
    return render(request, "opportunities/interview_form.html", {
        "form": form, "opportunity": opportunity, "created": created,
    })


@require_http_methods(["GET", "POST"])
def interview_delete(request, pk):
    interview = get_object_or_404(Interview.objects.for_user(request.user).select_related("opportunity"), pk=pk)
    opportunity = interview.opportunity
    if request.method == "POST":
        services.delete_interview(interview)
        messages.success(request, f"Deleted the interview for {opportunity}.")
        return redirect(reverse("opportunities:detail", args=[opportunity.pk]) + "#interviews")
    return render(request, "opportunities/interview_confirm_delete.html", {"interview": interview})


# Slate ----------------------------------------------------------------------

def _slate_response(request, opportunity, *, form=None, notice=""):
    if request.htmx:
        return render(request, "opportunities/detail.html#slate", slate_context(request, opportunity, form, notice))
    if form is not None and form.errors:
        return render(request, "opportunities/detail.html", detail_context(request, opportunity, slate_form=form))
    if notice:
        messages.success(request, notice)
    return redirect(reverse("opportunities:detail", args=[opportunity.pk]) + "#slate")


@changes_ledger
def slate_add(request, pk):
    opportunity = get_opportunity(request, pk)
    if refused := not_a_post(request):
        return refused
    form = SlateAddForm(request.POST, user=request.user, opportunity=opportunity)
    if form.is_valid():
        reference = form.cleaned_data["reference"]
        # Asked before the listing exists, so the warning counts this one as the next.
        warning = fatigue_warning(reference, request_settings(request))
        try:
            services.add_to_slate(opportunity, reference, in_scope=form.cleaned_data["in_scope"])
        except ValidationError as error:
            # Field errors name their field (in_scope); the rest concern the reference.
            form.add_error(None if hasattr(error, "error_dict") else "reference", error)
        else:
            notice = f"Added {reference.name} to the slate."
            return _slate_response(request, opportunity, notice=f"{notice} {warning}" if warning else notice)
    return _slate_response(request, opportunity, form=form)


def get_listing(request, pk):
    return get_object_or_404(Listing.objects.for_user(request.user).select_related("reference"), pk=pk)


@changes_ledger
def slate_remove(request, pk):
    listing = get_listing(request, pk)
    if refused := not_a_post(request):
        return refused
    opportunity = get_opportunity(request, listing.opportunity_id)
    services.remove_from_slate(listing)
    return _slate_response(request, opportunity, notice=f"Removed {listing.reference.name} from the slate.")


@changes_ledger
def slate_move(request, pk):
    listing = get_listing(request, pk)
    if refused := not_a_post(request):
        return refused
    opportunity = get_opportunity(request, listing.opportunity_id)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if offset is None:
        return _slate_response(request, opportunity)
    services.move_listing(listing, offset)
    word = "up" if offset < 0 else "down"
    return _slate_response(request, opportunity, notice=f"Moved {listing.reference.name} {word}.")


@changes_ledger
def slate_log(request, pk):
    """Log what happened with one reference on the slate, from the slate row (a call, an answer)."""
    listing = get_listing(request, pk)
    if refused := not_a_post(request):
        return refused
    opportunity = get_opportunity(request, listing.opportunity_id)
    form = SlateLogForm(request.POST)
    if not form.is_valid():
        problem = " ".join(message for errors in form.errors.values() for message in errors)
        return _slate_response(request, opportunity, notice=f"Nothing logged: {problem}")
    try:
        event = timeline.log_event(request.user, listing.reference, form.cleaned_data["kind"], opportunity=opportunity,
                                   channel=form.cleaned_data["channel"])
    except ValidationError as error:
        return _slate_response(request, opportunity, notice=f"Nothing logged: {' '.join(error.messages)}")
    return _slate_response(request, opportunity,
                           notice=f"Logged “{event.get_kind_display()}” with {listing.reference.name}.")
