"""Benchmark resource search on a synthetic library of 10,000 resources, in-process.

Run from the repo root:  python bench/search.py [--size N] [--fts5]

Reports the cost of loading the shipped content and building its index at start-up, the build
time for the synthetic library, and median / p99 latency of autocomplete (every prefix of a
query as it is typed) and full search (real questions, typos, filters, hostile input). With
--fts5 it times SQLite FTS5 (trigram tokenizer, each term quoted) on the same library for the
comparison recorded in docs/adr/0004-resource-search-in-memory.md.
"""

from __future__ import annotations

import argparse
import gc
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.content.loader import load_content  # noqa: E402
from bot.content.schema import COSTS, KINDS, LEVELS, Resource  # noqa: E402
from bot.resources.search import Filters, SearchIndex, fold  # noqa: E402

QUERIES = [
    "statistical learnin",
    "huggingface",
    "hugging face",
    "ml ops",
    "mlops books",
    "large language model",
    "llm evals",
    "chip huyen",
    "designing machine learning systems",
    "attention is all you need",
    "bag of tricks text classification",
    "practical deep learning for coders",
    "databricks certification",
    "aws devops professional",
    "khan academy math",
    "pytorch",
    "polars vs pyspark",
    "dbt",
    "deploy a model with aws lambda",
    "wellfound startup jobs",
    "statistcal lerning",
    "transfomers",
    "how do I get into mlops without maths",
    "free course for data engineering",
    "kubernetes for ml",
    "a/b testing",
    "causal inference python",
    '"quoted" AND (OR) NOT -x:* NEAR/3',
    "🤖🚀 ml",
    "?!?!",
    "x" * 5000,
    "ml " * 2000,
]


def synthetic(base: Sequence[Resource], size: int, seed: int = 7) -> list[Resource]:
    """`size` resources whose words, authors, roles and topics are drawn from the real ones."""
    rng = random.Random(seed)
    vocab = sorted({w for r in base for w in fold(f"{r.title} {r.why}").split() if len(w) > 2})
    authors = sorted({a for r in base for a in r.authors})
    roles = sorted({x for r in base for x in r.roles})
    topics = sorted({x for r in base for x in r.topics})
    out: list[Resource] = []
    for i in range(size):
        title = " ".join(rng.choice(vocab) for _ in range(rng.randint(2, 7))).capitalize()
        out.append(
            Resource(
                id=f"synthetic-{i}",
                title=f"{title} {i}",
                authors=rng.sample(authors, rng.randint(1, 3)),
                url=f"https://example.org/resources/{i}",
                kind=rng.choice(KINDS),
                level=rng.choice(LEVELS),
                roles=rng.sample(roles, rng.randint(1, 3)),
                topics=rng.sample(topics, rng.randint(1, 3)),
                cost=rng.choice(COSTS),
                time="3 hours",
                why=" ".join(rng.choice(vocab) for _ in range(rng.randint(8, 16))).capitalize(),
                aliases=[" ".join(rng.choice(vocab) for _ in range(2))] if i % 3 == 0 else [],
            )
        )
    return out


Samples = tuple[list[float], list[float]]  # wall-clock ms, this thread's CPU ms


def timed(fn: Callable[[str], object], inputs: Sequence[str], repeat: int) -> Samples:
    """Wall-clock and CPU time per call. On a shared machine the wall clock includes waiting
    for a core; the thread's CPU time is the work itself."""
    wall: list[float] = []
    cpu: list[float] = []
    gc.collect()
    for _ in range(repeat):
        for text in inputs:
            start, start_cpu = time.perf_counter(), time.thread_time()
            fn(text)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def _p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def report(name: str, samples: Samples) -> None:
    wall, cpu = samples
    print(
        f"{name:<34} n={len(wall):>6}  median {statistics.median(wall):6.3f} ms"
        f"  p99 {_p99(wall):6.3f} ms  max {max(wall):6.3f} ms   (CPU: median"
        f" {statistics.median(cpu):6.3f} ms, p99 {_p99(cpu):6.3f} ms)"
    )


def prefixes(queries: Sequence[str]) -> list[str]:
    """What autocomplete sees while a member types each query, one keystroke at a time."""
    return [q[:n] for q in queries if len(q) < 100 for n in range(1, len(q) + 1)]


def fts5(resources: Sequence[Resource]) -> Callable[[str], object]:
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, authors, why,"
        " tokenize='trigram')"
    )
    db.executemany(
        "INSERT INTO docs VALUES (?, ?, ?, ?)",
        [(r.id, r.title, ", ".join(r.authors), r.why) for r in resources],
    )

    def query(text: str) -> object:
        terms = [t for t in fold(text).split() if len(t) >= 3][:12]
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        return db.execute(
            "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 25", (match,)
        ).fetchall()

    return query


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fts5", action="store_true", help="also time SQLite FTS5 (trigram)")
    args = parser.parse_args()

    start = time.perf_counter()
    content = load_content()
    loaded = time.perf_counter()
    shipped = SearchIndex(content.resources, content.topics, content.roles)
    built = time.perf_counter()
    print(
        f"start-up, shipped library ({len(content.resources)} resources): load+validate"
        f" {(loaded - start) * 1000:.1f} ms, index {(built - loaded) * 1000:.1f} ms"
    )

    library = synthetic(content.resources, args.size)
    start = time.perf_counter()
    index = SearchIndex(library, content.topics, content.roles)
    print(f"index build, {len(library)} synthetic resources: {time.perf_counter() - start:.2f} s")

    typed = prefixes(QUERIES)
    report("autocomplete (every keystroke)", timed(index.complete, typed, args.repeat))
    report("full search", timed(lambda q: index.search(q, limit=50), QUERIES, args.repeat * 20))
    filtered = Filters(role="ml-engineer", level="intermediate", free=True)
    report(
        "full search + filters",
        timed(lambda q: index.search(q, filtered, limit=50), QUERIES, args.repeat * 20),
    )
    report(
        "shipped library, full search",
        timed(lambda q: shipped.search(q, limit=50), QUERIES, args.repeat * 20),
    )
    if args.fts5:
        query = fts5(library)
        report("sqlite fts5 trigram, full search", timed(query, QUERIES, args.repeat * 20))
        report("sqlite fts5 trigram, autocomplete", timed(query, typed, args.repeat))


if __name__ == "__main__":
    main()
