"""Role fit: the ranking engine, the content rules, and a whole questionnaire through the core.

Run: `python bench/rolefit.py` (or `--database-url postgresql+asyncpg://...`). Prints the median
and p99 of `rank()` for a full answer set, the time of every content rule together, and the
p50/p99 of one answer press (load the flow, advance or finish, record, reply) on a real database.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import Core  # noqa: E402
from bot.chat import ActionClicked, Actor, Invocation, Place  # noqa: E402
from bot.rolefit import checks, content  # noqa: E402
from bot.rolefit.ranking import options, rank  # noqa: E402
from bot.settings import Settings  # noqa: E402

PLACE = Place("dm", is_dm=True)


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:.3f} ms, p99 {p99 * 1000:.3f} ms"


def engine(runs: int) -> None:
    quiz, book = content.questionnaire(), content.roles()
    answers = {q.id: options(q)[-1] for q in quiz.questions}
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        rank(quiz, book, answers)
        samples.append(time.perf_counter() - start)
    print(f"rank() over {len(book.roles)} roles, {len(quiz.questions)} answers: {_ms(samples)}")
    start = time.perf_counter()
    problems = checks.check(quiz, book)
    took = time.perf_counter() - start
    print(f"content rules (reachability, inert questions): {took * 1000:.1f} ms, "
          f"{problems or 'ok'}")


async def chat(database_url: str, members: int) -> None:
    quiz = content.questionnaire()
    core = Core(Settings(database_url=database_url))
    await core.migrate()
    async with core:
        samples: list[float] = []
        for n in range(members):
            actor = Actor("console", "bench", f"m{n}")
            response = await core.dispatch(Invocation("rolefit", {}, actor, PLACE))
            for _ in quiz.questions:
                reply = response.replies[0]
                if reply.selects:
                    choice = reply.selects[0].choices[0]
                    event = ActionClicked(reply.selects[0].action_id, choice.value, actor, PLACE)
                else:
                    button = reply.buttons[0][0]
                    event = ActionClicked(button.action_id, button.value, actor, PLACE)
                start = time.perf_counter()
                response = await core.dispatch(event)
                samples.append(time.perf_counter() - start)
            assert "Your role fit" in response.replies[0].text
        print(f"one answer press through Core.dispatch ({members} members x "
              f"{len(quiz.questions)}): {_ms(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--members", type=int, default=50)
    args = parser.parse_args()
    engine(args.runs)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        asyncio.run(chat(url, args.members))


if __name__ == "__main__":
    main()
