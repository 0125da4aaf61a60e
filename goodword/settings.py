"""The one settings module. Every value comes from GOODWORD_* variables (see
docs/configuration.md) through goodword.lib.config, which fails loudly."""

from pathlib import Path

from django.utils.csp import CSP

from goodword.lib import config as goodword_config

CONFIG = goodword_config.load()
BASE_DIR = Path(__file__).resolve().parent
GOODWORD_HOME = CONFIG.home
GOODWORD_MODE = CONFIG.mode
GOODWORD_CLI_USER = CONFIG.cli_user
GOODWORD_PUBLIC_URL = CONFIG.public_url
GOODWORD_DAILY_BACKUP = CONFIG.daily_backup

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its templates and vendored Swagger UI files for /api/docs (no CDN)
    "goodword.core",
    "goodword.accounts",
    "goodword.references",
    "goodword.opportunities",
    "goodword.timeline",
    "goodword.courtesy",
    "goodword.outreach",
    "goodword.portal",
    "goodword.reminders",
    "goodword.sheets",
    "goodword.transfer",
    "goodword.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "goodword.accounts.middleware.ProfileRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "goodword.core.middleware.RefuseNulCharactersMiddleware",
    "goodword.courtesy.middleware.ReleaseLedgerMiddleware",
]

ROOT_URLCONF = "goodword.urls"
WSGI_APPLICATION = "goodword.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "goodword.core.context_processors.navigation",
            ],
            "builtins": ["django_htmx.templatetags.django_htmx"],
        },
    }
]

DATABASES = {"default": CONFIG.database}

# Uploaded letters (goodword/sheets/letters.py): a private folder in local mode. No MEDIA_URL is
# served: files go out only through views that check who asks. Hosted setups may point
# STORAGES["default"] at any Django storage backend.
MEDIA_ROOT = CONFIG.home / "files"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = CONFIG.time_zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the app folders: a local install never runs collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CONFIG.hosted
CSRF_COOKIE_SECURE = CONFIG.hosted
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if CONFIG.hosted:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Mail Goodword sends on its own behalf; per-user SMTP for outreach is configured per account.
MAILERS = {"default": CONFIG.mailer}
DEFAULT_FROM_EMAIL = CONFIG.email_from

# Tokens in URLs (portal, calendar feed, sign-in) are redacted from every log record as it is made.
LOGGING_CONFIG = "goodword.lib.redact.configure_logging"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "goodword.lib.redact.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
