"""What a posting asks for, and which of a reference's vouches speak to it. No Django here.

Lexical on purpose: a stemmer (so "leading" meets "lead"), the user's own
synonym list (so "k8s" meets "Kubernetes"), and fuzzy matching of each word
of a multi-word skill (so "Kubernets" and "incident-response" still count).
Nothing here guesses meaning beyond that, so every match can be explained
by pointing at the words that met.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz, process

MAX_REQUIREMENTS = 60
MAX_REQUIREMENT_CHARS = 300
FUZZY_SCORE = 86  # rapidfuzz ratio (0–100) two words need to count as the same word
FUZZY_MIN_LENGTH = 5  # shorter words must match exactly: "Go" is not "Git"
# Words with digits or signs (ec2, python3, c++) also match exactly: "s3" is not "s4".

_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–]|\d{1,2}[.)])\s+(?=\S)")
_ASKING = re.compile(
    r"\b(experience|experienced|you will|you'll|you have|must|required|requirements?|proficien\w*|familiar\w*|"
    r"skills?|ability|able to|strong|knowledge|understanding|background|degree|years?)\b",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^[^.!?]{0,60}:$")
_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*(?:\.[a-z0-9]+)*", re.IGNORECASE)
_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_REFERENCE_COUNT = re.compile(
    r"\b(\d|two|three|four|five|six)\s+(?:\w+\s+){0,2}(?:references|referees)\b", re.IGNORECASE
)
_SENIOR = re.compile(r"\b(senior|sr\.?|lead|principal|staff|head|director|vp|vice president|chief|manager)\b", re.IGNORECASE)

# Words a requirement is made of but no skill is: matching them would tie
# every reference to every line.
STOPWORDS = frozenset("""
a an and are as at be been being but by can could do does for from has have having he her his i if in into is it
its just may more most must need needs no not of on or our ours over per should so some such than that the their
them then there these they this those to too under up us very was we were what when where which while who will
with would you your yours plus ideally preferred required requirement requirements experience experienced strong
ability able knowledge understanding skill skills years year good great excellent solid proven work working
including etc also well within across using use least e.g eg ie i.e nice bonus familiarity familiar proficiency
proficient demonstrated track record hands team role candidate
""".split())


def requirement_lines(posting_text: str, limit: int = MAX_REQUIREMENTS) -> list[str]:
    """The lines a posting asks for: its bullet lines, else sentences that read like requirements.

    Headings ("What you'll bring:") are dropped; each line is trimmed to
    MAX_REQUIREMENT_CHARS and repeats are kept once.
    """
    text = posting_text or ""
    lines = [_BULLET.sub("", line).strip() for line in text.splitlines() if _BULLET.match(line)]
    if not lines:
        sentences = re.split(r"(?<=[.!?;])\s+|\n+", text)
        lines = [s.strip() for s in sentences if _ASKING.search(s) and 10 < len(s.strip())]
    found: dict[str, str] = {}
    for line in lines:
        line = re.sub(r"\s+", " ", line).strip().rstrip(".;,")
        if not line or _HEADING.match(line):
            continue
        line = line[:MAX_REQUIREMENT_CHARS]
        found.setdefault(line.casefold(), line)
        if len(found) >= limit:
            break
    return list(found.values())


_NAMED = re.compile(r"(?<![\w.])([A-Z][\w+#.]*[A-Za-z0-9+#](?:[ -][A-Z][\w+#.]*[A-Za-z0-9+#])*|[a-z]+[0-9+#][\w+#]*)")


_LEADING_VERBS = frozenset("""
build design lead drive manage mentor run write ship define develop support help bring create deliver improve
maintain own partner collaborate communicate work deep hands fluent bachelor master degree we you
""".split())


def _leading_word(word: str) -> bool:
    """A word that starts requirement lines without naming a skill."""
    folded = word.casefold()
    return (folded in STOPWORDS or folded in _LEADING_VERBS
            or bool(re.search(r"(ing|ed|ly|ion|ment|ence|ance|ity|ive|ful|al|ise|ize)$", folded)))


def named_skills(lines: list[str], limit: int = 40) -> list[str]:
    """The skills and domains the lines name: capitalised terms (Kafka, Google
    Cloud, PostgreSQL; a line's first word only when it does not read as a verb
    or a common word) and terms with digits or signs (k8s, C++, C#), each once,
    in the order they first appear."""
    found: dict[str, str] = {}
    for line in lines:
        for match in _NAMED.finditer(line):
            words = re.split(r"(?<=\S)([ -])", match.group(1).rstrip("."))
            # A line's first word is capitalised anyway: "Terraform at scale" names a skill,
            # "Leading", "Build" and "Experience" do not.
            if match.start() == 0 and not re.search(r"[0-9+#A-Z]", words[0][1:]) and _leading_word(words[0]):
                words = words[2:]
            while words and words[0].casefold() in STOPWORDS:
                words = words[2:]
            term = "".join(words)
            if len(term) < 2 or term.casefold() in STOPWORDS:
                continue
            found.setdefault(term.casefold(), term)
            if len(found) >= limit:
                return list(found.values())
    return list(found.values())


def references_asked_for(posting_text: str) -> int | None:
    """The number of references the posting asks for ("three professional references"), if it says."""
    match = _REFERENCE_COUNT.search(posting_text or "")
    if not match:
        return None
    word = match.group(1).lower()
    count = int(word) if word.isdigit() else _COUNT_WORDS[word]
    return count if 1 <= count <= 6 else None


def is_senior_role(role: str) -> bool:
    return bool(_SENIOR.search(role or ""))


def parse_synonyms(text: str) -> list[tuple[str, ...]]:
    """The user's synonym list: one group per line, its terms separated by "=" or ",".

    "k8s = kubernetes" and "postgres, postgresql, psql" each make one group;
    the longest term of a group stands for the others.
    """
    groups = []
    for line in (text or "").splitlines():
        line = line.split("#", 1)[0]
        terms = tuple(dict.fromkeys(t.strip().casefold() for t in re.split(r"[=,;]", line) if t.strip()))
        if len(terms) >= 2:
            groups.append(terms)
    return groups


def synonym_problems(text: str) -> list[str]:
    """What is wrong with a synonym list, in words ([] when it is fine)."""
    problems = []
    for number, line in enumerate((text or "").splitlines(), 1):
        bare = line.split("#", 1)[0].strip()
        if bare and len([t for t in re.split(r"[=,;]", bare) if t.strip()]) < 2:
            problems.append(f"Line {number} (“{bare[:40]}”) names one term; write two or more, like “k8s = kubernetes”.")
        if len(line) > 500:
            problems.append(f"Line {number} is longer than 500 characters.")
    return problems


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


class Matcher:
    """Matches vouches against one posting's requirement lines, for one user's synonyms.

    Built once per suggestion; `covered_by(vouch)` answers which requirement
    lines a vouch speaks to, as a bit mask (bit i: line i), cached per text.
    """

    def __init__(self, requirements: list[str], synonyms: Iterable[tuple[str, ...]] = ()):
        self.requirements = list(requirements)
        self._phrases: list[tuple[re.Pattern, str]] = []
        for group in synonyms:
            # The longest term stands for the group, so a misspelling of it still matches fuzzily.
            longest = max(group, key=len)
            canonical = "_".join(_WORD.findall(longest.casefold())) or longest
            for term in sorted(group, key=len, reverse=True):
                words = _WORD.findall(term.casefold())
                if words:
                    pattern = re.compile(r"(?<![a-z0-9])" + r"[\s\-/]+".join(map(re.escape, words)) + r"(?![a-z0-9])")
                    self._phrases.append((pattern, canonical))
        self._index: dict[str, int] = {}  # requirement term -> mask of the lines that hold it
        for number, line in enumerate(self.requirements):
            for term in self.terms(line):
                self._index[term] = self._index.get(term, 0) | (1 << number)
        self._vocabulary = list(self._index)
        self._term_masks: dict[str, int] = {}
        self._term_words: dict[str, set[str]] = {}
        self._vouch_cache: dict[str, int] = {}

    @property
    def all_mask(self) -> int:
        return (1 << len(self.requirements)) - 1

    def terms(self, text: str) -> list[str]:
        """The content words of a text, synonyms folded and stemmed."""
        folded = text.casefold()
        for pattern, canonical in self._phrases:
            folded = pattern.sub(canonical, folded)
        return [canonical if "_" in canonical else stem(canonical)
                for canonical in (word.strip(".") for word in _WORD.findall(folded))
                if canonical and canonical not in STOPWORDS]

    def _term_mask(self, term: str) -> int:
        mask = self._term_masks.get(term)
        if mask is None:
            mask = self._index.get(term, 0)
            near = set()
            if len(term) >= FUZZY_MIN_LENGTH and term.isalpha() and self._vocabulary:
                for other, _score, _ in process.extract(term, self._vocabulary, scorer=fuzz.ratio,
                                                        score_cutoff=FUZZY_SCORE, limit=None):
                    if len(other) >= FUZZY_MIN_LENGTH and other.isalpha():
                        mask |= self._index[other]
                        near.add(other)
            self._term_masks[term] = mask
            self._term_words[term] = near | ({term} if term in self._index else set())
        return mask

    def covered_by(self, vouch: str) -> int:
        """The requirement lines this vouch speaks to: every content word of it
        (stemmed, synonyms folded, or fuzzily the same) appears in the line."""
        cached = self._vouch_cache.get(vouch)
        if cached is not None:
            return cached
        mask = 0
        terms = self.terms(vouch)
        if terms:
            mask = self.all_mask
            for term in dict.fromkeys(terms):
                mask &= self._term_mask(term)
                if not mask:
                    break
        self._vouch_cache[vouch] = mask
        return mask


def lines_of(mask: int, lines: list[str]) -> list[str]:
    return [line for number, line in enumerate(lines) if mask >> number & 1]
