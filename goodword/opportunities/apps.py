from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "goodword.opportunities"
    label = "opportunities"
