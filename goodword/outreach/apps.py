from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "goodword.outreach"
    label = "outreach"
    verbose_name = "Drafting and sending"
