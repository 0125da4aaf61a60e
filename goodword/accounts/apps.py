from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "goodword.accounts"
    label = "accounts"
