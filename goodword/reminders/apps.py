from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "goodword.reminders"
    label = "reminders"
    verbose_name = "Reminders: daily digest and calendar feed"
