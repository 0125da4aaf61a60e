"""Behind a proxy: the settings that name it, the one client address, and throttles keyed on it."""

import ipaddress

import pytest
from django.test import RequestFactory

from goodword.core.client_address import client_address, throttle_key
from goodword.lib import config
from goodword.portal import services
from goodword.reminders import services as reminders
from tests.factories.portal import make_portal_setup, page_url

HOSTED = {
    "GOODWORD_MODE": "hosted", "GOODWORD_SECRET_KEY": "s3cret-" * 8, "GOODWORD_ALLOWED_HOSTS": "refs.example.org",
    "GOODWORD_TRUSTED_PROXIES": "127.0.0.1", "GOODWORD_TRUSTED_ORIGINS": "https://refs.example.org",
    "GOODWORD_SMTP_URL": "smtp://mail.example.org:587",
}


def load(tmp_path, **env):
    return config.load({"GOODWORD_HOME": str(tmp_path), **env})


def hosted_without(tmp_path, *names, **extra):
    env = {k: v for k, v in HOSTED.items() if k not in names} | extra
    return load(tmp_path, **env)


def test_a_hosted_configuration_loads_with_its_proxy_origins_and_idle_time(tmp_path):
    loaded = load(tmp_path, **HOSTED)
    assert loaded.trusted_proxies == (ipaddress.ip_network("127.0.0.1/32"),)
    assert loaded.trusted_origins == ("https://refs.example.org",)
    assert loaded.session_idle_minutes == config.HOSTED_SESSION_IDLE_MINUTES
    assert load(tmp_path).session_idle_minutes == config.LOCAL_SESSION_IDLE_MINUTES


@pytest.mark.parametrize(("missing", "says"), [
    (("GOODWORD_TRUSTED_PROXIES",), "set GOODWORD_TRUSTED_PROXIES to the proxy's addresses"),
    (("GOODWORD_TRUSTED_ORIGINS",), "needs GOODWORD_TRUSTED_ORIGINS"),
    (("GOODWORD_SMTP_URL",), "needs GOODWORD_SMTP_URL"),
])
def test_hosted_mode_refuses_to_start_without_what_it_needs_and_says_what_to_set(tmp_path, missing, says):
    with pytest.raises(config.ConfigError, match=says):
        hosted_without(tmp_path, *missing)


def test_proxy_hops_alone_is_enough_to_start(tmp_path):
    assert hosted_without(tmp_path, "GOODWORD_TRUSTED_PROXIES", GOODWORD_PROXY_HOPS="2").proxy_hops == 2


@pytest.mark.parametrize(("variable", "value", "says"), [
    ("GOODWORD_TRUSTED_PROXIES", "nginx.internal", "not an IP address or network"),
    ("GOODWORD_TRUSTED_PROXIES", "10.0.0.0/33", "not an IP address or network"),
    ("GOODWORD_PROXY_HOPS", "0", "not a number of proxies"),
    ("GOODWORD_PROXY_HOPS", "two", "not a number of proxies"),
    ("GOODWORD_TRUSTED_ORIGINS", "refs.example.org", "not an origin"),
    ("GOODWORD_TRUSTED_ORIGINS", "https://refs.example.org/app", "not an origin"),
    ("GOODWORD_TRUSTED_ORIGINS", "http://refs.example.org", "over HTTPS only"),
    ("GOODWORD_SESSION_IDLE_MINUTES", "0", "not a number of minutes"),
    ("GOODWORD_SESSION_IDLE_MINUTES", "2h", "not a number of minutes"),
    ("GOODWORD_HSTS_PRELOAD", "maybe", "not a boolean"),
])
def test_bad_proxy_values_stop_start_up_naming_the_variable(tmp_path, variable, value, says):
    with pytest.raises(config.ConfigError, match=f"{variable}.*{says}"):
        load(tmp_path, **(HOSTED | {variable: value}))


def test_database_and_smtp_urls_can_come_from_files(tmp_path):
    (tmp_path / "db").write_text("postgresql://goodword:pw@db.internal:5432/goodword\n")
    (tmp_path / "smtp").write_text("smtps://relay.example.org\n")
    loaded = hosted_without(tmp_path, "GOODWORD_SMTP_URL", GOODWORD_DATABASE_URL_FILE=str(tmp_path / "db"),
                            GOODWORD_SMTP_URL_FILE=str(tmp_path / "smtp"))
    assert loaded.database["PASSWORD"] == "pw" and loaded.database["HOST"] == "db.internal"
    assert loaded.mailer["OPTIONS"]["host"] == "relay.example.org"
    with pytest.raises(config.ConfigError, match="GOODWORD_DATABASE_URL_FILE=.*cannot be read"):
        load(tmp_path, GOODWORD_DATABASE_URL_FILE=str(tmp_path / "missing"))


# ---------------------------------------------------------------- client_address


def request(peer, forwarded=None):
    meta = {"REMOTE_ADDR": peer} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
    return RequestFactory().get("/", **meta)


@pytest.fixture
def behind_proxy(settings):
    settings.GOODWORD_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/24"), ipaddress.ip_network("::1/128"))
    settings.GOODWORD_PROXY_HOPS = 0
    return settings


def test_without_a_trusted_proxy_x_forwarded_for_changes_nothing(settings):
    settings.GOODWORD_TRUSTED_PROXIES, settings.GOODWORD_PROXY_HOPS = (), 0
    assert client_address(request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_a_forged_header_from_an_untrusted_peer_changes_nothing(behind_proxy):
    assert client_address(request("198.51.100.7", "10.0.0.5, 203.0.113.1")) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_hop(behind_proxy):
    assert client_address(request("10.0.0.2", "203.0.113.9")) == "203.0.113.9"
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assert client_address(request("10.0.0.2", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    # Two trusted proxies in a row are skipped.
    assert client_address(request("::1", "1.2.3.4, 203.0.113.9, 10.0.0.3")) == "203.0.113.9"
    assert client_address(request("10.0.0.2")) == "10.0.0.2"  # no header: the proxy itself asked
    assert client_address(request("10.0.0.2", "[2001:db8::5]:4711")) == "2001:db8::5"


def test_proxy_hops_take_the_nth_entry_from_the_right(settings):
    settings.GOODWORD_TRUSTED_PROXIES, settings.GOODWORD_PROXY_HOPS = (), 2
    assert client_address(request("10.9.9.9", "1.2.3.4, 203.0.113.9, 192.0.2.1")) == "203.0.113.9"
    assert client_address(request("10.9.9.9", "203.0.113.9")) == "203.0.113.9"


def test_ipv6_clients_are_throttled_by_their_64():
    assert throttle_key("2001:db8:1:2::5") == throttle_key("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64"
    assert throttle_key("2001:db8:1:3::5") != throttle_key("2001:db8:1:2::5")
    assert throttle_key("203.0.113.9") == "203.0.113.9"


# ---------------------------------------------------------------- throttles keyed on the client


def guess(client, peer, forwarded=None, path=None):
    extra = {"REMOTE_ADDR": peer} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    return client.get(path or page_url(services.new_token()), **extra)


def test_rotating_x_forwarded_for_from_an_untrusted_peer_does_not_escape_the_throttle(client, alice, behind_proxy):
    _listing, token = make_portal_setup(alice)
    for n in range(services.MISS_LIMIT):
        assert guess(client, "198.51.100.7", f"203.0.113.{n}").status_code == 404
    assert guess(client, "198.51.100.7", "203.0.113.200", path=page_url(token)).status_code == 429


def test_behind_a_trusted_proxy_two_clients_are_throttled_separately(client, alice, behind_proxy):
    _listing, token = make_portal_setup(alice)
    for _ in range(services.MISS_LIMIT):
        assert guess(client, "10.0.0.2", "203.0.113.66").status_code == 404
    assert guess(client, "10.0.0.2", "203.0.113.66", path=page_url(token)).status_code == 429
    # Everyone else behind the same proxy still gets in: ten misses lock out the guesser only.
    assert guess(client, "10.0.0.2", "198.51.100.23", path=page_url(token)).status_code == 200
    feed_token = reminders.issue_feed_token(alice)
    assert guess(client, "10.0.0.2", "198.51.100.23", path=reminders.feed_path(feed_token)).status_code == 200
    assert guess(client, "10.0.0.2", "203.0.113.66", path=reminders.feed_path(feed_token)).status_code == 429


def test_goodword_serve_gives_waitress_the_proxy_it_may_trust(settings):
    import click

    from goodword.cli.serve import waitress_proxy_options

    settings.GOODWORD_TRUSTED_PROXIES, settings.GOODWORD_PROXY_HOPS = (), 0
    assert waitress_proxy_options(settings) == {}  # local mode: X-Forwarded-* from anyone are ignored
    settings.GOODWORD_TRUSTED_PROXIES = (ipaddress.ip_network("127.0.0.1/32"),)
    options = waitress_proxy_options(settings)
    assert options["trusted_proxy"] == "127.0.0.1" and options["trusted_proxy_count"] == 1
    assert options["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto"}
    assert options["clear_untrusted_proxy_headers"] is True
    settings.GOODWORD_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/24"),)
    with pytest.raises(click.ClickException, match="run gunicorn"):
        waitress_proxy_options(settings)
    settings.GOODWORD_TRUSTED_PROXIES, settings.GOODWORD_PROXY_HOPS = (), 2
    assert waitress_proxy_options(settings)["trusted_proxy"] == "*"
    assert waitress_proxy_options(settings)["trusted_proxy_count"] == 2


def test_waitress_behind_its_proxy_reports_https_and_the_client(settings):
    """waitress's own middleware, with the options serve passes, then Django: the scheme and client it sees."""
    from waitress.proxy_headers import proxy_headers_middleware

    from goodword.cli.serve import waitress_proxy_options

    settings.GOODWORD_TRUSTED_PROXIES, settings.GOODWORD_PROXY_HOPS = (ipaddress.ip_network("127.0.0.1/32"),), 0
    options = waitress_proxy_options(settings)
    seen = {}

    def app(environ, start_response):
        seen.update(scheme=environ["wsgi.url_scheme"], peer=environ["REMOTE_ADDR"],
                    client=client_address(RequestFactory().generic("GET", "/", **{
                        k: v for k, v in environ.items() if k.startswith(("HTTP_", "REMOTE_"))})))
        return []

    wrapped = proxy_headers_middleware(app, options["trusted_proxy"], options["trusted_proxy_count"],
                                       options["trusted_proxy_headers"], options["clear_untrusted_proxy_headers"])
    base = {"wsgi.url_scheme": "http", "HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}
    wrapped(base | {"REMOTE_ADDR": "127.0.0.1"}, None)
    assert seen == {"scheme": "https", "peer": "203.0.113.9", "client": "203.0.113.9"}
    wrapped(base | {"REMOTE_ADDR": "198.51.100.7"}, None)  # not the proxy: its headers are dropped
    assert seen == {"scheme": "http", "peer": "198.51.100.7", "client": "198.51.100.7"}
