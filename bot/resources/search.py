"""Forgiving search over the resource library: a pure, in-memory inverted index.

Chosen by measurement (docs/adr/0004-resource-search-in-memory.md): the shipped library is
small and read-only, so an index built at start-up answers in microseconds where SQLite FTS5
needed milliseconds and a query-escaping layer.

Forgiving means: case, accents, punctuation and word order do not matter; plurals are folded
("books" = "book"); adjacent words are also indexed joined ("hugging face" finds "huggingface"
and the reverse, "ml ops" finds "mlops"); the last word of a query is a prefix (and any word
with no exact match); a word with no exact or prefix match is corrected to vocabulary within
one or two edits; aliases, authors and every synonym of a resource's topics and roles are
indexed with the title. Any input is safe: it is normalised to letters and digits and capped.
"""

from __future__ import annotations

import heapq
import math
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.content.schema import KINDS, LEVELS, Resource, Role, Topic

MAX_QUERY_CHARS = 300
MAX_QUERY_WORDS = 12
PREFIX_FANOUT = 12  # a prefix expands to at most this many vocabulary words (the commonest)
# Postings are kept best first; a query reads at most this many per word it matched, so a word
# that is everywhere ("ml") costs the same as a rare one. The rest could not reach the top.
POSTINGS_READ = {1.0: 250, 0.75: 60, 0.7: 150}
# Autocomplete answers on every keystroke and shows 25: it reads less of each list.
COMPLETE_READ = {1.0: 120, 0.75: 30, 0.7: 60}

# How much a word counts in each field of a resource.
WEIGHTS = {
    "title": 3.0,
    "alias": 3.0,
    "author": 2.0,
    "topic": 1.2,
    "role": 0.3,
    "kind": 0.8,
    "why": 0.6,
}
EXACT, PREFIX, FUZZY = 1.0, 0.75, 0.7
TOPIC_MATCH, ROLE_MATCH = 2.0, 1.0  # a query that names a topic or a role
_SAT = 1.5  # term-frequency saturation (BM25's k1)

_LEVEL_ORDER = {level: i for i, level in enumerate(LEVELS)}

# Words that carry no meaning in a question ("how do I get a job at a startup"); a query made
# only of them is searched as typed.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "for",
        "in",
        "on",
        "at",
        "and",
        "or",
        "about",
        "how",
        "what",
        "which",
        "is",
        "are",
        "i",
        "me",
        "my",
        "do",
        "does",
        "can",
        "get",
        "want",
        "some",
        "any",
        "good",
        "best",
        "learn",
        "read",
        "start",
        "starting",
        "should",
        "where",
    ]
)


def fold(text: str) -> str:
    """Lower case, accents removed, everything but letters and digits turned into spaces."""
    text = unicodedata.normalize("NFKD", text[: MAX_QUERY_CHARS * 20])
    out = []
    for ch in text:
        if unicodedata.combining(ch):
            continue
        out.append(ch.lower() if ch.isalnum() else " ")
    return " ".join("".join(out).split())


def stem(word: str) -> str:
    """Fold an English plural to its singular, conservatively ("libraries" -> "library")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The searchable words of `text`: folded and stemmed."""
    return [stem(w) for w in fold(text).split()]


def _joined(raw: Sequence[str]) -> list[str]:
    """Adjacent words joined: "hugging face" -> "huggingface", so spacing does not matter."""
    return [stem(a + b) for a, b in zip(raw, raw[1:], strict=False)]


def _edits_within(a: str, b: str, limit: int) -> bool:
    """Damerau-Levenshtein distance of a and b is at most `limit` (early exit)."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
            best = min(best, cur[j])
        if best > limit:
            return False
        prev2, prev = prev, cur
    return prev[len(b)] <= limit


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _allowed_edits(word: str) -> int:
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


@dataclass(frozen=True)
class Filters:
    """Narrowing choices, already resolved to ids (see `SearchIndex.resolve`)."""

    role: str | None = None
    topic: str | None = None
    level: str | None = None
    kind: str | None = None
    free: bool = False

    def admits(self, r: Resource) -> bool:
        return (
            (self.role is None or self.role in r.roles)
            and (self.topic is None or self.topic in r.topics)
            and (self.level is None or r.level == self.level)
            and (self.kind is None or r.kind == self.kind)
            and (not self.free or r.cost == "free")
        )

    @property
    def any(self) -> bool:
        return any((self.role, self.topic, self.level, self.kind, self.free))


@dataclass(frozen=True)
class Hit:
    resource: Resource
    score: float


@dataclass(frozen=True)
class Resolved:
    """Filters as understood, plus a note for each value that was not (and was ignored)."""

    filters: Filters
    notes: tuple[str, ...] = ()


@dataclass
class _Vocabulary:
    """Named things (roles, topics, levels, kinds) matched forgivingly by label or synonym."""

    names: dict[str, str] = field(default_factory=dict)  # folded name -> id

    def add(self, ident: str, *names: str) -> None:
        for name in (ident, *names):
            for form in {fold(name), " ".join(words(name)), fold(name).replace(" ", "")}:
                if form:
                    self.names.setdefault(form, ident)

    def find(self, text: str) -> str | None:
        folded = fold(text)
        if not folded:
            return None
        for form in (folded, " ".join(words(text)), folded.replace(" ", "")):
            if form in self.names:
                return self.names[form]
        starts = sorted({i for n, i in self.names.items() if n.startswith(folded)})
        if len(starts) == 1:
            return starts[0]
        limit = max(1, _allowed_edits(folded))
        close = sorted({i for n, i in self.names.items() if _edits_within(folded, n, limit)})
        return close[0] if len(close) == 1 else None


class SearchIndex:
    """An inverted index of resources with forgiving matching; build once, query often."""

    def __init__(
        self,
        resources: Sequence[Resource],
        topics: Sequence[Topic] = (),
        roles: Sequence[Role] = (),
        *,
        stats: SearchIndex | None = None,
    ) -> None:
        """Index `resources`; with `stats`, weigh words by that (bigger) index's frequencies
        too, so scores of a workspace's few extra resources compare with the library's."""
        self.resources = tuple(resources)
        self._position = {r.id: i for i, r in enumerate(self.resources)}
        self._topic_words = {t.id: [t.label, *t.synonyms] for t in topics}
        self._role_words = {r.id: [r.label, *r.synonyms] for r in roles}
        self.roles = _Vocabulary()
        for role in roles:
            self.roles.add(role.id, role.label, *role.synonyms)
        self.topics = _Vocabulary()
        for topic in topics:
            self.topics.add(topic.id, topic.label, *topic.synonyms)
        self.levels = _Vocabulary()
        for level in LEVELS:
            self.levels.add(level)
        self.levels.add("beginner", "basic", "intro", "introductory", "novice", "easy")
        self.levels.add("intermediate", "medium", "mid")
        self.levels.add("advanced", "expert", "hard", "deep")
        self.kinds = _Vocabulary()
        for kind in KINDS:
            self.kinds.add(kind)
        self.kinds.add("certification", "cert", "exam", "certificate")
        self.kinds.add("video", "videos", "youtube", "lectures")
        self.kinds.add("article", "blog", "post", "essay")
        self.kinds.add("community", "forum", "slack", "discord", "meetup")
        self.kinds.add("paper", "arxiv", "research paper")
        self.kinds.add("book", "textbook", "ebook")
        self.kinds.add("course", "class", "mooc", "tutorial")
        self.kinds.add("tool", "library", "framework", "platform", "docs")

        postings: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        self._phrases: list[set[str]] = []
        joined_terms: set[str] = set()
        folded: dict[str, list[str]] = {}
        for doc, r in enumerate(self.resources):
            phrases: set[str] = set()
            for fname, texts in self._fields(r):
                weight = WEIGHTS[fname]
                for text in texts:
                    raw = folded.get(text)
                    if raw is None:
                        raw = folded[text] = fold(text).split()
                    if fname in ("title", "alias", "author", "topic"):
                        phrases.add(" ".join(stem(w) for w in raw))
                    for w in {stem(w) for w in raw}:
                        postings[w][doc] += weight
                    if fname != "why":
                        for w in set(_joined(raw)) - set(raw):
                            postings[w][doc] += weight * 0.9
                            joined_terms.add(w)
            self._phrases.append(phrases)
        n = max(1, len(self.resources) + (len(stats.resources) if stats else 0))
        self._postings: dict[str, tuple[tuple[int, float], ...]] = {}
        self._df: dict[str, int] = {}
        for term, docs in postings.items():
            df = len(docs) + (stats._df.get(term, 0) if stats else 0)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            self._df[term] = len(docs)
            self._postings[term] = tuple(
                sorted(
                    ((d, idf * (w * (_SAT + 1)) / (w + _SAT)) for d, w in docs.items()),
                    key=lambda posting: -posting[1],
                )
            )
        # Joined pairs ("huggingface") match exactly, or as a last resort by prefix or typo;
        # words match by prefix and typo too ("learnin" is not "learningan").
        # A query naming a topic or role (any synonym, "large language models") finds what is
        # filed under it, as strongly as the words would.
        self._named_docs: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for doc, r in enumerate(self.resources):
            for t in r.topics:
                self._named_docs[f"topic:{t}"].append((doc, TOPIC_MATCH))
            for role_id in r.roles:
                self._named_docs[f"role:{role_id}"].append((doc, ROLE_MATCH))
        self._vocab = sorted(t for t in self._postings if t not in joined_terms)
        self._joined_vocab = sorted(joined_terms)
        self._by_deletion: dict[str, list[str]] = defaultdict(list)
        for term in self._postings:
            if _allowed_edits(term) and not term.isdigit():
                for d in _deletes(term):
                    self._by_deletion[d].append(term)
        self._short_prefix: dict[str, list[str]] = {}
        grouped: dict[str, list[str]] = defaultdict(list)
        for term in self._vocab:
            for k in (1, 2):
                if len(term) > k:
                    grouped[term[:k]].append(term)
        for prefix, terms in grouped.items():
            # One or two letters say little: expand to fewer, commoner words.
            fanout = PREFIX_FANOUT // 2 if len(prefix) == 1 else PREFIX_FANOUT
            self._short_prefix[prefix] = heapq.nlargest(fanout, terms, key=lambda t: self._df[t])

    def _fields(self, r: Resource) -> Iterable[tuple[str, list[str]]]:
        yield "title", [r.title]
        yield "alias", list(r.aliases)
        yield "author", list(r.authors)
        yield "topic", [w for t in r.topics for w in self._topic_words.get(t, [t])]
        yield "role", [w for role in r.roles for w in self._role_words.get(role, [role])]
        yield "kind", [r.kind, r.level, r.cost]
        yield "why", [r.why]

    # -- matching words ----------------------------------------------------------------------

    def _prefixed(self, word: str, vocab: list[str] | None = None) -> list[str]:
        if vocab is None and len(word) <= 2:
            return self._short_prefix.get(word, [])
        vocab = self._vocab if vocab is None else vocab
        start = bisect_left(vocab, word)
        found: list[str] = []
        for term in vocab[start:]:
            if not term.startswith(word):
                break
            found.append(term)
        if len(found) > PREFIX_FANOUT:
            found = heapq.nlargest(PREFIX_FANOUT, found, key=lambda t: self._df[t])
        return found

    def _corrected(self, word: str) -> list[str]:
        limit = _allowed_edits(word)
        if not limit:
            return []
        candidates: set[str] = set(self._by_deletion.get(word, ()))
        for d in _deletes(word):
            if d in self._postings:
                candidates.add(d)
            candidates.update(self._by_deletion.get(d, ()))
        return [c for c in candidates if c != word and _edits_within(word, c, limit)]

    def _matches(self, word: str, last: bool) -> list[tuple[str, float]]:
        """Vocabulary words standing for `word`, each with how sure the match is."""
        found: dict[str, float] = {}
        if word in self._postings:
            found[word] = EXACT
        if last or not found:
            for term in self._prefixed(word):
                found.setdefault(term, PREFIX)
        elif len(word) >= 4:
            # A finished word may still be short for a longer one ("math", "stat").
            for term in self._prefixed(word)[:4]:
                found.setdefault(term, PREFIX)
        if not found and len(word) >= 4:
            for term in self._prefixed(word, self._joined_vocab):
                found.setdefault(term, PREFIX)
        if not found:
            for term in self._corrected(word):
                found.setdefault(term, FUZZY)
        return list(found.items())

    # -- queries -----------------------------------------------------------------------------

    def resolve(
        self,
        role: str | None = None,
        topic: str | None = None,
        level: str | None = None,
        kind: str | None = None,
        free: bool = False,
    ) -> Resolved:
        """Member-typed filter values to ids; what cannot be understood is noted and ignored."""
        notes: list[str] = []
        chosen: dict[str, str | None] = {}
        for name, value, vocab in (
            ("role", role, self.roles),
            ("topic", topic, self.topics),
            ("level", level, self.levels),
            ("kind", kind, self.kinds),
        ):
            if value is None or not value.strip():
                chosen[name] = None
                continue
            found = vocab.find(value)
            if found is None:
                notes.append(f"{name} “{value[:40].strip()}”")
            chosen[name] = found
        return Resolved(Filters(free=free, **chosen), tuple(notes))

    def search(
        self,
        query: str,
        filters: Filters | None = None,
        limit: int | None = None,
        *,
        extra: Sequence[Resource] = (),
        reads: dict[float, int] = POSTINGS_READ,
    ) -> list[Hit]:
        """Resources for `query`, best first; an empty query lists what the filters admit.

        `extra` (a workspace's approved suggestions) is searched with the same rules by a
        small index of its own and merged by score.
        """
        filters = filters or Filters()
        hits = self._search(query, filters, limit, reads)
        if extra:
            hits = sorted(
                [
                    *hits,
                    *SearchIndex(extra, *self._named(), stats=self)._search(
                        query, filters, limit, reads
                    ),
                ],
                key=lambda h: -h.score,
            )
        return hits[:limit] if limit is not None else hits

    def _named(self) -> tuple[list[Topic], list[Role]]:
        topics = [Topic(id=i, label=w[0], synonyms=w[1:]) for i, w in self._topic_words.items()]
        roles = [Role(id=i, label=w[0], synonyms=w[1:]) for i, w in self._role_words.items()]
        return topics, roles

    def _search(
        self,
        query: str,
        filters: Filters,
        limit: int | None,
        reads: dict[float, int] = POSTINGS_READ,
    ) -> list[Hit]:
        raw = fold(query[:MAX_QUERY_CHARS]).split()[:MAX_QUERY_WORDS]
        if not raw and query.strip():
            return []  # only punctuation or emoji: nothing to look for
        if not raw:
            admitted = [r for r in self.resources if filters.admits(r)]
            admitted.sort(key=lambda r: (_LEVEL_ORDER[r.level], r.title.casefold()))
            return [Hit(r, 0.0) for r in admitted]
        phrase = " ".join(stem(w) for w in raw)
        raw = [w for w in raw if w not in STOPWORDS] or raw
        query_words = [stem(w) for w in raw]
        # Each group is one or more query words that a match covers; joined pairs cover two.
        groups: list[tuple[int, ...]] = []
        group_terms: list[list[tuple[str, float]]] = []
        first: dict[str, int] = {}
        for i, w in enumerate(query_words):
            if w in first:  # a repeated word covers nothing new
                groups[first[w]] += (i,)
                continue
            first[w] = len(groups)
            groups.append((i,))
            # The word being typed is a prefix; after a space it is finished.
            typing = i == len(query_words) - 1 and not query[-1:].isspace()
            group_terms.append(self._matches(w, last=typing))
        for i, joined in enumerate(_joined(raw)):
            if joined in self._postings:
                groups.append((i, i + 1))
                group_terms.append([(joined, EXACT)])
        for start in range(len(raw)):
            for end in range(len(raw), start, -1):
                span = " ".join(raw[start:end])
                for kind, vocab in (("topic", self.topics),):
                    named = vocab.names.get(span)
                    if named and f"{kind}:{named}" in self._named_docs:
                        groups.append(tuple(range(start, end)))
                        group_terms.append([(f"{kind}:{named}", EXACT)])
        n = len(query_words)
        totals: dict[int, float] = {}
        masks: dict[int, int] = {}
        for group, terms in zip(groups, group_terms, strict=True):
            per_doc: dict[int, float] = {}
            for term, quality in terms:
                postings = self._postings.get(term) or self._named_docs[term]
                for doc, weight in postings[: reads[quality]]:
                    score = weight * quality
                    if score > per_doc.get(doc, 0.0):
                        per_doc[doc] = score
            bits = sum(1 << i for i in group)
            for doc, score in per_doc.items():
                totals[doc] = totals.get(doc, 0.0) + score
                masks[doc] = masks.get(doc, 0) | bits
        factor = [(k / n) ** 2 for k in range(n + 1)]
        narrowing = filters.any
        resources = self.resources
        scored = [
            (total * factor[masks[doc].bit_count()], doc)
            for doc, total in totals.items()
            if not narrowing or filters.admits(resources[doc])
        ]
        # Phrase bonuses only raise scores, so boosting the leaders alone keeps the order right.
        if limit is None:
            scored.sort(key=lambda pair: (-pair[0], pair[1]))
        else:
            scored = heapq.nsmallest(max(limit, 50), scored, key=lambda p: (-p[0], p[1]))
        rescored: list[tuple[float, int]] = []
        for rank, (score, doc) in enumerate(scored):
            if rank < 50:
                phrases = self._phrases[doc]
                if phrase in phrases:
                    score *= 2.0
                elif " " in phrase and any(phrase in p for p in phrases):
                    score *= 1.4
            rescored.append((round(score, 4), doc))
        rescored.sort(key=lambda pair: (-pair[0], pair[1]))
        if rescored:
            # Noise floor: a match far weaker than the best (one stray fuzzy word) is dropped.
            floor = rescored[0][0] * 0.15
            rescored = [pair for pair in rescored if pair[0] >= floor]
        hits = [Hit(self.resources[doc], score) for score, doc in rescored]
        return hits[:limit] if limit is not None else hits

    def complete(self, text: str, limit: int = 25, *, extra: Sequence[Resource] = ()) -> list[Hit]:
        """Autocomplete: the same ranking over shorter reads, cut to `limit` (Discord shows
        at most 25)."""
        return self.search(text, limit=limit, extra=extra, reads=COMPLETE_READ)

    def similar(self, resource_id: str, limit: int = 5) -> list[Hit]:
        """ "More like this": resources sharing the most topics, then roles, then kind."""
        pos = self._position.get(resource_id)
        if pos is None:
            return []
        base = self.resources[pos]
        scored: list[Hit] = []
        for r in self.resources:
            if r.id == base.id:
                continue
            score = (
                2.0 * len(set(r.topics) & set(base.topics))
                + 1.0 * len(set(r.roles) & set(base.roles))
                + (0.5 if r.kind == base.kind else 0.0)
                - 0.25 * abs(_LEVEL_ORDER[r.level] - _LEVEL_ORDER[base.level])
            )
            if set(r.topics) & set(base.topics):
                scored.append(Hit(r, score))
        scored.sort(key=lambda h: (-h.score, self._position[h.resource.id]))
        return scored[:limit]

    def best_for(self, role: str, level: str, limit: int = 5) -> list[Resource]:
        """The resources to start with for `role` at `level` (used by role fit).

        Those filed under the role at that level; resources that name the role first (written
        for it rather than also useful to it) come first, then the curators' file order.
        """
        chosen = [r for r in self.resources if role in r.roles and r.level == level]
        chosen.sort(key=lambda r: (r.roles.index(role), self._position[r.id]))
        return chosen[:limit]
