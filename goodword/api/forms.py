from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. “job tracker”.")
    scope = forms.ChoiceField(
        choices=[("read_write", "Read and write"), ("read", "Read only")], initial="read_write",
        widget=forms.RadioSelect,
    )
