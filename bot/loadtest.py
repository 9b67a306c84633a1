"""Load benchmark: simulated visitors against the front door (``make bench``).

Starts the whole stack on free loopback ports (timing the cold start), then runs 1, 10 and
40 concurrent conversations, each a realistic mix of FAQ questions, a triage run and
declines. Prints reply latency (p50/p95/p99), messages per second, errors and the peak
memory of each process, and writes them to results/bench.json.
"""

from __future__ import annotations

import asyncio
import json
import platform
import random
import statistics
import time
from datetime import date
from pathlib import Path

import httpx

from bot.processes import Supervisor, free_port, latest_model, quiet_environment, start_stack
from bot.settings import PROJECT_ROOT, Settings

RESULTS = PROJECT_ROOT / "results" / "bench.json"
LEVELS = (1, 10, 40)
SECONDS_PER_LEVEL = 30.0
FAQ = [
    "can hip arthritis cause sciatica?",
    "why do my hip and lower back hurt at the same time",
    "what is a hip hinge",
    "what exercises help hip mobility",
    "how can i tell if its my hip or my back",
    "should I still exercise with hip arthritis",
]
TRIAGE = [
    "I want to check my symptoms",
    "groin",
    "walking and stairs",
    "sitting eases it",
    "crossing my legs",
    "3 months",
    "none of these",
]
DECLINES = ["how much ibuprofen can I take", "my knee hurts", "tell me a joke"]


def _script(rng: random.Random) -> list[str]:
    """One visitor: a couple of questions, sometimes a triage, sometimes an off-topic one."""
    messages = rng.sample(FAQ, 2)
    if rng.random() < 0.5:
        messages += TRIAGE
    if rng.random() < 0.5:
        messages.append(rng.choice(DECLINES))
    return messages


async def _visitor(client, url, number, deadline, latencies, errors, rng) -> None:
    conversation = 0
    while time.monotonic() < deadline:
        session = f"load-{number:03d}-{conversation:04d}-{rng.randrange(1 << 30):08x}"
        conversation += 1
        for message in _script(rng):
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            try:
                response = await client.post(
                    url, json={"session_id": session, "message": message}, timeout=60
                )
                ok = response.status_code == 200 and response.json().get("messages")
            except (httpx.HTTPError, ValueError):
                ok = False
            latencies.append((time.perf_counter() - started) * 1000)
            if not ok:
                errors.append(message)


async def _run_level(url: str, concurrency: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=concurrency + 5)
    async with httpx.AsyncClient(limits=limits) as client:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(
                _visitor(client, url, n, deadline, latencies, errors, random.Random(n))
                for n in range(concurrency)
            )
        )
        elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0.0

    return {
        "concurrent_conversations": concurrency,
        "messages": len(latencies),
        "errors": len(errors),
        "messages_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else 0.0,
        "p95_ms": round(pct(0.95), 1),
        "p99_ms": round(pct(0.99), 1),
    }


def _peak_memory_mb(pid: int) -> float:
    """VmHWM: the process's peak resident memory."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main() -> int:
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    settings = Settings(
        rasa_port=rasa_port,
        action_port=action_port,
        web_port=web_port,
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_server_url=f"http://127.0.0.1:{action_port}",
        tracker_db=PROJECT_ROOT / "build" / "bench-conversations.db",
    )
    settings.tracker_db.unlink(missing_ok=True)
    env = quiet_environment(settings)
    env.update(
        {
            "WEB_PORT": str(web_port),
            "RASA_URL": settings.rasa_url,
            "ACTION_SERVER_URL": settings.action_server_url,
            # One load generator on one IP stands for many visitors.
            "IP_MESSAGES_PER_MINUTE": "1000000",
            "SESSION_MESSAGES_PER_MINUTE": "1000",
        }
    )
    supervisor = Supervisor(env=env)
    started = time.monotonic()
    try:
        start_stack(supervisor, settings, latest_model(), quiet=True)
        url = f"http://127.0.0.1:{web_port}/api/chat"
        # The first answer loads the embedding model in the action server: part of cold start.
        httpx.post(url, json={"session_id": "warm-up-0001", "message": FAQ[0]}, timeout=120)
        cold_start = time.monotonic() - started
        print(f"Cold start of the whole stack (to a first answer): {cold_start:.1f} s", flush=True)
        levels = []
        for concurrency in LEVELS:
            result = asyncio.run(_run_level(url, concurrency, SECONDS_PER_LEVEL))
            levels.append(result)
            print(
                f"{concurrency:3d} concurrent: {result['messages']:5d} messages, "
                f"{result['messages_per_second']:6.1f} msg/s, p50 {result['p50_ms']:7.1f} ms, "
                f"p95 {result['p95_ms']:7.1f} ms, p99 {result['p99_ms']:7.1f} ms, "
                f"errors {result['errors']}",
                flush=True,
            )
        memory = {name: _peak_memory_mb(p.pid) for name, p in supervisor.children}
    finally:
        supervisor.stop()
    print("Peak memory: " + ", ".join(f"{n} {m:.0f} MB" for n, m in memory.items()))
    print(f"Total: {sum(memory.values()):.0f} MB")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "cold_start_seconds": round(cold_start, 1),
        "levels": levels,
        "peak_memory_mb": memory,
        "total_memory_mb": round(sum(memory.values()), 1),
    }
    RESULTS.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"Written to {RESULTS.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
