"""Render message templates safely: users' own templates cannot read or run anything.

Templates are Jinja, rendered by an ImmutableSandboxedEnvironment (no
underscored attributes, no mutation of the data) with:

- no globals (no range, cycler, joiner, namespace, lipsum: nothing to walk from),
- a fixed list of filters (FILTERS below; docs/drafts.md documents them),
- plain data only: the context is JSON (dicts, lists, strings, numbers), so
  there is no model, manager or settings object to reach,
- include/import/extends refused at parse time (there is no loader either),
- StrictUndefined, so a misspelt variable is an error with its line number.

A user's template is rendered in a child process (`python -I -m
goodword.outreach.sandbox`) with a wall-clock timeout, CPU and memory
rlimits, and an output cap checked while streaming: a loop that never ends
or a template that produces megabytes is stopped, and the web process never
runs user code in its own threads. Built-in templates are ours and render
in-process through the same environment (fast, same semantics).

No Django imports here: the child process imports this module alone.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import traceback
from pathlib import Path

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

TIME_LIMIT_SECONDS = 3.0
# A backstop behind the wall-clock timeout, not a second race with it: at an
# equal limit, whichever fired first decided the message the user got.
CPU_LIMIT_SECONDS = 5
MEMORY_LIMIT_BYTES = 512 * 1024 * 1024
MAX_OUTPUT_CHARS = 100_000
MAX_SOURCE_CHARS = 50_000
MAX_REPEAT = 10_000  # largest string/list produced by `*` or `**` in a template
PARTS = ("subject", "body")
HTML_PARTS = ("html",)  # rendered with autoescaping: every fact is escaped


TOOK_TOO_LONG = (
    f"took longer than {TIME_LIMIT_SECONDS:g} seconds to render and was stopped; "
    "look for a loop that runs too many times."
)


class TemplateProblem(Exception):
    """A template that cannot be used; the message names the part, line and what went wrong."""

    def __init__(self, message: str, *, part: str = "", line: int | None = None):
        self.part = part
        self.line = line
        where = ""
        if part:
            where = f"{part}, line {line}: " if line else f"{part}: "
        super().__init__(where + message)
        self.detail = message


def _bullets(items, marker="- "):
    if isinstance(items, str):
        items = [items]
    return "\n".join(f"{marker}{item}" for item in items or [])


def _sentence_list(items, conjunction="and"):
    items = [str(item) for item in (items or []) if str(item).strip()]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _first_name(name):
    return str(name or "").strip().split(" ")[0] if name else ""


# The documented filters, and only these. Jinja's built-ins like `attr`,
# `map(attribute=…)` or `format` are left out: nothing here walks objects.
SAFE_BUILTIN_FILTERS = (
    "capitalize", "default", "first", "join", "last", "length", "lower", "replace",
    "title", "trim", "truncate", "upper", "wordwrap", "indent", "sort", "unique", "list", "center",
)
CUSTOM_FILTERS = {"bullets": _bullets, "sentence_list": _sentence_list, "first_name": _first_name}
FILTER_DOCS = {
    "bullets": "a list as “- item” lines: {{ recap.strong_points|bullets }}",
    "sentence_list": "a list as “a, b and c”: {{ reference.vouches_for|sentence_list }}",
    "first_name": "the first word of a name: {{ reference.name|first_name }}",
    "default": "a fallback when empty: {{ job.checker.name|default('the hiring team', true) }}",
    "join, first, last, length, sort, unique, list": "list helpers",
    "lower, upper, title, capitalize, trim, replace, truncate, wordwrap, indent, center": "text helpers",
}
FORBIDDEN_NODES = {
    nodes.Include: "{% include %}", nodes.Import: "{% import %}", nodes.FromImport: "{% from … import %}",
    nodes.Extends: "{% extends %}",
}


class MessageSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, autoescape=False):
        super().__init__(undefined=StrictUndefined, autoescape=autoescape, keep_trailing_newline=False, loader=None)
        self.globals.clear()
        builtin = self.filters
        self.filters = {name: builtin[name] for name in SAFE_BUILTIN_FILTERS} | CUSTOM_FILTERS
        self.tests = {name: self.tests[name] for name in ("defined", "undefined", "none", "number", "string", "sequence", "mapping", "even", "odd", "in", "eq", "ne")}

    def call_binop(self, context, operator, left, right):
        # "x" * 10**9 would allocate a gigabyte before any output check runs.
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("the exponent is too large")
            return left**right
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and len(sequence) * count > MAX_REPEAT:
                    raise SecurityError("that repetition would produce too much text")
            return left * right
        return super().call_binop(context, operator, left, right)


_environments: dict[bool, MessageSandbox] = {}


def environment(autoescape: bool = False) -> MessageSandbox:
    if autoescape not in _environments:
        _environments[autoescape] = MessageSandbox(autoescape)
    return _environments[autoescape]


def check_template(source: str, part: str = "template"):
    """Compile one template, refusing what the sandbox does not allow; returns the compiled template."""
    if len(source) > MAX_SOURCE_CHARS:
        raise TemplateProblem(f"is longer than {MAX_SOURCE_CHARS:,} characters.", part=part)
    env = environment(autoescape=part in HTML_PARTS)
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as error:
        raise TemplateProblem(error.message or "syntax error", part=part, line=error.lineno) from None
    for node_type, label in FORBIDDEN_NODES.items():
        for node in tree.find_all(node_type):
            raise TemplateProblem(
                f"{label} is not allowed: a message template cannot read other files.", part=part, line=node.lineno
            )
    try:
        return env.from_string(source)
    except TemplateSyntaxError as error:
        raise TemplateProblem(error.message or "syntax error", part=part, line=error.lineno) from None


def _template_line(error: BaseException) -> int | None:
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == "<template>":
            line = frame.lineno
    return line


def render_part(source: str, context: dict, part: str) -> str:
    """Render one template, streaming so that oversized output stops early."""
    template = check_template(source, part)
    chunks, size = [], 0
    try:
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateProblem(
                    f"produces more than {MAX_OUTPUT_CHARS:,} characters and was stopped; "
                    "look for a loop that repeats too often.", part=part,
                )
            chunks.append(chunk)
    except TemplateProblem:
        raise
    except SecurityError as error:
        raise TemplateProblem(f"not allowed: {error}", part=part, line=_template_line(error)) from None
    except UndefinedError as error:
        raise TemplateProblem(
            f"{error.message}; see the list of variables you can use.", part=part, line=_template_line(error)
        ) from None
    except TemplateError as error:
        raise TemplateProblem(str(error), part=part, line=_template_line(error)) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, RecursionError) as error:
        raise TemplateProblem(f"{type(error).__name__}: {error}", part=part, line=_template_line(error)) from None
    except MemoryError:
        raise TemplateProblem("needs too much memory and was stopped.", part=part) from None
    return "".join(chunks)


def render_trusted(sources: dict[str, str], context: dict) -> dict[str, str]:
    """Our own built-in templates: same environment, in-process."""
    return {part: render_part(source, context, part) for part, source in sources.items()}


def render_untrusted(sources: dict[str, str], context: dict) -> dict[str, str]:
    """A user's templates, in a child process with a timeout and resource limits."""
    for part, source in sources.items():
        check_template(source, part)  # fast syntax errors without a process
    payload = json.dumps({"sources": sources, "context": context})
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", CHILD_COMMAND, PACKAGE_ROOT],
            input=payload, capture_output=True, text=True, timeout=TIME_LIMIT_SECONDS, env=_child_env(), check=False,
        )
    except subprocess.TimeoutExpired:
        raise TemplateProblem(TOOK_TOO_LONG) from None
    try:
        answer = json.loads(done.stdout or "null")
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        if done.returncode == -signal.SIGXCPU:
            raise TemplateProblem(TOOK_TOO_LONG)
        if done.returncode < 0 or "MemoryError" in done.stderr:
            # Killed by an rlimit (SIGXCPU, SIGKILL) or out of memory.
            raise TemplateProblem("used too much time or memory and was stopped.")
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise TemplateProblem(f"could not be rendered ({last}).")
    if "error" in answer:
        raise TemplateProblem(answer["error"]["detail"], part=answer["error"]["part"], line=answer["error"]["line"])
    return answer["rendered"]


# -I ignores PYTHONPATH, the user's site-packages and the current folder; the
# package is found through the path passed explicitly. The child's
# environment is built from scratch, so none of the parent's secrets reach it.
PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent.parent)
CHILD_COMMAND = "import sys; sys.path.insert(0, sys.argv[1]); from goodword.outreach.sandbox import _child_main; _child_main()"


def _child_env() -> dict:
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"}


def _child_main() -> None:
    import resource

    for limit, value in ((resource.RLIMIT_CPU, CPU_LIMIT_SECONDS), (resource.RLIMIT_AS, MEMORY_LIMIT_BYTES)):
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            # macOS refuses RLIMIT_AS; the parent's timeout and the output cap still hold.
            pass
    request = json.loads(sys.stdin.read())
    try:
        rendered = {part: render_part(src, request["context"], part) for part, src in request["sources"].items()}
        answer = {"rendered": rendered}
    except TemplateProblem as problem:
        answer = {"error": {"detail": problem.detail, "part": problem.part, "line": problem.line}}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    _child_main()
