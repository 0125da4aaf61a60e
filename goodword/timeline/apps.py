from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "goodword.timeline"
    label = "timeline"
