"""Every form here renders its field groups and plain widgets in Python (goodword/core/boundfield.py):
byte for byte what Django's templates render, fresh, bound, and with errors."""

import pytest
from django.forms import BoundField
from django.utils.safestring import SafeString

from goodword.core.boundfield import QuickBoundField
from goodword.opportunities.forms import InterviewForm, OpportunityForm, SlateAddForm, StageForm
from goodword.outreach.forms import ComposeForm, GiftForm, SmtpSettingsForm, TemplateForm
from goodword.references.forms import ReferenceFilterForm, ReferenceForm
from goodword.timeline.forms import EventForm
from tests.factories.opportunities import make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db

BAD = {"name": "", "kind": "nonsense", "occurred_at": "not a date", "changed_on": "31/31/31", "when": "x",
       "emails": "not an email", "stage": "nope", "reference": "999999", "opportunity": "999999",
       "subject": "", "body": "", "port": "-1", "status": "<b>", "q": "<script>"}

ODD = {"name": "<Dana & 'Co'>", "note": 'a <b> & "q"\nline', "company": "<Acme & 'Sons'>", "role": "Dev \"lead\"",
       "posting_url": 'https://x.test/?a=1&b="2"', "subject": "Hi \"there\"", "body": "<p>", "in_scope": "on",
       "emails": "a@b.test\n<c@d.test>", "occurred_at": "2024-01-02T03:04", "references_wanted": "3", "port": "25"}


def forms_of(alice):
    job = make_opportunity(alice, company="Acme & Sons", role="<Engineer>")
    make_reference(alice, name="Dana <Whitfield>")
    makers = [
        lambda **kw: EventForm(user=alice, **kw),
        lambda **kw: EventForm(user=alice, opportunity=job, **kw),
        lambda **kw: ReferenceForm(**kw),
        lambda **kw: ReferenceFilterForm(**kw),
        lambda **kw: OpportunityForm(**kw),
        lambda **kw: StageForm(opportunity=job, **kw),
        lambda **kw: InterviewForm(**kw),
        lambda **kw: SlateAddForm(user=alice, opportunity=job, **kw),
        lambda **kw: ComposeForm(**kw),
        lambda **kw: GiftForm([{"idea": "Tea <&>", "like": "tea"}], **kw),
        lambda **kw: SmtpSettingsForm(**kw),
        lambda **kw: TemplateForm(**kw),
    ]
    for make in makers:
        yield make()
        bound = make(data=BAD)
        bound.is_valid()
        yield bound
        odd = make(data=ODD)
        odd.is_valid()
        yield odd
        yield make(prefix="p", auto_id="x_%s")
        yield make(auto_id=False)


def test_field_groups_match_djangos_templates_byte_for_byte(alice):
    checked = 0
    for form in forms_of(alice):
        for name in form.fields:
            quick = form[name]
            assert isinstance(quick, QuickBoundField)
            django = BoundField(form, form.fields[name], name)
            assert quick.as_field_group() == django.as_field_group(), (type(form).__name__, name)
            assert isinstance(quick.as_field_group(), SafeString)
            assert str(quick) == str(django), (type(form).__name__, name)
            assert quick.as_hidden() == django.as_hidden()
            assert quick.as_text() == django.as_text() and quick.as_textarea() == django.as_textarea()
            assert quick.label_tag() == django.label_tag()
            assert quick.legend_tag() == django.legend_tag()
            assert quick.label_tag("<i>x</i>", attrs={"class": "a&b", "hidden": True, "off": False}) == \
                django.label_tag("<i>x</i>", attrs={"class": "a&b", "hidden": True, "off": False})
            checked += 1
    assert checked > 100
