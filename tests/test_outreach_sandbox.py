"""Users' templates render in a sandbox: hostile ones are refused or stopped, with a clear message."""

import time

import pytest
from django.core.exceptions import ValidationError

from goodword.outreach import drafts, sandbox, services

CONTEXT = drafts.sample_context()


def render(body, subject="Hi"):
    return sandbox.render_untrusted({"subject": subject, "body": body}, CONTEXT)


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{{ ''.__class__.__mro__ }}", "__class__"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "__class__"),
        ("{{ cycler.__init__.__globals__ }}", "unsafe"),
        ("{{ joiner.__init__.__globals__.os }}", "unsafe"),
        ("{{ lipsum.__globals__['os'].popen('id').read() }}", "'lipsum' is undefined"),
        ("{{ reference.vouches_for.append('x') }}", "unsafe"),
        ("{{ reference.__class__ }}", "unsafe"),
        ("{{ settings.SECRET_KEY }}", "'settings' is undefined"),
        ("{{ request.user }}", "'request' is undefined"),
        ("{{ config }}", "'config' is undefined"),
        ("{% include '/etc/passwd' %}", "{% include %} is not allowed"),
        ("{% import 'x.html' as x %}", "{% import %} is not allowed"),
        ("{% extends '/etc/passwd' %}", "{% extends %} is not allowed"),
        ("{% from 'x' import y %}", "is not allowed"),
        ("{{ reference|attr('__class__') }}", "No filter named 'attr'"),
        ("{{ 'x' * 100000000 }}", "too much text"),
        ("{{ 10 ** 100000000 }}", "exponent is too large"),
        ("{% for i in range(10) %}{% endfor %}", "'range' is undefined"),
        ("{{ reference.vouches_for|sort(attribute='__class__') }}", "__class__"),
        ("{{ reference.vouches_for|join(attribute='__class__.__mro__') }}", "__class__"),
        ("{{ '{0.__class__}'.format(reference.name) }}", "__class__"),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "RecursionError"),
        ("{{ reference.name|center(10**9) }}", "too much memory"),
    ],
)
def test_hostile_templates_are_refused(source, words):
    with pytest.raises(sandbox.TemplateProblem) as caught:
        render(source)
    assert words in str(caught.value)


def test_a_template_that_loops_forever_is_stopped_in_time():
    # 10^12 iterations with no output: only the timeout can stop it.
    source = "{% set big = reference.vouches_for * 5000 %}{% for a in big %}{% for b in big %}{% for c in big %}{% endfor %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    with pytest.raises(sandbox.TemplateProblem, match="longer than 3 seconds"):
        render(source)
    assert time.monotonic() - started < sandbox.TIME_LIMIT_SECONDS + 2


def test_a_template_producing_megabytes_is_stopped():
    source = "{% set big = reference.vouches_for * 5000 %}{% for a in big %}{% for b in big %}{{ reference.name }}{% endfor %}{% endfor %}"
    with pytest.raises(sandbox.TemplateProblem, match="more than 100,000 characters"):
        render(source)


def test_syntax_error_names_the_part_and_line():
    with pytest.raises(sandbox.TemplateProblem) as caught:
        render("Hello\n\n{% if reference.name %}\nno end")
    assert caught.value.part == "body"
    assert caught.value.line == 3
    assert "body, line 3: Unexpected end of template" in str(caught.value)
    assert "'endif'" in str(caught.value)


def test_misspelt_variable_names_the_line():
    with pytest.raises(sandbox.TemplateProblem, match=r"body, line 2: 'refrence' is undefined"):
        render("Hi {{ reference.first_name }}\n{{ refrence.name }}")


def test_documented_variables_and_filters_work():
    rendered = render(
        "{{ reference.name|first_name }}: {{ reference.vouches_for|sentence_list }}\n"
        "{{ job.recap.strong_points|bullets }}\n{{ job.checker.name|default('the team', true)|upper }}",
        subject="{{ job.role }} at {{ job.company }}",
    )
    assert rendered["subject"] == "Platform Engineer at Northwind Traders"
    assert rendered["body"] == "Dana: Led the billing migration and Mentored two new hires\n- Incident leadership\nPRIYA RAMAN"


def test_the_child_process_gets_no_secrets_from_the_environment(monkeypatch):
    monkeypatch.setenv("GOODWORD_SECRET_KEY", "s" * 40)
    # There is no way to reach os.environ from a template; this proves the
    # child would not even have it if there were.
    assert "GOODWORD" not in str(sandbox._child_env())


def test_saving_a_broken_template_is_refused_with_the_problem(alice):
    with pytest.raises(ValidationError, match="body, line 1: 'nobody' is undefined"):
        services.save_user_template(alice, "thanks", "formal", subject="Thanks", body="{{ nobody }}")


def test_built_in_templates_pass_the_sandbox_checks():
    for kind in ("permission", "heads_up", "letter", "talking_points", "outcome", "thanks", "keep_in_touch", "apology"):
        for tone in ("friendly", "formal"):
            sources = drafts.builtin_sources(kind, tone)
            assert render(sources["body"], sources["subject"])["body"]
