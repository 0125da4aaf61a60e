"""Drafts built from the facts: the template context, and the rendering of one draft.

The context is plain data (dicts, lists, strings) made here and only here:
it is everything a template may see, and docs/drafts.md documents it. User
templates never receive a model instance, a queryset or settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from goodword.lib import vocabulary
from goodword.outreach import sandbox
from goodword.outreach.models import (
    EVENT_KIND_FOR_DRAFT,
    DraftKind,
    MessageTemplate,
    Tone,
)
from goodword.references.models import Relationship

BUILTIN_DIR = Path(__file__).resolve().parent / "templates" / "outreach" / "messages"
NEEDS_JOB = {DraftKind.HEADS_UP, DraftKind.LETTER, DraftKind.TALKING_POINTS, DraftKind.OUTCOME, DraftKind.APOLOGY}


@dataclass
class Draft:
    kind: str
    tone: str
    event_kind: str
    to_name: str
    to_address: str
    subject: str
    body: str
    source: str  # "built-in" or "yours"
    # Advice for the sender, shown beside the draft and never sent (the gift idea).
    notes: list[str] = field(default_factory=list)
    template_html: str = ""  # the built-in body.html's output, HTML-escaped facts

    def html_fragment_for(self, text: str) -> str:
        """The HTML body for the text the user will send: the template's if unedited, else derived."""
        from goodword.outreach.emails import text_to_html_fragment

        if self.template_html and tidy(text) == self.body:
            return self.template_html
        return text_to_html_fragment(text)

    @property
    def html(self) -> str:
        from goodword.outreach.emails import html_document

        return html_document(self.html_fragment_for(self.body), self.subject)


class DraftProblem(Exception):
    """A draft that cannot be made (missing opportunity, broken user template…)."""


def _lines(text: str) -> list[str]:
    """A free-text field as a list: one item per line, bullets and blank lines dropped."""
    items = []
    for line in (text or "").splitlines():
        line = re.sub(r"^\s*(?:[-*•·]|\d+[.)])\s*", "", line).strip()
        if line:
            items.append(line)
    return items


REQUIREMENT_WORDS = re.compile(
    r"\b(experience|you will|you'll|must|required|requirements|proficien|familiar|skills?|ability|strong|lead|own)\b",
    re.IGNORECASE,
)


def posting_points(posting_text: str, limit: int = 6) -> list[str]:
    """What the posting asks for: its bullet lines, else sentences that read like requirements."""
    bullets = [
        re.sub(r"^\s*[-*•·]\s*", "", line).strip()
        for line in (posting_text or "").splitlines()
        if re.match(r"^\s*[-*•·]\s+\S", line)
    ]
    if not bullets:
        sentences = re.split(r"(?<=[.!?])\s+|\n+", posting_text or "")
        bullets = [s.strip() for s in sentences if REQUIREMENT_WORDS.search(s) and 10 < len(s.strip()) < 200]
    return [point.rstrip(".;") for point in bullets[:limit]]


# (words, suggestion): a like that names one of the words, as a whole word or
# its plural, gets the suggestion. Each one is a single gesture that reads
# well inside the thank-you ("… is on its way to you"), so no "they" or "or".
GIFT_IDEAS = [
    (("coffee", "espresso"), "a bag of beans from a good local roaster"),
    (("tea", "sencha", "matcha"), "a tin of good loose-leaf tea"),
    (("wine", "rioja", "barolo"), "a bottle of wine from a good local shop"),
    (("whisky", "whiskey", "bourbon", "beer", "mezcal"), "a bottle from a small local producer"),
    (("cookie", "baking", "cake"), "a batch of homemade cookies"),
    (("chocolate", "sweets"), "a box of good chocolate"),
    (("fishing", "fly", "flies"), "a small fly-fishing accessory from a local tackle shop"),
    (("book", "reading", "novel", "audiobook"), "a well-chosen book with a note inside the cover"),
    (("garden", "gardening", "plant", "succulent", "bonsai", "allotment"), "a potted herb for the garden"),
    (("running", "cycling", "hiking", "climbing", "marathon"), "a small piece of kit for the next outing"),
    (("music", "vinyl", "concert", "jazz", "record"), "a record from a local shop"),
]
_GIFT_PATTERNS = [
    (re.compile(r"\b(?:" + "|".join(words) + r")(?:s|es)?\b", re.IGNORECASE), suggestion)
    for words, suggestion in GIFT_IDEAS
]
GIFT_IDEAS_OFFERED = 4  # ideas offered per reference, their first likes first
NO_GIFT_IDEA = "a handwritten card"


def split_likes(likes: str) -> list[str]:
    """A reference's likes in the order they were written: one per comma, semicolon, line or sentence."""
    parts = re.split(r"[,;\n]|(?<=[.!?])\s+", likes or "")
    return [part.strip(" .!?") for part in parts if part.strip(" .!?")]


def gift_ideas(likes: str) -> list[dict]:
    """One idea per like, in the reference's own order (what they named first comes first)."""
    ideas: list[dict] = []
    for like in split_likes(likes):
        idea = next((suggestion for pattern, suggestion in _GIFT_PATTERNS if pattern.search(like)),
                    f"something small to do with {like[0].lower() + like[1:]}")
        if all(known["idea"] != idea for known in ideas):
            ideas.append({"like": like, "idea": idea})
    return ideas[:GIFT_IDEAS_OFFERED]


def gift_budget(relationship: str) -> str:
    if relationship == "hr_verifier":
        return "A card is enough; HR staff often may not accept gifts."
    if relationship in ("direct_report", "client"):
        return "Keep it modest (about 20–30 in your currency) so it reads as thanks, not as a favour returned."
    return "About 25–50 in your currency is plenty; the handwritten card matters more than the price."


def gift_idea(likes: str, relationship: str, chosen: str = "") -> dict:
    """The gift part of a draft's context: the ideas from what they like (first like
    first), the one the candidate chose (if any), and a budget that stays a gesture."""
    ideas = gift_ideas(likes)
    first = ideas[0] if ideas else {"like": "", "idea": NO_GIFT_IDEA}
    return {"idea": first["idea"], "based_on": first["like"], "ideas": ideas,
            "chosen": " ".join((chosen or "").split()), "budget": gift_budget(relationship)}


CALL_WHEN = {
    "lead": "later, if the process gets that far",
    "applied": "later, if the process gets that far",
    "interviewing": "in the next week or two, if the interviews keep going well",
    "references_requested": "within the next few days",
    "offer": "any day now",
    "landed": "they may already have called",
}


def _date(value) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def reference_context(reference) -> dict:
    return {
        "name": reference.name,
        "first_name": sandbox._first_name(reference.name),
        "email": reference.primary_email,
        "title": reference.title,
        "organisation": reference.organisation,
        "relationship": reference.relationship,
        "relationship_label": reference.get_relationship_display(),
        "is_hr_verifier": reference.is_hr_verifier,
        # A client saw the work delivered, not the daily work: the letter speaks
        # of that, and leaves the candidate's own interview points out.
        "is_client": reference.relationship == Relationship.CLIENT,
        "vouches_for": list(reference.vouches_for),
        "likes": reference.likes,
        "how_we_met": reference.how_we_met,
        "preferred_channel": reference.get_preferred_channel_display() if reference.preferred_channel else "",
    }


def job_context(opportunity) -> dict | None:
    if opportunity is None:
        return None
    interviews = list(opportunity.interviews.all())
    recap = {"questions": [], "strong_points": [], "weak_points": []}
    interview_rows = []
    for interview in interviews:
        row = {
            "when": _date(timezone.localtime(interview.when)),
            "with_whom": interview.with_whom,
            "format": interview.get_format_display(),
            "questions": _lines(interview.questions),
            "strong_points": _lines(interview.strong_points),
            "weak_points": _lines(interview.weak_points),
        }
        interview_rows.append(row)
        for key, gathered in recap.items():
            gathered.extend(item for item in row[key] if item not in gathered)
    stage = opportunity.stage or ""
    return {
        "company": opportunity.company,
        "role": opportunity.role,
        "stage": stage,
        "stage_label": opportunity.stage_label,
        "offer": stage == vocabulary.OFFER,
        "landed": stage == vocabulary.LANDED,
        "closed_without_offer": stage in vocabulary.LOST_STAGES,
        "start_date": _date(opportunity.start_date),
        "posting_url": opportunity.posting_url,
        # The requirements as the user corrected them on the opportunity page, else guessed from the text.
        "posting_points": [point.rstrip(".;") for point in opportunity.requirements[:6]]
        or posting_points(opportunity.posting_text),
        "checker": {
            "name": opportunity.checker_name,
            "email": opportunity.checker_email,
            "phone": opportunity.checker_phone,
        },
        "call_when": CALL_WHEN.get(stage, "when they reach the reference stage"),
        "interviews": interview_rows,
        "recap": recap,
    }


class MissingProfile(DraftProblem):
    """The candidate has not said who they are: nothing can be signed in their name."""

    def __init__(self, problem: str):
        self.problem = problem
        super().__init__(f"{problem} Drafts are signed with your name, so fill it in first.")


def candidate_context(user) -> dict:
    """The candidate as documents show them. The name falls back to the sender
    name or the account name only for pages that must show something (the
    portal); make_draft refuses to sign with anything but the candidate's own."""
    from goodword.accounts.services import candidate_phone
    from goodword.outreach.models import SmtpSettings

    smtp = SmtpSettings.objects.filter(owner=user).first()
    name = (user.get_full_name() or "").strip() or (smtp.from_name if smtp else "") or user.get_username()
    return {
        "name": name,
        "first_name": user.first_name.strip() or sandbox._first_name(name),
        "email": user.email or (smtp.from_address if smtp else ""),
        "phone": candidate_phone(user),
    }


def build_context(user, reference, opportunity=None, *, gift: str = "", kind: str = "") -> dict:
    from goodword.sheets.backdoor import open_unlisted_call

    return {
        "candidate": candidate_context(user),
        "reference": reference_context(reference),
        "job": job_context(opportunity),
        "gift": gift_idea(reference.likes, reference.relationship, gift),
        "today": _date(timezone.localdate()),
        # Only the thank-you speaks of it (one query, not paid by other kinds).
        "unlisted_call": open_unlisted_call(reference) if kind in ("", DraftKind.THANKS) else None,
    }


def builtin_sources(kind: str, tone: str, *, with_html: bool = False) -> dict[str, str]:
    folder = BUILTIN_DIR / kind / tone
    sources = {part: (folder / f"{part}.txt").read_text(encoding="utf-8") for part in sandbox.PARTS}
    if with_html:
        sources["html"] = (folder / "body.html").read_text(encoding="utf-8")
    return sources


def user_template(user, kind: str, tone: str):
    return MessageTemplate.objects.for_user(user).filter(kind=kind, tone=tone).first()


def validate_kind_and_tone(kind: str, tone: str) -> None:
    if kind not in DraftKind.values:
        raise DraftProblem(f"“{kind}” is not a kind of draft; choose one of: {', '.join(DraftKind.values)}.")
    if tone not in Tone.values:
        raise DraftProblem(f"“{tone}” is not a tone; choose {' or '.join(Tone.values)}.")


def tidy(text: str) -> str:
    """Trailing spaces off, and at most one blank line in a row (optional sections leave gaps)."""
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def make_draft(user, kind: str, reference, opportunity=None, tone: str = Tone.FRIENDLY, *, builtin_only=False,
               sources: dict[str, str] | None = None, gift: str = "") -> Draft:
    """The draft of one kind for one reference (and opportunity).

    The template is, in order: `sources` (a template from files, as
    `goodword draft --template DIR` reads them), the user's own saved one,
    the built-in one. Anything but the built-in renders in the sandbox's child process.
    `gift` is the gesture the candidate chose for a thank-you (gift.chosen).
    MissingProfile when the candidate has no name to sign with.
    """
    from goodword.accounts.services import profile_problem

    validate_kind_and_tone(kind, tone)
    problem = profile_problem(user)
    if problem:
        raise MissingProfile(problem)
    if kind in NEEDS_JOB and opportunity is None:
        raise DraftProblem(f"A {DraftKind(kind).label.lower()} is about one opportunity; choose the job too.")
    context = build_context(user, reference, opportunity, gift=gift, kind=kind)
    custom = None if builtin_only or sources else user_template(user, kind, tone)
    if custom is not None:
        sources = {"subject": custom.subject, "body": custom.body}
    try:
        if sources is not None:
            rendered = sandbox.render_untrusted(sources, context)
        else:
            rendered = sandbox.render_trusted(builtin_sources(kind, tone, with_html=True), context)
    except sandbox.TemplateProblem as problem:
        raise DraftProblem(f"Your {DraftKind(kind).label.lower()} template has a problem: {problem}") from None
    return Draft(
        kind=kind, tone=tone, event_kind=EVENT_KIND_FOR_DRAFT[DraftKind(kind)],
        to_name=reference.name, to_address=reference.primary_email,
        subject=" ".join(rendered["subject"].split()), body=tidy(rendered["body"]),
        source="yours" if sources is not None else "built-in",
        notes=sender_notes(kind, context),
        # Only built-in templates carry HTML: a user's own HTML would be shown
        # unescaped in the preview, so theirs get the HTML derived from text.
        template_html=rendered.get("html", "").strip(),
    )


def sender_notes(kind: str, context: dict) -> list[str]:
    if kind != DraftKind.THANKS:
        return []
    gift = context["gift"]
    after = f"{gift['budget']} A short handwritten note with it is what they will remember."
    if gift["chosen"]:
        return [f"Gift: {gift['chosen']}. {after}"]
    if not gift["ideas"]:
        return [f"Gift idea: {gift['idea']}. {after}"]
    ideas = "; ".join(f"{idea['idea']} (they like {idea['like']})" for idea in gift["ideas"])
    return [f"Gift ideas, what they like most first: {ideas}. {after}"]


def sample_context() -> dict:
    """A made-up context for previewing a template without choosing a reference."""
    return {
        "candidate": {"name": "Sam Rivera", "first_name": "Sam", "email": "sam@example.com", "phone": "+1 555 0100"},
        "reference": {
            "name": "Dana Whitfield", "first_name": "Dana", "email": "dana@example.com", "title": "Engineering Manager",
            "organisation": "Initech", "relationship": "manager", "relationship_label": "Manager",
            "is_hr_verifier": False, "is_client": False, "vouches_for": ["Led the billing migration", "Mentored two new hires"],
            "likes": "Fly fishing, strong coffee", "how_we_met": "She hired me in 2019.", "preferred_channel": "Email",
        },
        "job": {
            "company": "Northwind Traders", "role": "Platform Engineer", "stage": "references_requested",
            "stage_label": "References requested", "landed": False, "closed_without_offer": False,
            "offer": False, "start_date": "", "posting_url": "", "posting_points": ["Run production Kubernetes", "Lead incident response"],
            "checker": {"name": "Priya Raman", "email": "priya@northwind.example", "phone": ""},
            "call_when": CALL_WHEN["references_requested"],
            "interviews": [],
            "recap": {"questions": ["Tell us about a migration you led."], "strong_points": ["Incident leadership"],
                      "weak_points": ["Kubernetes depth"]},
        },
        "gift": gift_idea("Fly fishing, strong coffee", "manager", "a hand-tied fly from the shop on Burnside"),
        "today": "1 March 2026",
        "unlisted_call": None,
    }


# What a template can use; shown on the template page and in docs/drafts.md.
VARIABLES = [
    ("candidate.name, candidate.first_name, candidate.email, candidate.phone", "you, as your documents show you"),
    ("reference.name, reference.first_name, reference.email", "the reference"),
    ("reference.title, reference.organisation", "their title and organisation"),
    ("reference.relationship, reference.relationship_label", "manager, peer… (code and label)"),
    ("reference.vouches_for", "list: what they can vouch for"),
    ("reference.likes, reference.how_we_met, reference.preferred_channel", "text"),
    ("reference.is_hr_verifier", "true for an HR contact who only confirms title and dates"),
    ("reference.is_client", "true for a client: they saw the work delivered, not the daily work"),
    ("job", "empty (false) when no opportunity is chosen; test with {% if job %}"),
    ("job.company, job.role, job.stage, job.stage_label, job.posting_url", "the opportunity"),
    ("job.offer, job.landed, job.closed_without_offer", "true/false: an offer is on the table, landed, ended without one"),
    ("job.start_date", "e.g. “3 March 2026”, or empty"),
    ("job.posting_points", "list: what the posting asks for"),
    ("job.checker.name, job.checker.email, job.checker.phone", "who will check references"),
    ("job.call_when", "roughly when the checker will call"),
    ("job.recap.questions, job.recap.strong_points, job.recap.weak_points", "lists from all interviews"),
    ("job.interviews", "list of {when, with_whom, format, questions, strong_points, weak_points}"),
    ("gift.chosen", "the gesture you chose when composing the thank-you, e.g. “a bag of good coffee beans”; empty when none"),
    ("gift.ideas", "list of {like, idea}: one idea per thing they like, their first like first"),
    ("gift.idea, gift.based_on, gift.budget", "the first idea and the like it comes from; a budget that stays a gesture"),
    ("unlisted_call.employer, unlisted_call.asked", "an employer you never listed them for called them, not yet "
     "thanked (what they were asked, if they said); empty (false) otherwise"),
    ("today", "today's date"),
]
