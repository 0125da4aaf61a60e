"""Read Goodword's configuration from ``GOODWORD_*`` environment variables.

No Django here: the settings module and the CLI both call :func:`load`, and a
bad value must stop start-up with a message that names the variable and says
what is accepted. Every variable read here is documented in
``docs/configuration.md`` (a test keeps the two in step).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import stat
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, unquote, urlencode, urlsplit

from goodword.lib.private_files import make_private_folder

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
MODES = ("local", "hosted")
SECRET_KEY_FILENAME = "secret_key"
HOSTED_SESSION_IDLE_MINUTES = 120
LOCAL_SESSION_IDLE_MINUTES = 14 * 24 * 60  # Django's own two weeks: one person on their own computer
MAX_PROXY_HOPS = 10
SQLITE_FILENAME = "goodword.sqlite3"


class ConfigError(Exception):
    """A GOODWORD_* variable holds a value Goodword cannot use."""


@dataclass(frozen=True)
class Config:
    home: Path
    mode: str
    debug: bool
    secret_key: str
    database: dict
    allowed_hosts: list[str]
    time_zone: str
    cli_user: str
    email_from: str
    mailer: dict
    public_url: str
    daily_backup: bool = True
    public_url_set: bool = False  # GOODWORD_PUBLIC_URL given: it wins over where `serve` last ran
    open_signup: bool = False
    # Behind a proxy (hosted mode): see goodword/core/client_address.py and docs/hosting.md.
    trusted_proxies: tuple = ()
    proxy_hops: int = 0
    trusted_origins: tuple = ()
    session_idle_minutes: int = LOCAL_SESSION_IDLE_MINUTES
    hsts_include_subdomains: bool = True
    hsts_preload: bool = False

    @property
    def proxy_trusted(self) -> bool:
        return bool(self.trusted_proxies or self.proxy_hops)

    @property
    def hosted(self) -> bool:
        return self.mode == "hosted"


def parse_bool(name: str, raw: str | None, default: bool) -> bool:
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(
        f"{name}={raw!r} is not a boolean; use one of: true, false, 1, 0, yes, no, on, off."
    )


def default_home() -> Path:
    # Imported here so that `goodword --help` stays cheap.
    import platformdirs

    return Path(platformdirs.user_data_dir("goodword", appauthor=False))


def resolve_home(raw: str | None) -> Path:
    home = Path(raw).expanduser() if raw else default_home()
    try:
        make_private_folder(home)
    except OSError as exc:
        raise ConfigError(
            f"GOODWORD_HOME={str(home)!r} cannot be created ({exc.strerror}); "
            "point it at a folder you can write to."
        ) from None
    if not home.is_dir():
        raise ConfigError(f"GOODWORD_HOME={str(home)!r} is not a folder; point it at a folder.")
    if not os.access(home, os.W_OK | os.X_OK):
        raise ConfigError(
            f"GOODWORD_HOME={str(home)!r} is not writable; point it at a folder you can write to."
        )
    return home


def parse_database_url(raw: str | None, home: Path) -> dict:
    """Turn GOODWORD_DATABASE_URL into a Django DATABASES['default'] entry."""
    if not raw:
        return sqlite_database(home / SQLITE_FILENAME)
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # As elsewhere: sqlite:////abs/file is absolute, sqlite:///rel/file is relative.
        path = unquote(raw.split("://", 1)[1])[1:] if "://" in raw else ""
        if not path:
            raise ConfigError(
                "GOODWORD_DATABASE_URL='sqlite://' has no file path; "
                "use sqlite:////absolute/path/goodword.sqlite3."
            )
        return sqlite_database(Path(path).expanduser())
    if scheme in ("postgres", "postgresql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(
                f"GOODWORD_DATABASE_URL={redact(raw)!r} names no database; "
                "use postgresql://user:password@host:5432/dbname."
            )
        options = postgres_options({k: v[-1] for k, v in parse_qs(parts.query).items()}, raw)
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(
                f"GOODWORD_DATABASE_URL={redact(raw)!r} has a port that is not a number."
            ) from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ConfigError(
        f"GOODWORD_DATABASE_URL has the unknown scheme {scheme or '(none)'!r}; "
        "accepted: sqlite:////path/to/file.sqlite3 or postgresql://user@host:5432/dbname."
    )


# Server-side binding with prepared statements parses and plans each query shape once per connection:
# the session lookup took 0.35 ms unprepared and 0.16 ms prepared. Through HTTP the benchmarks could
# not tell the two apart (docs/hosting.md §2, §9), so the default stays Django's (client-side binding,
# which also suits any pooler); an instance may turn them on from its URL.
PREPARE_THRESHOLD = 5  # psycopg's own default: a shape run this often on a connection is prepared


def postgres_options(options: dict, raw: str) -> dict:
    """libpq's options from the URL's query string, plus Goodword's two, typed: `server_side_binding`
    (true/false, default false) and `prepare_threshold` (a count, default 5, or `none`), which counts
    only with server-side binding: client-side binding sends each query as plain text."""
    binding = options.pop("server_side_binding", "false").lower()
    if binding not in TRUE_WORDS | FALSE_WORDS - {""}:
        raise ConfigError(
            f"GOODWORD_DATABASE_URL={redact(raw)!r} has server_side_binding={binding!r}; use true or false."
        )
    threshold = options.pop("prepare_threshold", str(PREPARE_THRESHOLD)).lower()
    if threshold in ("none", "off"):
        prepare = None
    elif threshold.isdigit() and int(threshold) < 10_000:
        prepare = int(threshold)
    else:
        raise ConfigError(
            f"GOODWORD_DATABASE_URL={redact(raw)!r} has prepare_threshold={threshold!r}; use a count "
            "(0 prepares every query on first use) or none (no prepared statements, e.g. behind PgBouncer "
            "in transaction mode)."
        )
    server_side = binding in TRUE_WORDS
    return options | {"server_side_binding": server_side, "prepare_threshold": prepare if server_side else None}


OWN_POSTGRES_OPTIONS = ("server_side_binding", "prepare_threshold")


def libpq_url(raw: str) -> str:
    """GOODWORD_DATABASE_URL as libpq takes it (psql, psycopg.connect): without the two options
    Goodword reads itself, which libpq refuses as unknown."""
    parts = urlsplit(raw)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in OWN_POSTGRES_OPTIONS]
    return parts._replace(query=urlencode(kept)).geturl()


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def sqlite_database(path: Path) -> dict:
    return {
        # Django's SQLite backend, creating the database and its WAL files 0600.
        "ENGINE": "goodword.core.backends.sqlite3",
        "NAME": str(path),
        # Each server thread keeps its connection for ten minutes, and with it
        # SQLite's page cache, instead of opening a file and running the PRAGMAs below per request.
        "CONN_MAX_AGE": 600,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue on
            # the busy timeout instead of failing mid-transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 10,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=10000;"
            ),
        },
    }


def read_secret_key(env: dict, home: Path, mode: str) -> str:
    if env.get("GOODWORD_SECRET_KEY"):
        key = env["GOODWORD_SECRET_KEY"]
        if len(key) < 32:
            raise ConfigError("GOODWORD_SECRET_KEY is shorter than 32 characters; use a long random value.")
        return key
    if env.get("GOODWORD_SECRET_KEY_FILE"):
        path = Path(env["GOODWORD_SECRET_KEY_FILE"]).expanduser()
        try:
            key = path.read_text().strip()
        except OSError as exc:
            raise ConfigError(
                f"GOODWORD_SECRET_KEY_FILE={str(path)!r} cannot be read ({exc.strerror})."
            ) from None
        if len(key) < 32:
            raise ConfigError(
                f"GOODWORD_SECRET_KEY_FILE={str(path)!r} holds fewer than 32 characters."
            )
        return key
    if mode == "hosted":
        raise ConfigError(
            "GOODWORD_MODE=hosted needs GOODWORD_SECRET_KEY or GOODWORD_SECRET_KEY_FILE; "
            "a hosted instance never generates its own key."
        )
    return local_secret_key(home)


def local_secret_key(home: Path) -> str:
    """Generate the key once and keep it beside the data, readable by the owner only."""
    path = home / SECRET_KEY_FILENAME
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        fd = os.open(path, flags, stat.S_IRUSR | stat.S_IWUSR)
    except FileExistsError:
        # Another process wrote it first: use theirs.
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def machine_time_zone() -> str:
    """The IANA name of this machine's zone, or UTC when it cannot be told."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and tz in zoneinfo.available_timezones():
        return tz
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        name = target.split("zoneinfo/", 1)[1]
        if name in zoneinfo.available_timezones():
            return name
    try:
        name = Path("/etc/timezone").read_text().strip()
        if name in zoneinfo.available_timezones():
            return name
    except OSError:
        pass
    return "UTC"


def parse_time_zone(raw: str | None) -> str:
    if not raw:
        return machine_time_zone()
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"GOODWORD_TIME_ZONE={raw!r} is not a known time zone; use an IANA name such as Europe/Paris."
        ) from None
    return raw


def parse_mode(raw: str | None) -> str:
    mode = (raw or "local").strip().lower()
    if mode not in MODES:
        raise ConfigError(f"GOODWORD_MODE={raw!r} is not a mode; accepted: local, hosted.")
    return mode


def parse_hosts(raw: str | None, mode: str) -> list[str]:
    if raw is None:
        if mode == "hosted":
            raise ConfigError(
                "GOODWORD_MODE=hosted needs GOODWORD_ALLOWED_HOSTS, e.g. refs.example.org."
            )
        # Django's test set-up adds its own "testserver"; a real default never needs it.
        return ["127.0.0.1", "localhost", "[::1]"]
    hosts = [h.strip() for h in raw.split(",") if h.strip()]
    if not hosts:
        raise ConfigError("GOODWORD_ALLOWED_HOSTS is empty; give a comma-separated list of host names.")
    return hosts


DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def parse_public_url(raw: str | None) -> str:
    """Where references and email readers reach this instance; links in emails and drafts start with it."""
    url = (raw or "").strip() or DEFAULT_PUBLIC_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"GOODWORD_PUBLIC_URL={url!r} is not an http(s) address; use one such as https://refs.example.org."
        )
    return url.rstrip("/")


# Where `goodword serve` (local mode) writes the address it listens on, so that
# links the CLI prints from another terminal point at the running server and
# not at the default port.
SERVED_URL_FILE = "served-url"


def record_served_url(home: Path, url: str) -> None:
    (home / SERVED_URL_FILE).write_text(url.rstrip("/") + "\n", encoding="utf-8")


def read_served_url(home: Path) -> str | None:
    """The address `goodword serve` last listened on in this home, or None (never served, unreadable)."""
    try:
        return parse_public_url((home / SERVED_URL_FILE).read_text(encoding="utf-8").strip() or "-")
    except (OSError, UnicodeError, ConfigError):
        return None


SMTP_TIMEOUT_SECONDS = 20


def parse_smtp_url(raw: str | None, mode: str = "local") -> dict:
    """The instance's own mailer (digests without per-user SMTP, notices): a Django MAILERS entry.

    Unset, mail is printed to the console, which suits one person on a laptop; a hosted
    instance must send it (sign-up, password resets, digests), so there it is required.
    """
    if not raw:
        if mode == "hosted":
            raise ConfigError(
                "GOODWORD_MODE=hosted needs GOODWORD_SMTP_URL (or GOODWORD_SMTP_URL_FILE): the instance's own mail "
                "(invitations, password resets, digests) must reach people, not the console; "
                "e.g. smtp://user:password@mail.example.org:587."
            )
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError(
            f"GOODWORD_SMTP_URL={redact(raw)!r} is not an SMTP address; use smtp://user:password@host:587 "
            "(STARTTLS) or smtps://user:password@host:465 (TLS); add ?starttls=false for a plain local relay."
        )
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"GOODWORD_SMTP_URL={redact(raw)!r} has a port that is not a number.") from None
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    starttls = scheme == "smtp" and parse_bool("GOODWORD_SMTP_URL starttls", query.get("starttls"), default=True)
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname,
            "port": port or (465 if scheme == "smtps" else 587),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": scheme == "smtps",
            "use_tls": starttls,
            "timeout": SMTP_TIMEOUT_SECONDS,
        },
    }


def read_value_or_file(env: dict, name: str) -> str | None:
    """NAME, else the content of the file NAME_FILE names (container and systemd secrets), else None.

    Used for GOODWORD_DATABASE_URL_FILE and GOODWORD_SMTP_URL_FILE (the secret key has its own reader).
    """
    if env.get(name):
        return env[name]
    file_name = env.get(f"{name}_FILE")
    if not file_name:
        return None
    path = Path(file_name).expanduser()
    try:
        value = path.read_text().strip()
    except OSError as exc:
        raise ConfigError(f"{name}_FILE={str(path)!r} cannot be read ({exc.strerror}).") from None
    if not value:
        raise ConfigError(f"{name}_FILE={str(path)!r} is empty.")
    return value


def parse_trusted_proxies(raw: str | None) -> tuple:
    """GOODWORD_TRUSTED_PROXIES: addresses or networks (CIDR) of the reverse proxies in front."""
    if raw is None or not raw.strip():
        return ()
    networks = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(
                f"GOODWORD_TRUSTED_PROXIES holds {item!r}, which is not an IP address or network; "
                "list your proxy's addresses, e.g. 127.0.0.1 or 10.0.0.0/24,::1 (no host names)."
            ) from None
    return tuple(networks)


def parse_proxy_hops(raw: str | None) -> int:
    """GOODWORD_PROXY_HOPS: how many proxies append to X-Forwarded-For in front of the app (0: not set)."""
    if raw is None or not raw.strip():
        return 0
    if not raw.strip().isdigit() or not 1 <= int(raw) <= MAX_PROXY_HOPS:
        raise ConfigError(
            f"GOODWORD_PROXY_HOPS={raw!r} is not a number of proxies; use a whole number from 1 to {MAX_PROXY_HOPS} "
            "(1 for one nginx in front)."
        )
    return int(raw)


def parse_trusted_origins(raw: str | None, mode: str) -> tuple:
    """GOODWORD_TRUSTED_ORIGINS: the scheme://host[:port] browsers post forms from (Django's CSRF_TRUSTED_ORIGINS)."""
    if raw is None or not raw.strip():
        return ()
    origins = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        parts = urlsplit(item)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
                or parts.query or parts.fragment or parts.username:
            raise ConfigError(
                f"GOODWORD_TRUSTED_ORIGINS holds {item!r}, which is not an origin; "
                "use scheme://host[:port] with nothing after it, e.g. https://refs.example.org."
            )
        if mode == "hosted" and parts.scheme != "https":
            raise ConfigError(
                f"GOODWORD_TRUSTED_ORIGINS holds {item!r}: a hosted instance is reached over HTTPS only; "
                "use https://…"
            )
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return tuple(origins)


def require_proxy_settings(mode: str, proxies: tuple, hops: int, origins: tuple) -> None:
    if mode != "hosted":
        return
    if not proxies and not hops:
        raise ConfigError(
            "GOODWORD_MODE=hosted needs to know its reverse proxy: set GOODWORD_TRUSTED_PROXIES to the proxy's "
            "addresses (e.g. 127.0.0.1 for nginx on this machine) or GOODWORD_PROXY_HOPS to the number of "
            "proxies in front (e.g. 1). Client addresses and HTTPS are taken from the proxy's headers only then."
        )
    if not origins:
        raise ConfigError(
            "GOODWORD_MODE=hosted needs GOODWORD_TRUSTED_ORIGINS, the address browsers use, "
            "e.g. https://refs.example.org; forms posted from anywhere else are refused."
        )


def parse_minutes(name: str, raw: str | None, default: int) -> int:
    if raw is None or not raw.strip():
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ConfigError(f"{name}={raw!r} is not a number of minutes; use a whole number of 1 or more.")
    return int(raw)


def load(env: dict | None = None) -> Config:
    env = os.environ if env is None else env
    mode = parse_mode(env.get("GOODWORD_MODE"))
    home = resolve_home(env.get("GOODWORD_HOME"))
    hosts = parse_hosts(env.get("GOODWORD_ALLOWED_HOSTS"), mode)
    proxies = parse_trusted_proxies(env.get("GOODWORD_TRUSTED_PROXIES"))
    hops = parse_proxy_hops(env.get("GOODWORD_PROXY_HOPS"))
    origins = parse_trusted_origins(env.get("GOODWORD_TRUSTED_ORIGINS"), mode)
    idle_default = HOSTED_SESSION_IDLE_MINUTES if mode == "hosted" else LOCAL_SESSION_IDLE_MINUTES
    loaded = Config(
        home=home,
        mode=mode,
        debug=parse_bool("GOODWORD_DEBUG", env.get("GOODWORD_DEBUG"), default=False),
        secret_key=read_secret_key(env, home, mode),
        database=parse_database_url(read_value_or_file(env, "GOODWORD_DATABASE_URL"), home),
        allowed_hosts=hosts,
        time_zone=parse_time_zone(env.get("GOODWORD_TIME_ZONE")),
        cli_user=(env.get("GOODWORD_USER") or "me").strip() or "me",
        email_from=env.get("GOODWORD_EMAIL_FROM") or "Goodword <goodword@localhost>",
        mailer=parse_smtp_url(read_value_or_file(env, "GOODWORD_SMTP_URL"), mode),
        public_url=parse_public_url(env.get("GOODWORD_PUBLIC_URL")),
        public_url_set=bool((env.get("GOODWORD_PUBLIC_URL") or "").strip()),
        daily_backup=parse_bool("GOODWORD_DAILY_BACKUP", env.get("GOODWORD_DAILY_BACKUP"), default=True),
        trusted_proxies=proxies,
        proxy_hops=hops,
        trusted_origins=origins,
        session_idle_minutes=parse_minutes("GOODWORD_SESSION_IDLE_MINUTES", env.get("GOODWORD_SESSION_IDLE_MINUTES"),
                                           idle_default),
        hsts_include_subdomains=parse_bool("GOODWORD_HSTS_INCLUDE_SUBDOMAINS",
                                           env.get("GOODWORD_HSTS_INCLUDE_SUBDOMAINS"), default=True),
        hsts_preload=parse_bool("GOODWORD_HSTS_PRELOAD", env.get("GOODWORD_HSTS_PRELOAD"), default=False),
        # Hosted mode only: anyone may make an account, not only people holding an invitation.
        open_signup=parse_bool("GOODWORD_OPEN_SIGNUP", env.get("GOODWORD_OPEN_SIGNUP"), default=False),
    )
    require_proxy_settings(mode, proxies, hops, origins)
    return loaded
