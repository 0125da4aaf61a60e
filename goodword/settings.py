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
# None when unset: links then use the address `goodword serve` last ran at (portal.services.public_base_url).
GOODWORD_PUBLIC_URL = CONFIG.public_url if CONFIG.public_url_set else None
GOODWORD_DAILY_BACKUP = CONFIG.daily_backup
GOODWORD_OPEN_SIGNUP = CONFIG.open_signup
# The reverse proxy (goodword/core/client_address.py): who may say which client and which scheme a request had.
GOODWORD_TRUSTED_PROXIES = CONFIG.trusted_proxies
GOODWORD_PROXY_HOPS = CONFIG.proxy_hops

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
    "django.contrib.humanize",  # allauth's session list
    "django_htmx",
    # Hosted-mode accounts (docs/accounts.md). Installed in both modes so that one
    # set of migrations serves both; their pages are mounted only in hosted mode.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
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
    "goodword.webhooks",
    "goodword.centres",
    "goodword.api",
]

MIDDLEWARE = [
    # First: the request log times everything below, and proxy headers from anyone but the proxy are gone
    # before SecurityMiddleware reads X-Forwarded-Proto.
    "goodword.core.request_log.RequestLogMiddleware",
    "goodword.core.client_address.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "goodword.core.middleware.SignedInPagesMiddleware",
    "goodword.accounts.middleware.ProfileRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "goodword.core.middleware.RefuseNulCharactersMiddleware",
    "goodword.courtesy.middleware.ReleaseLedgerMiddleware",
]

# Hosted mode adds allauth's pages (sign-up, password reset, two-factor, sessions);
# local mode has one account, signed in by the link `goodword serve` prints.
ROOT_URLCONF = "goodword.urls_hosted" if CONFIG.hosted else "goodword.urls"
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
                "goodword.accounts.context_processors.signup",
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
# Argon2 first: new and re-saved passwords are hashed with it; older hashes still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
# Signed-in sessions end after this much idle time; SignedInPagesMiddleware moves the expiry on
# at most once a minute, instead of a session write on every request (SESSION_SAVE_EVERY_REQUEST).
SESSION_COOKIE_AGE = CONFIG.session_idle_minutes * 60
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # shared by every app process
CSRF_TRUSTED_ORIGINS = list(CONFIG.trusted_origins)
if CONFIG.proxy_trusted:
    # Read only from a trusted proxy: TrustedProxyMiddleware drops it from anyone else.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if CONFIG.hosted:
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = CONFIG.hsts_include_subdomains
    SECURE_HSTS_PRELOAD = CONFIG.hsts_preload
    # The proxy sends plain-HTTP visitors here with X-Forwarded-Proto: http; they are sent to HTTPS.
    # Health probes come from inside, over plain HTTP, and are answered as they are.
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Checks silenced on purpose (docs/hosting.md, "Deployment checks"):
# - security.W009: Django wants 50 characters; Goodword takes 32 or more (config.py) and checks
#   itself that the key is not a repeated pattern (goodword.E003).
# - security.W021: preloading HSTS is a commitment to the browsers' list the operator makes by
#   submitting the domain; GOODWORD_HSTS_PRELOAD=true turns the header on, and then the check is live.
SILENCED_SYSTEM_CHECKS = ["security.W009"] + ([] if CONFIG.hsts_preload else ["security.W021"])

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

# Rate-limit counters (allauth's) and any other cache live in the database, so that every
# app process counts the same attempts and a restart forgets none. The table is made by
# a migration (goodword/accounts/migrations/0004_cache_table.py), so `migrate` is all an install runs.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "goodword_cache"},
}

# Accounts in hosted mode (django-allauth; docs/accounts.md): email is the login, verified
# before first use; sign-up by invitation unless GOODWORD_OPEN_SIGNUP.
ACCOUNT_ADAPTER = "goodword.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "goodword.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_DISPLAY = "goodword.accounts.adapter.user_display"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Goodword: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if CONFIG.hosted else "http"
ACCOUNT_PREVENT_ENUMERATION = True
# Per client address ("ip", from goodword.core.client_address) and per account or email ("key", "user").
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Goodword"
USERSESSIONS_TRACK_ACTIVITY = False

# Mail Goodword sends on its own behalf; per-user SMTP for outreach is configured per account.
MAILERS = {"default": CONFIG.mailer}
DEFAULT_FROM_EMAIL = CONFIG.email_from

# Tokens in URLs (portal, calendar feed, sign-in) are redacted from every log record as it is made.
LOGGING_CONFIG = "goodword.lib.redact.configure_logging"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "goodword.lib.redact.RedactSecretsFilter"},
                "queue_depth_on_change": {"()": "goodword.lib.queue_log.QueueDepthOnChange"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # One line per request (goodword/core/request_log.py), in hosted mode: a laptop's terminal stays quiet.
    # Waitress's "Task queue depth is N", once per change rather than once per request.
    "loggers": {"goodword.requests": {"level": "INFO" if CONFIG.hosted else "WARNING"},
                "waitress.queue": {"filters": ["queue_depth_on_change"]}},
}
