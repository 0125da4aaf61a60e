from django import forms


class ChoicesForm(forms.Form):
    location = forms.CharField(max_length=200, required=False, help_text="City or region, as you want it printed.")
    headline = forms.CharField(label="A line of your choosing", max_length=300, required=False,
                               help_text="For example: “Available from March; happy to relocate.”")


class EmployerLinkForm(forms.Form):
    employer = forms.CharField(label="Who it is for", max_length=200, required=False,
                               help_text="How events and notices name them; the company by default.")
    days = forms.IntegerField(label="Days it works", min_value=1, max_value=120, initial=30)


class LetterUploadForm(forms.Form):
    letter = forms.FileField(label="Your letter (PDF, under 5 MB)")
    confidential = forms.BooleanField(
        label="Confidential: the candidate can send it to employers but never read it", required=False)
    reusable = forms.BooleanField(label="They may reuse it for other applications", required=False)


class BackdoorForm(forms.Form):
    employer = forms.CharField(label="Which employer contacted you", max_length=200)
    when = forms.DateField(label="When", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    listed = forms.ChoiceField(label="Did the candidate list you for them?",
                               choices=[("no", "No, or I don't know"), ("yes", "Yes")], initial="no")
    asked = forms.CharField(label="What they asked", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
