"""Reading a posting from its URL: a loopback server in local mode, DNS answers faked for hosted mode.

Nothing here reaches the internet: every address is 127.0.0.1, or a faked
DNS answer that the guard refuses before any connection is made.
"""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from goodword.lib import netguard, posting_fetch
from goodword.lib.posting_fetch import FetchProblem, fetch_posting, html_to_text
from goodword.opportunities import suggest
from tests.factories.opportunities import make_opportunity

PAGE = b"""<!doctype html><html><head><title>Job</title><style>li{color:red}</style>
<script>var secret = 1;</script></head><body><h1>Platform Engineer</h1><p>We make weather models.</p>
<h2>What you'll bring</h2><ul><li>Running <b>Kafka</b> in production</li><li>Terraform &amp; Kubernetes</li></ul>
</body></html>"""


class Handler(BaseHTTPRequestHandler):
    routes: dict = {}
    hits: list = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        status, headers, body, delay = self.routes.get(self.path, (404, {}, b"", 0))
        if delay:
            time.sleep(delay)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client gave up on purpose (size and time limits)


@pytest.fixture
def server():
    Handler.routes, Handler.hits = {}, []
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fake_dns(monkeypatch, answers: dict[str, str]):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_page_becomes_text_with_list_items_as_lines():
    text = html_to_text(PAGE.decode())
    assert "secret" not in text and "color" not in text
    assert "- Running Kafka in production\n- Terraform & Kubernetes" in text


def test_local_mode_reads_a_posting_from_a_loopback_server_into_the_opportunity(alice, alice_client, server):
    _httpd, base = server
    Handler.routes["/jobs/1"] = (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE, 0)
    job = make_opportunity(alice, posting_url=f"{base}/jobs/1")
    response = alice_client.post(reverse("opportunities:fetch_posting", args=[job.pk]), follow=True)
    assert "2 requirement lines found" in response.content.decode()
    job.refresh_from_db()
    assert "We make weather models." in job.posting_text
    assert suggest.posting_requirements(job) == ["Running Kafka in production", "Terraform & Kubernetes"]


def test_redirects_are_followed_and_each_target_checked(server):
    _httpd, base = server
    Handler.routes["/old"] = (301, {"Location": "/new"}, b"", 0)
    Handler.routes["/new"] = (200, {"Content-Type": "text/plain"}, b"- Kafka", 0)
    assert fetch_posting(f"{base}/old", allow_private=True) == "- Kafka"
    assert Handler.hits == ["/old", "/new"]


def test_an_unknown_charset_and_nul_bytes_do_not_stop_the_reading(server):
    _httpd, base = server
    Handler.routes["/odd"] = (200, {"Content-Type": "text/plain; charset=no-such-charset"}, b"- Kafka\x00 skills", 0)
    assert fetch_posting(f"{base}/odd", allow_private=True) == "- Kafka skills"


def test_a_page_over_the_size_limit_is_refused(server):
    _httpd, base = server
    Handler.routes["/big"] = (200, {"Content-Type": "text/html"}, b"x" * 5000, 0)
    with pytest.raises(FetchProblem, match="larger than"):
        fetch_posting(f"{base}/big", allow_private=True, max_bytes=1000)


def test_a_slow_site_is_given_up_on_within_the_time_limit(server):
    _httpd, base = server
    Handler.routes["/slow"] = (200, {"Content-Type": "text/html"}, b"late", 2)
    started = time.monotonic()
    with pytest.raises(FetchProblem, match="took too long"):
        fetch_posting(f"{base}/slow", allow_private=True, timeout=0.5)
    assert time.monotonic() - started < 1.5


def test_hosted_mode_refuses_loopback_private_and_link_local_before_connecting(
        alice, alice_client, server, settings, monkeypatch):
    _httpd, base = server
    settings.GOODWORD_MODE = "hosted"
    fake_dns(monkeypatch, {"metadata.example": "169.254.169.254", "intranet.example": "10.0.0.5"})
    for url in (f"{base}/jobs/1", "http://metadata.example/latest/", "https://intranet.example/jobs"):
        job = make_opportunity(alice, posting_url=url)
        response = alice_client.post(reverse("opportunities:fetch_posting", args=[job.pk]), follow=True)
        assert "only connects to public servers" in response.content.decode()
        job.refresh_from_db()
        assert job.posting_text == ""
    assert Handler.hits == []


def test_hosted_mode_refuses_a_redirect_to_a_private_address(server, monkeypatch):
    httpd, base = server
    Handler.routes["/jobs/1"] = (302, {"Location": "http://metadata.example/latest/"}, b"", 0)
    fake_dns(monkeypatch, {"jobs.example": "93.184.216.34", "metadata.example": "169.254.169.254"})
    real_connect = netguard.connect
    # The public name is answered by the loopback server (never the internet).
    monkeypatch.setattr(posting_fetch.netguard, "connect", lambda addresses, timeout: real_connect(
        [netguard.CheckedAddress(socket.AF_INET, ("127.0.0.1", httpd.server_address[1]),
                                 netguard.parse_ip("127.0.0.1"))], timeout))
    with pytest.raises(FetchProblem, match="only connects to public servers"):
        fetch_posting("http://jobs.example/jobs/1", allow_private=False)
    assert Handler.hits == ["/jobs/1"]


@pytest.mark.parametrize("url, message", [
    ("ftp://example.com/job", "starting with http:// or https://"),
    ("http:///nohost", "starting with http:// or https://"),
])
def test_addresses_that_are_not_web_pages_are_refused_in_words(url, message):
    with pytest.raises(FetchProblem, match=message):
        fetch_posting(url, allow_private=True)


def test_without_a_posting_url_the_page_says_what_to_do(alice, alice_client):
    job = make_opportunity(alice)
    response = alice_client.post(reverse("opportunities:fetch_posting", args=[job.pk]), follow=True)
    assert "Give the posting&#x27;s web address first" in response.content.decode()
