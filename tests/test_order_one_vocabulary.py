"""One vocabulary, one state: stages, event kinds, the courtesy sequence, the
order of events and the consent rule live in goodword/lib/vocabulary.py only.

The scan below reads every module of goodword/ (migrations aside) and fails
when a second copy appears: a literal list, tuple or set naming two or more
stages or two or more courtesy steps, a comparison with "agreed" or
"declined", an order_by() on occurred_at that is not the one order, or another
function called listing_state. PLACES lists every module that needs the
vocabulary; each must import it.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from goodword.lib import vocabulary

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "goodword"
HOME = PACKAGE / "lib" / "vocabulary.py"

STAGE_NAMES = set(vocabulary.STAGE_VALUES)
STEP_NAMES = set(vocabulary.STEP_RANK) | vocabulary.CONSENT_KINDS

# Every place that needs the vocabulary, and reads it from there.
PLACES = [
    "goodword/opportunities/models.py",  # Stage, PIPELINE, CLOSED_STAGES, REFERENCES_IN_PLAY
    "goodword/timeline/models.py",  # EventKind, the one order as Meta.ordering
    "goodword/opportunities/services.py",  # the slate's and a reference's listing states
    "goodword/opportunities/views.py",  # the pipeline's stage order, state labels and next drafts
    "goodword/opportunities/forms.py",  # the next stage a stage form suggests
    "goodword/references/models.py",  # standing consent
    "goodword/references/views.py",  # state labels, open applications, the one order
    "goodword/timeline/services.py",  # in_scope needs fresh standing consent; what settles nothing
    "goodword/courtesy/facts.py",  # stage groups, pair kinds, the consent rule and listing state for the ledger
    "goodword/courtesy/ledger.py",  # the one order
    "goodword/cli/common.py",  # stages and event kinds for the CLI's choices, state labels
    "goodword/cli/slate.py",  # state labels
    "goodword/cli/jobs.py",  # state labels
    "goodword/cli/refs.py",  # state labels
    "goodword/cli/log.py",  # state labels
    "goodword/portal/services.py",  # the reference's own answers, in the one order
    "goodword/reminders/services.py",  # lost stages (no first day to put in the calendar)
    "goodword/outreach/drafts.py",  # landed / lost for the drafts' wording
]


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts or path == HOME:
            continue
        yield path, ast.parse(path.read_text(), filename=str(path))


def direct_strings(node) -> list[str]:
    return [item.value for item in node.elts if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def second_copies(path: Path, tree: ast.AST) -> list[str]:
    where = path.relative_to(ROOT)
    found = []
    for node in ast.walk(tree):
        at = f"{where}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            names = direct_strings(node)
            if len(STAGE_NAMES.intersection(names)) >= 2:
                found.append(f"{at}: a list of stages {sorted(STAGE_NAMES.intersection(names))}")
            elif len(STEP_NAMES.intersection(names)) >= 2:
                found.append(f"{at}: a list of courtesy steps {sorted(STEP_NAMES.intersection(names))}")
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(isinstance(o, ast.Constant) and o.value in (vocabulary.AGREED, vocabulary.DECLINED) for o in operands):
                found.append(f"{at}: a comparison with “agreed” or “declined” (the consent rule is vocabulary.consent)")
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "order_by":
            if any(isinstance(arg, ast.Constant) and str(arg.value).lstrip("-") == "occurred_at" for arg in node.args):
                found.append(f"{at}: events ordered by time alone (use vocabulary.NEWEST_FIRST or EVENT_ORDER)")
        elif isinstance(node, ast.FunctionDef) and node.name in ("listing_state", "next_draft_kind", "state_label"):
            found.append(f"{at}: a second {node.name}() (vocabulary has the one)")
    return found


def test_no_module_keeps_a_second_copy_of_the_vocabulary():
    found = [problem for path, tree in modules() for problem in second_copies(path, tree)]
    assert found == []


def test_the_scan_finds_a_second_copy_when_one_appears():
    planted = ast.parse(
        'LOST = {"rejected", "withdrawn"}\n'
        'KINDS = ("agreed", "heads_up")\n'
        'if consent == "declined": pass\n'
        'Event.objects.order_by("-occurred_at")\n'
        "def listing_state(events): pass\n"
    )
    assert len(second_copies(ROOT / "goodword" / "planted.py", planted)) == 5


def imports_vocabulary(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
            node.module == "goodword.lib.vocabulary"
            or (node.module == "goodword.lib" and any(alias.name == "vocabulary" for alias in node.names))
        ):
            return True
        if isinstance(node, ast.Import) and any(alias.name == "goodword.lib.vocabulary" for alias in node.names):
            return True
    return False


@pytest.mark.parametrize("place", PLACES)
def test_every_place_that_needs_the_vocabulary_reads_it_from_the_one_module(place):
    assert imports_vocabulary(ast.parse((ROOT / place).read_text()))


def test_the_models_choices_are_generated_from_the_vocabulary():
    from goodword.cli import common
    from goodword.courtesy import facts
    from goodword.opportunities.models import CLOSED_STAGES, PIPELINE, REFERENCES_IN_PLAY, Stage
    from goodword.timeline.models import Event, EventKind

    assert Stage.choices == vocabulary.STAGES
    assert EventKind.choices == vocabulary.EVENT_KINDS
    assert Event._meta.ordering == list(vocabulary.NEWEST_FIRST)
    assert PIPELINE == list(vocabulary.PIPELINE)
    assert CLOSED_STAGES is vocabulary.OUTCOME_STAGES and REFERENCES_IN_PLAY is vocabulary.REFERENCES_IN_PLAY
    assert facts.ASKED_STAGES is vocabulary.REFERENCES_IN_PLAY and facts.PAIR_KINDS is vocabulary.PAIR_KINDS
    assert common.STAGES == list(vocabulary.STAGE_VALUES) and common.EVENT_KINDS is vocabulary.EVENT_KIND_LABELS


def test_the_vocabulary_is_plain_python_without_django():
    code = "import sys, goodword.lib.vocabulary; print(any(name.startswith('django') for name in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.stdout.strip() == "False"


def test_the_ledgers_listing_state_is_the_slates():
    """The ledger's facts and the slate compute a listing's state with the one function."""
    import datetime as dt

    from tests.factories.courtesy import NOW, listing, opp, ref

    events = [("permission_asked", NOW), ("agreed", NOW), ("heads_up", NOW + dt.timedelta(hours=1)),
              ("declined", NOW + dt.timedelta(hours=1))]
    row = listing(ref(), opp(), *events)
    numbered = [(kind, when, number) for number, (kind, when) in enumerate(events, 1)]
    assert row.state == vocabulary.listing_state(numbered) == "declined"
    assert row.consent == vocabulary.consent(numbered) == "declined"
