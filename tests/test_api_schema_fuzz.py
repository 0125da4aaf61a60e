"""Schemathesis against the live OpenAPI description: no 500, no response that breaks the
schema (status, content type, body), no accepted request the schema calls invalid.

Runs in process through the WSGI app on the test database (SQLite or PostgreSQL, whichever
the run uses), as alice with her own token and a small account to read and write.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from goodword.outreach import outbox
from tests.factories.api import make_token
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.outreach import make_smtp_settings
from tests.factories.references import make_reference
from tests.factories.timeline import make_event

CHECKS = [schemathesis.checks.not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
EXAMPLES = 12  # per operation and mode: some 40 operations finish in a couple of minutes


@pytest.fixture
def api_schema(db):
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def account(alice, monkeypatch):
    import socket

    def no_lookup(*args, **kwargs):
        raise socket.gaierror("no name lookups in the schema fuzz test")

    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    reference = make_reference(alice, name="Morgan Ellis", emails=["morgan@example.com"])
    job = make_opportunity(alice, company="Fabrikam", role="Platform Engineer", stage="references_requested")
    make_interview(job)
    make_listing(job, reference)
    make_event(reference, "note", note="Met for coffee")
    make_smtp_settings(alice, 2525)
    outbox.queue_message(alice, reference, kind="keep_in_touch", subject="Hello", text="Hello\n")
    return {"Authorization": f"Bearer {make_token(alice)}"}


def test_the_api_keeps_its_description(api_schema, account):
    """Each operation, with valid and with invalid data (Hypothesis, derandomised)."""
    from hypothesis import given
    from schemathesis.generation.modes import GenerationMode

    failures, calls = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                nonlocal calls
                calls += 1
                response = case.call(headers=account)
                case.validate_response(response, checks=CHECKS)

            try:
                run()
            except Exception as failure:  # noqa: BLE001  (collect every operation's finding, then fail once)
                failures.append(f"{operation.label} [{mode}]: {str(failure)[:800]}")
    print(f"\n{calls} generated requests")
    assert calls > 300
    assert not failures, "\n\n".join(failures)


def test_sequences_of_calls_keep_the_description(api_schema, account):
    """Stateful: schemathesis chains operations through the links it infers from the description
    (an id a POST returns is the {reference_id} of a later GET, PATCH or DELETE)."""
    machine = api_schema.as_state_machine()
    links = api_schema.statistic.transitions
    print(f"\n{links.total} links between operations")
    assert links.total > 10, "no links between operations were found"

    from django.db import transaction

    class Stateful(machine):
        # Each scenario starts from the same account: what one sequence created is rolled back,
        # so the next one draws from the same kinds of responses (Hypothesis expects that).
        def setup(self):
            self.savepoint = transaction.savepoint_create()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            return {"headers": account}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    # No shrinking: schemathesis's inferred links draw from what earlier responses held, so
    # replaying a case against a database that has moved on draws differently (Hypothesis calls
    # that flaky); the first failing sequence is reported as found.
    Stateful.run(settings=settings(max_examples=25, stateful_step_count=8, deadline=None, derandomize=True,
                                   database=None, suppress_health_check=list(HealthCheck),
                                   phases=[Phase.explicit, Phase.generate]))
