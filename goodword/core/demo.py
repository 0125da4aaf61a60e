"""A realistic, fictional sample so a new user sees a living app (`goodword demo`, `goodword serve --demo`).

Everything is dated relative to today, so the sample never goes stale, and
it deliberately leaves courtesy gaps of every kind the ledger knows
(tests/test_onboard_demo.py checks that each rule has something to say):

- Northwind asked for references 3 days ago; Priya agreed but has had no heads-up.
- Ruth was asked for a letter for Northwind and has no draft yet.
- Tessellate made an offer 4 days ago; nobody on its slate has heard (hold the announcement).
- The Juniper Grove contract landed 18 days ago; Samuel heard the news but was never thanked.
- Cobalt's hiring manager rang Jenna before she had any warning, and Cobalt wants
  four references, a manager among them; only two have agreed.
- Meridian's panel interview came after Hiroshi's heads-up: his briefing is stale.
- Priya is on four slates this month; Rafael, not heard from in eight months,
  went on the Harbor & Pine slate without being asked.

All names, companies, addresses and numbers are invented (".example" domains,
555-01xx numbers).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from goodword.accounts.services import profile_problem, update_profile
from goodword.opportunities import services as opportunities
from goodword.opportunities.models import Interview, Listing
from goodword.references import services as references
from goodword.references.models import Reference
from goodword.timeline.services import log_event

# key -> fields; known_since and consent_given_on are "days ago".
REFERENCES = {
    "dana": {
        "name": "Dana Whitfield", "emails": ["dana.whitfield@larkspur-analytics.example"], "phones": ["+1 503 555 0142"],
        "title": "Director of Platform Engineering", "organisation": "Larkspur Analytics", "relationship": "manager",
        "known_since": 1650, "how_we_met": "My manager for four years at Larkspur. She hired me onto the platform team "
        "and argued for my promotion to senior.",
        "vouches_for": ["Led the billing-platform migration off the monolith with no customer-facing downtime",
                        "Redesigned the on-call rotation; pages per week fell by half",
                        "Mentored three engineers to promotion"],
        "likes": "Fly fishing on the Deschutes, good single-origin coffee. Hand-tied flies from a local shop would delight her.",
        "preferred_channel": "phone", "preferred_hours": "Weekday evenings after 6", "consent_given_on": 125,
        "consent_scope": "Any engineering or engineering-management role",
        "notes": "Likes a call before anything lands in her inbox. Ask how her daughter's rowing season is going.",
    },
    "marcus": {
        "name": "Marcus Oyelaran", "emails": ["marcus.o@larkspur-analytics.example"], "phones": ["+1 503 555 0178"],
        "title": "VP of Engineering", "organisation": "Larkspur Analytics", "relationship": "skip_level", "known_since": 1500,
        "how_we_met": "Dana's manager. I presented the migration plan at his staff meeting every quarter.",
        "vouches_for": ["Cross-team influence during the migration", "Clear written proposals: started the RFC process"],
        "likes": "Rioja and Ribera del Duero; Blue Note-era jazz on vinyl.",
        "preferred_channel": "email", "preferred_hours": "Mornings, before his 10 o'clock stand-ups", "consent_given_on": 128,
        "notes": "Very busy: keep requests short and give him three bullet points he can read aloud.",
    },
    "priya": {
        "name": "Priya Venkataraman", "emails": ["priya.v@larkspur-analytics.example", "priya.codes@mailbox.example"],
        "phones": ["+1 503 555 0119"], "title": "Senior Software Engineer", "organisation": "Larkspur Analytics",
        "relationship": "peer", "known_since": 1400,
        "how_we_met": "We sat side by side on the platform team and co-owned the deploy pipeline.",
        "vouches_for": ["Day-to-day collaboration and thoughtful code review", "Pairing on the deploy-pipeline rewrite",
                        "Working an incident together at 3 a.m. without losing our tempers"],
        "likes": "Homemade cookies (oatmeal-raisin, never chocolate chip) and cooperative board games.",
        "preferred_channel": "text", "preferred_hours": "Lunchtime", "consent_given_on": 8,
        "notes": "Always happy to help; does best with specific talking points.",
    },
    "tomas": {
        "name": "Tomás Herrera", "emails": ["tomas.herrera@fernhill-logistics.example"], "phones": ["+1 971 555 0164"],
        "title": "Staff Engineer", "organisation": "Fernhill Logistics", "relationship": "peer", "known_since": 2600,
        "how_we_met": "Fellow engineer at Fernhill; we built the route-planning service together.",
        "vouches_for": ["Route-planning service design", "The Kafka event pipeline"],
        "likes": "Road cycling, mezcal from small Oaxacan producers; a bike-shop gift card never misses.",
        "preferred_channel": "email", "consent_given_on": 400, "status": "resting",
        "notes": "Has been called for me three times this year. Let him rest until spring.",
    },
    "jenna": {
        "name": "Jenna Kowalczyk", "emails": ["jenna.k@larkspur-analytics.example"], "phones": ["+1 503 555 0133"],
        "title": "Software Engineer II", "organisation": "Larkspur Analytics", "relationship": "direct_report", "known_since": 900,
        "how_we_met": "Joined my team as a new graduate; I was her lead for two years.",
        "vouches_for": ["Coaching and regular one-to-ones",
                        "Growing a new graduate into the confident owner of the metrics service"],
        "likes": "Succulents, taro bubble tea with less sugar, cosy indie video games.",
        "preferred_channel": "text", "consent_given_on": 33,
    },
    "samuel": {
        "name": "Samuel Adeyemi", "emails": ["samuel.adeyemi@fernhill-logistics.example"], "phones": ["+1 971 555 0187"],
        "title": "Senior Data Engineer", "organisation": "Fernhill Logistics", "relationship": "direct_report",
        "known_since": 2300, "how_we_met": "Reported to me on the data-platform squad at Fernhill.",
        "vouches_for": ["Hiring and onboarding", "Keeping priorities clear under peak-season pressure"],
        "likes": "Arsenal, jollof cook-offs with friends, good over-ear headphones.",
        "preferred_channel": "text", "preferred_hours": "After 7 pm", "consent_given_on": 29,
    },
    "ruth": {
        "name": "Ruth Lindqvist", "emails": ["r.lindqvist@bramblewood-health.example"], "phones": ["+1 360 555 0121"],
        "title": "Head of Operations", "organisation": "Bramblewood Health", "relationship": "client", "known_since": 1100,
        "how_we_met": "Bramblewood's sponsor for the clinic-scheduling rollout Larkspur built; we met weekly for eight months.",
        "vouches_for": ["Clinic-scheduling rollout delivered on time across 14 sites",
                        "Explaining technical trade-offs to non-engineers", "Steady hands during the audit week"],
        "likes": "Dark chocolate (70% and up), her allotment garden, Earl Grey.",
        "preferred_channel": "email", "preferred_hours": "Tuesdays and Thursdays", "consent_given_on": 7,
    },
    "amara": {
        "name": "Amara Nwosu", "emails": ["amara.nwosu@copperline-retail.example"], "phones": ["+1 415 555 0156"],
        "title": "Product Director", "organisation": "Copperline Retail", "relationship": "client", "known_since": 700,
        "how_we_met": "Led product on Copperline's side when Larkspur built their analytics export.",
        "vouches_for": ["Shipped the analytics export two weeks early", "Turning vague requirements into a plan"],
        "likes": "Good coffee (she roasts her own beans), half-marathons, audiobooks.",
        "preferred_channel": "video", "consent_given_on": 31,
    },
    "hiroshi": {
        "name": "Hiroshi Tanaka", "emails": ["hiroshi@tanaka-consulting.example"], "phones": ["+1 503 555 0190"],
        "title": "Principal Architect (semi-retired)", "organisation": "Independent", "relationship": "mentor", "known_since": 3000,
        "how_we_met": "Gave a talk on distributed systems at a local meetup; we have had coffee monthly ever since.",
        "vouches_for": ["Eight years of growth as an engineer", "Systems-design judgement"],
        "likes": "Bonsai, sencha green tea, handwritten letters.",
        "preferred_channel": "in_person", "preferred_hours": "Saturday mornings", "consent_given_on": 210,
    },
    "elena": {
        "name": "Prof. Elena Marchetti", "emails": ["e.marchetti@westbrook-university.example"],
        "title": "Associate Professor of Computer Science", "organisation": "Westbrook University", "relationship": "professor",
        "known_since": 4700, "how_we_met": "Supervised my undergraduate thesis on consensus protocols.",
        "vouches_for": ["Undergraduate thesis", "Teaching assistant for her distributed-systems course"],
        "likes": "Barolo, Italian crime novels, her department's Friday seminars.",
        "preferred_channel": "email", "status": "retired",
        "notes": "Too long ago to speak to recent work. Keep in touch, but do not list her any more.",
    },
    "karen": {
        "name": "Karen Holt", "emails": ["hr-verifications@fernhill-logistics.example"], "phones": ["+1 971 555 0100"],
        "title": "HR Business Partner", "organisation": "Fernhill Logistics", "relationship": "hr_verifier", "known_since": 2400,
        "how_we_met": "Fernhill's HR partner for engineering.",
        "vouches_for": ["Confirms title, dates of employment and salary"], "preferred_channel": "email",
                        "notes": "Employment verifier, not a professional reference: confirms facts only. No briefing needed.",
    },
    "greg": {
        "name": "Greg Pellman", "emails": ["greg.pellman@quillfeather-media.example"], "title": "Engineering Manager",
        "organisation": "Quillfeather Media", "relationship": "manager", "known_since": 3300,
        "how_we_met": "My first manager, at Quillfeather.", "status": "do_not_use",
        "notes": "Told a recruiter in a past search that I 'needed close supervision'. Never list him.",
    },
    "rafael": {
        "name": "Rafael Duarte", "emails": ["rafael.duarte@quillfeather-media.example"], "phones": ["+1 503 555 0163"],
        "title": "Tech Lead", "organisation": "Quillfeather Media", "relationship": "peer", "known_since": 3200,
        "how_we_met": "We started at Quillfeather the same week and shipped its first mobile API together.",
        "vouches_for": ["Building the first mobile API", "Keeping calm through launch week"],
        "likes": "Trail running, strong espresso, Brazilian jazz records.",
        "preferred_channel": "linkedin",
        "notes": "We drifted apart after Quillfeather; say hello before asking him for anything.",
    },
    "olivia": {
        "name": "Olivia Brandt", "emails": ["olivia@riverside-codeclub.example"], "phones": ["+1 503 555 0111"],
        "title": "Programme Coordinator", "organisation": "Riverside Code Club", "relationship": "other", "known_since": 1000,
        "how_we_met": "I teach Saturday coding classes for teenagers; she runs the programme.",
        "vouches_for": ["Volunteer teaching and curriculum design", "Three years without missing a session"],
        "likes": "Mystery novels, succulents, and homemade cookies for the Saturday class.",
        "preferred_channel": "email", "consent_given_on": 110,
    },
}

# key -> (fields, stage history as (stage, days ago, note), interviews, slate, events);
# create_opportunity takes no note, so the first stage carries none.
# interviews: (days ago (negative = upcoming), hour, format, with, questions, confirm, doubts)
# events: (reference key, kind, days ago, channel, note)
OPPORTUNITIES = {
    "harbor": (
        {"company": "Harbor & Pine Outfitters", "role": "Senior Platform Engineer",
         "posting_url": "https://careers.harborandpine.example/jobs/senior-platform-engineer", "references_wanted": 3,
         "notes": "Spotted on their careers page. Priya knows someone on the team."},
        [("lead", 3, "")], [],
        ["priya", "rafael"],
        [("priya", "permission_asked", 3, "text", "She offered to put in a word with the team."),
         ("priya", "agreed", 2, "text", "")],
    ),
    "cobalt": (
        {"company": "Cobalt Street Bank", "role": "Senior Backend Engineer, Payments", "references_wanted": 4,
         "posting_url": "https://jobs.cobaltstreet.example/4471",
         "posting_text": "We are looking for a senior backend engineer to help modernise our payments platform. "
             "You will lead the move from nightly batch jobs to event-driven settlement, mentor engineers, "
             "and work closely with risk and compliance. Experience with migrations of critical systems, "
             "on-call ownership and clear written design proposals is essential."},
        [("lead", 18, ""), ("applied", 12, "Applied on their site with a tailored cover letter.")], [],
        ["priya", "jenna"],
        [("priya", "permission_asked", 11, "text", "Cobalt's form asks for references with the application."),
         ("priya", "agreed", 11, "text", ""),
         ("jenna", "permission_asked", 11, "text", ""), ("jenna", "agreed", 10, "text", ""),
         ("priya", "heads_up", 10, "text", "Cobalt may call early; they check references before interviews."),
         ("jenna", "employer_contacted", 1, "phone",
          "Cobalt's hiring manager rang her before I had said a word about it."),
         ("marcus", "backdoor_call", 1, "portal",
          "A call you didn't list them for. Cobalt Payments contacted them about you.\nThey asked about: on-call."),
         ("amara", "letter_reused", 0, "",
          "Their letter (written for Tessellate) shared with Cobalt Payments; tell them, and thank them.")],
    ),
    "meridian": (
        {"company": "Meridian Freight", "role": "Staff Platform Engineer", "references_wanted": 4,
         "posting_url": "https://meridianfreight.example/careers/staff-platform"},
        [("lead", 35, ""), ("applied", 30, "Referred by a former Fernhill colleague."),
         ("interviewing", 16, "Recruiter screen booked.")],
        [(16, 10, "phone", "Lena Fischer, technical recruiter", "Why Meridian? What's your notice period?",
          "Motivation, clear story of the migration", ""),
         (6, 14, "panel", "Platform team: Raj, Inès and Tom",
          "Design multi-region failover for a dispatch API. Tell us about a time you disagreed with a design.",
          "Migration playbook; the on-call redesign", "Has not run Terraform at their scale; limited Go"),
         (-5, 11, "onsite", "Chloé Martin, Director of Infrastructure", "", "", "")],
        ["hiroshi", "priya"],
        # Listed under his standing consent while it was fresh; it has run out since (rule consent_stale).
        [("hiroshi", "in_scope", 32, "", "Any platform role is within what he agreed to."),
         ("priya", "permission_asked", 20, "text", ""), ("priya", "agreed", 20, "text", ""),
         ("hiroshi", "heads_up", 15, "email", "Meridian may call after the panel; the platform team is the one to win."),
         ("priya", "heads_up", 15, "text", ""),
         ("priya", "briefing", 5, "text", "Panel recap: confirm the migration playbook; Terraform and Go were the doubts.")],
    ),
    "northwind": (
        {"company": "Northwind Traders", "role": "Engineering Manager, Platform", "references_wanted": 3,
         "checker_name": "Sofia Marquez", "checker_email": "sofia.marquez@northwind.example",
         "checker_phone": "+1 206 555 0187", "posting_url": "https://northwind.example/careers/em-platform"},
        [("lead", 60, ""), ("applied", 54, ""), ("interviewing", 40, ""),
         ("references_requested", 3, "Sofia asked for three references, one of them a client.")],
        [(38, 9, "video", "Sofia Marquez, recruiter", "Walk me through your career so far.", "", ""),
         (24, 15, "panel", "Priya Raman (hiring manager) and two team leads",
          "Tell us about a migration you led. How do you grow senior engineers? A time you pushed back on a deadline.",
          "Incident leadership; how I grew Jenna into owning the metrics service",
          "Kubernetes depth; I have not yet managed managers"),
         (10, 13, "onsite", "Jonah Abrams, VP Engineering", "How would you set on-call expectations for a new team?",
          "Calm, structured communication", "Owning a budget")],
        ["dana", "priya", "ruth"],
        [("dana", "permission_asked", 9, "phone", "Asked whether she'd be a reference for the Northwind EM role."),
         ("dana", "agreed", 9, "phone", "“Happy to — call me the moment they ask.”"),
         ("priya", "permission_asked", 8, "text", ""),
         ("priya", "agreed", 8, "text", "“Of course! Send me what to say.”"),
         ("ruth", "permission_asked", 8, "email", ""),
         ("ruth", "agreed", 7, "email", "Glad to, and happy to write something if they want it."),
         ("dana", "heads_up", 3, "phone", "Sofia Marquez will call this week about the EM, Platform role."),
         ("ruth", "heads_up", 3, "email", "Told her Northwind would be in touch and that they want a client's view."),
         ("dana", "briefing", 2, "email", ("Panel recap: confirm incident leadership and how I grew Jenna; "
          "reinforce that I led through the re-org even without managing managers.")),
         ("ruth", "letter_requested", 2, "email", "Sofia asked for a short written recommendation from a client.")],
    ),
    "tessellate": (
        {"company": "Tessellate Health", "role": "Senior Site Reliability Engineer", "references_wanted": 3,
         "checker_name": "Imran Qureshi", "checker_email": "imran.qureshi@tessellate.example"},
        [("lead", 75, ""), ("applied", 70, ""), ("interviewing", 55, ""), ("references_requested", 33, ""),
         ("offer", 4, "Verbal offer; the written one should arrive this week.")],
        [(55, 10, "phone", "Imran Qureshi, recruiter", "Salary expectations; why healthcare?", "", ""),
         (45, 16, "video", "Dr. Alice Kwan, SRE manager", "How do you choose SLOs? Walk us through a postmortem.",
          "SLO design; blameless postmortems", "No on-call experience with clinical systems"),
         (38, 11, "panel", "Alice Kwan and three SREs", "Live debugging of a slow service; capacity planning.",
          "Methodical debugging under pressure", "Capacity planning for spiky traffic")],
        ["marcus", "jenna", "amara", "karen"],
        [("marcus", "permission_asked", 33, "email", ""), ("jenna", "permission_asked", 33, "text", ""),
         ("jenna", "agreed", 33, "text", "Said yes within minutes."), ("amara", "permission_asked", 33, "email", ""),
         ("marcus", "agreed", 32, "email", "“Send me three bullets and I'm in.”"),
         ("amara", "agreed", 31, "video", ""),
         ("marcus", "heads_up", 30, "email", "Imran Qureshi from Tessellate may call in the next two weeks."),
         ("jenna", "heads_up", 30, "text", ""), ("amara", "heads_up", 30, "email", ""),
         ("amara", "letter_requested", 30, "email", "Tessellate asked for one written recommendation."),
         ("marcus", "briefing", 29, "email", "Three bullets: SLO design, the on-call redesign, the RFC process."),
         ("jenna", "briefing", 29, "video", "Talked through how the metrics-service handover went."),
         ("amara", "draft_provided", 29, "email", ("A draft she could adjust: the export shipped early, "
          "and how I turned loose requirements into a plan.")),
         ("amara", "letter_sent", 26, "email", "She tightened the draft and sent it to Imran."),
         ("marcus", "employer_contacted", 25, "phone", "Imran called him; Marcus said it was a good conversation."),
         ("amara", "employer_contacted", 25, "email", ""),
         ("jenna", "employer_contacted", 24, "phone", "Twenty minutes with Imran, mostly about coaching."),
         ("karen", "permission_asked", 31, "email", "Checked that verifications still go through her."),
         ("karen", "agreed", 31, "email", "Yes: title, dates and salary band, as usual."),
         ("karen", "employer_contacted", 23, "email", "Confirmed title, dates and salary band for the background check."),
         ("karen", "thanked", 22, "email", "Thanked her for the quick verification.")],
    ),
    "juniper": (
        {"company": "Juniper Grove Software", "role": "Platform Consultant (3-month contract)", "references_wanted": 2,
         "checker_name": "Noor Haddad", "checker_email": "noor@junipergrove.example",
         "notes": "Noor reached out after my conference talk."},
        [("lead", 50, ""), ("applied", 47, ""), ("interviewing", 40, ""),
         ("references_requested", 28, ""), ("offer", 22, ""),
         ("landed", 18, "Signed: three months of part-time platform work while the permanent search goes on.")],
        [(40, 15, "video", "Noor Haddad, CTO", "How would you untangle our deploy process in twelve weeks?",
          "The migration playbook", "Has not worked as a consultant before")],
        ["dana", "hiroshi", "samuel"],
        [("dana", "permission_asked", 30, "phone", ""), ("dana", "agreed", 30, "phone", ""),
         ("hiroshi", "permission_asked", 30, "in_person", "Asked over Saturday coffee."),
         ("hiroshi", "agreed", 30, "in_person", ""),
         ("samuel", "permission_asked", 29, "text", ""), ("samuel", "agreed", 29, "text", "“Anything for you, boss.”"),
         ("dana", "heads_up", 28, "phone", "Noor Haddad, CTO of Juniper Grove, will call about a short contract."),
         ("hiroshi", "heads_up", 28, "email", ""), ("samuel", "heads_up", 28, "text", ""),
         ("dana", "briefing", 27, "email", "Confirm the migration; reinforce that I can work independently."),
         ("hiroshi", "briefing", 27, "in_person", "Talked through the consulting angle."),
         ("dana", "employer_contacted", 25, "phone", ""), ("hiroshi", "employer_contacted", 24, "phone", ""),
         ("samuel", "employer_contacted", 24, "phone", ""),
         ("dana", "outcome_shared", 17, "phone", "Called her first; she was thrilled."),
         ("hiroshi", "outcome_shared", 17, "in_person", ""), ("samuel", "outcome_shared", 16, "text", ""),
         ("hiroshi", "thanked", 16, "in_person", "A handwritten card and a tin of sencha."),
         ("dana", "thanked", 15, "phone", ""),
         ("dana", "gift", 14, "other", "Hand-tied Deschutes flies from the fly shop on Burnside.")],
    ),
    "quarry": (
        {"company": "Quarry Lane Games", "role": "Senior Backend Engineer", "references_wanted": 2},
        [("lead", 140, ""), ("applied", 135, ""), ("interviewing", 120, ""), ("references_requested", 105, ""),
         ("rejected", 95, "They went with an internal candidate; the recruiter was kind about it.")],
        [(120, 14, "panel", "Two backend leads", "Design a leaderboard service; a conflict you resolved.",
          "Kafka event pipeline at Fernhill", "No games-industry experience")],
        ["tomas", "olivia"],
        [("tomas", "permission_asked", 108, "email", ""), ("tomas", "agreed", 108, "email", ""),
         ("olivia", "permission_asked", 108, "email", ""), ("olivia", "agreed", 107, "email", ""),
         ("tomas", "heads_up", 106, "email", ""), ("olivia", "heads_up", 106, "email", ""),
         ("tomas", "briefing", 106, "video", "Confirm the event pipeline; reinforce scale."),
         ("tomas", "employer_contacted", 103, "phone", ""), ("olivia", "employer_contacted", 102, "phone", ""),
         ("tomas", "outcome_shared", 94, "email", "Let him know it went to an internal candidate."),
         ("olivia", "outcome_shared", 94, "email", ""),
         ("tomas", "thanked", 93, "other", "Sent a bottle of mezcal from a small Oaxacan producer."),
         ("olivia", "thanked", 92, "in_person", "Brought homemade cookies for the Saturday class.")],
    ),
    "brightwater": (
        {"company": "Brightwater Energy", "role": "Engineering Manager, Grid Platform", "references_wanted": 3},
        [("lead", 110, ""), ("applied", 104, ""), ("interviewing", 90, ""),
         ("withdrawn", 80, "The role became five days a week on site, two hours away.")],
        [(90, 10, "video", "Greg Olsen, Head of Engineering", "Why move into energy?", "", "")],
        [], [],
    ),
}

# Life between applications: (reference key, kind, days ago, channel, note).
OTHER_EVENTS = [
    ("greg", "note", 300, "", "Heard from a recruiter that he called me someone who 'needs close supervision'."),
    ("rafael", "keep_in_touch", 240, "linkedin", "Congratulated him on making tech lead."),
    ("amara", "keep_in_touch", 200, "linkedin", "Congratulated her on the move to Product Director."),
    ("elena", "keep_in_touch", 160, "email", "Sent her our team's paper on deploy safety; she wrote back a lovely note."),
    ("ruth", "keep_in_touch", 150, "email", "Sent photos from the last clinic go-live."),
    ("samuel", "keep_in_touch", 140, "text", "Congratulations on his promotion to senior."),
    ("marcus", "meeting", 130, "video", "Farewell chat after the layoff; he offered to be a reference any time."),
    ("dana", "meeting", 125, "in_person", "Coffee after the layoff; she offered to vouch for me before I asked."),
    ("hiroshi", "keep_in_touch", 75, "in_person", "Saturday coffee: lead with the on-call story, he says."),
    ("tomas", "call", 60, "phone", "Caught up. He asked to sit out the next few searches; marked him resting."),
    ("jenna", "keep_in_touch", 50, "text", "She's leading her first project. Proud of her."),
    ("hiroshi", "keep_in_touch", 45, "in_person", ""),
    ("olivia", "meeting", 30, "in_person", "End-of-term showcase at the code club."),
]


def is_loaded(user) -> bool:
    # Name and organisation together, so a real "Dana Whitfield" of the user's own does not count.
    sample = REFERENCES["dana"], REFERENCES["ruth"], REFERENCES["hiroshi"]
    return any(
        Reference.objects.for_user(user).filter(name=fields["name"], organisation=fields["organisation"]).exists()
        for fields in sample
    )


DEMO_CANDIDATE = {"first_name": "Jordan", "last_name": "Avery"}
DEMO_CANDIDATE_EMAIL = "jordan.avery@mailbox.example"
DEMO_CANDIDATE_PHONE = "+1 503 555 0105"


@transaction.atomic
def load_demo(user) -> bool:
    """Load the sample for user; False (and nothing changed) when it is already there."""
    # Holding the user's row makes two concurrent loads queue instead of both loading.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if is_loaded(user):
        return False
    today = timezone.localdate()
    if profile_problem(user):
        # Drafts refuse to sign as "me": the sample brings its candidate, unless you already said who you are.
        update_profile(user, **DEMO_CANDIDATE, email=user.email or DEMO_CANDIDATE_EMAIL, phone=DEMO_CANDIDATE_PHONE)
    refs = {key: references.create_reference(user, **_dated(fields, today)) for key, fields in REFERENCES.items()}
    times = _Clock(today)
    for fields, history, interviews, slate, events in OPPORTUNITIES.values():
        (first, first_days, _), *later = history
        job = opportunities.create_opportunity(user, stage=first, stage_on=today - dt.timedelta(days=first_days), **fields)
        for stage, days, note in later:
            opportunities.change_stage(job, stage, on=today - dt.timedelta(days=days), note=note)
        for days, hour, format_, with_whom, questions, confirm, doubts in interviews:
            opportunities.save_interview(Interview(
                opportunity=job, when=times.at(days, hour), format=format_, with_whom=with_whom,
                questions=questions, strong_points=confirm, weak_points=doubts,
            ))
        for key in slate:
            listing = opportunities.add_to_slate(job, refs[key])
            # A sample listed "today" would look fresh to the rules that read the
            # listing date (fatigue, no permission): date it when it really began.
            listed_days = max([days for who, _, days, _, _ in events if who == key], default=history[-1][1])
            Listing.objects.filter(pk=listing.pk).update(created_at=times.at(listed_days, 8))
        for key, kind, days, channel, note in events:
            log_event(user, refs[key], kind, opportunity=job, channel=channel, occurred_at=times.next(days), note=note)
    for key, kind, days, channel, note in OTHER_EVENTS:
        log_event(user, refs[key], kind, channel=channel, occurred_at=times.next(days), note=note)
    return True


def _dated(fields: dict, today: dt.date) -> dict:
    values = dict(fields)
    for name in ("known_since", "consent_given_on"):
        if name in values:
            values[name] = today - dt.timedelta(days=values[name])
    return values


class _Clock:
    """Times of day for the sample: events on the same day follow each other in the order listed."""

    def __init__(self, today):
        self.today = today
        self.used: dict[int, int] = {}

    def at(self, days_ago: int, hour: int, minute: int = 0):
        day = self.today - dt.timedelta(days=days_ago)
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        if days_ago < 0:
            return moment  # an upcoming interview stays upcoming
        # Loaded early in the morning, "today at 9:37" has not happened yet.
        return min(moment, timezone.now() - dt.timedelta(minutes=1))

    def next(self, days_ago: int):
        count = self.used.get(days_ago, 0)
        self.used[days_ago] = count + 1
        return self.at(days_ago, 9 + (count * 37) // 60, (count * 37) % 60)
