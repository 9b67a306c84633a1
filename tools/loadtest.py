"""Load benchmark: simulated visitors against the front door (``make bench``).

Starts the whole stack on free loopback ports (timing the cold start), then runs two kinds
of load, each visitor a realistic mix of FAQ questions, a triage run and declines drawn
from the development sets in eval/:

- **paced visitors** at 1, 10 and 40 concurrent conversations: like people, each reads the
  reply and types the next message (a pause of 1 to 3 s, quicker than people really are);
- **saturation**: 10 streams that send the next message the moment a reply arrives, to
  find the most messages per second the stack sustains.

Prints reply latency (p50/p95/p99), messages per second and errors, and the peak memory of
each process as PSS (shared library pages counted once across processes, not once per
process as RSS would), and writes them to results/bench.json for the README.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import random
import statistics
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

from bot.runtime.processes import free_port
from bot.runtime.settings import PROJECT_ROOT, Settings
from bot.runtime.stack import running_stack
from tools import EVAL_DIR as DATA
from tools import RESULTS_DIR
from tools.widget_client import WidgetSessions

RESULTS = RESULTS_DIR / "bench.json"
PACED_LEVELS = (1, 10, 40)
PAUSE_SECONDS = (1.0, 3.0)
SATURATION_STREAMS = 10
SECONDS_PER_RUN = 40.0
# Issue 22's targets, on 2 cores through the front door.
P95_TARGETS_MS = {10: 150.0, 40: 300.0}  # paced conversations -> p95
SATURATION_TARGET = 40.0  # messages a second, SATURATION_STREAMS streams
PEAK_MEMORY_TARGET_MB = 2500.0
TARGETS = (
    f"p95 <= {P95_TARGETS_MS[10]:.0f} ms at 10 and {P95_TARGETS_MS[40]:.0f} ms at 40 paced "
    f"conversations; >= {SATURATION_TARGET:.0f} msg/s at saturation; peak memory <= "
    f"{PEAK_MEMORY_TARGET_MB:.0f} MB; 0 errors"
)
TRIAGE_START = ("I want to check my symptoms", "can you check my symptoms?", "start triage")
DURATIONS = ("3 months", "about 2 weeks", "over a year")


@dataclass(frozen=True)
class Phrases:
    """What simulated visitors say: the development sets' own visitor phrasings."""

    questions: list[str]
    declines: list[str]
    triage_answers: list[list[str]]

    @classmethod
    def load(cls) -> Phrases:
        knowledge = _jsonl(DATA / "knowledge_eval.jsonl")
        triage = _jsonl(DATA / "triage_cases.jsonl")
        return cls(
            questions=[i["text"] for i in knowledge if i["expected"]],
            declines=[i["text"] for i in knowledge if not i["expected"]],
            triage_answers=[list(case["answers"].values()) for case in triage],
        )

    def script(self, rng: random.Random) -> list[str]:
        """One visitor: two questions, a triage run half the time, an off-topic one half."""
        messages = rng.sample(self.questions, 2)
        if rng.random() < 0.5:
            messages.append(rng.choice(TRIAGE_START))
            messages += rng.choice(self.triage_answers)
            messages += [rng.choice(DURATIONS), "none of these"]
        if rng.random() < 0.5:
            messages.append(rng.choice(self.declines))
        return messages


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dataclass
class Run:
    latencies: list[float]
    errors: int
    seconds: float

    def figures(self, name: str, concurrency: int) -> dict:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))], 1)

        return {
            "run": name,
            "concurrent_conversations": concurrency,
            "messages": len(ordered),
            "errors": self.errors,
            "messages_per_second": round(len(ordered) / self.seconds, 1),
            "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
        }


async def _visitor(
    client: httpx.AsyncClient,
    web_url: str,
    number: int,
    deadline: float,
    run: Run,
    phrases: Phrases,
    pause: tuple[float, float] | None,
) -> None:
    rng = random.Random(number)
    widget = WidgetSessions(web_url)
    conversation = 0
    while time.monotonic() < deadline:
        visitor = f"load-{number:03d}-{conversation:04d}"
        conversation += 1
        for message in phrases.script(rng):
            if pause:
                await asyncio.sleep(rng.uniform(*pause))
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            try:
                response = await widget.chat_async(client, visitor, message)
                ok = response.status_code == 200 and bool(response.json().get("messages"))
            except (httpx.HTTPError, ValueError):
                ok = False
            run.latencies.append((time.perf_counter() - started) * 1000)
            run.errors += not ok


async def _load(
    web_url: str, concurrency: int, phrases: Phrases, pause: tuple[float, float] | None
) -> Run:
    run = Run(latencies=[], errors=0, seconds=0.0)
    limits = httpx.Limits(max_connections=concurrency + 5)
    async with httpx.AsyncClient(limits=limits) as client:
        started = time.monotonic()
        deadline = started + SECONDS_PER_RUN
        await asyncio.gather(
            *(
                _visitor(client, web_url, n, deadline, run, phrases, pause)
                for n in range(concurrency)
            )
        )
        run.seconds = time.monotonic() - started
    return run


def pss_mb(pid: int) -> float:
    """Proportional set size: private memory plus this process's share of shared pages."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemorySampler:
    """Samples every process's PSS in the background and keeps the peaks."""

    def __init__(self, processes: dict[str, int], every: float = 0.5) -> None:
        self.processes = processes
        self.every = every
        self.peak = dict.fromkeys(processes, 0.0)
        self.peak_total = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            now = {name: pss_mb(pid) for name, pid in self.processes.items()}
            self.peak = {name: max(self.peak[name], now[name]) for name in now}
            self.peak_total = max(self.peak_total, sum(now.values()))


def _print(result: dict) -> None:
    print(
        f"{result['run']:>10} {result['concurrent_conversations']:3d} concurrent: "
        f"{result['messages']:5d} messages, {result['messages_per_second']:6.1f} msg/s, "
        f"p50 {result['p50_ms']:7.1f} ms, p95 {result['p95_ms']:7.1f} ms, "
        f"p99 {result['p99_ms']:7.1f} ms, errors {result['errors']}",
        flush=True,
    )


def load_settings(name: str) -> Settings:
    """The stack on free loopback ports with an empty tracker store of its own
    (``build/<name>-conversations.db``), rate limits opened for one load generator."""
    action_port = free_port()
    settings = Settings(
        action_port=action_port,
        web_port=free_port(),
        # Not the fixed staff port: two stacks on one machine (a test run beside a
        # running assistant, or beside another run) must not collide.
        staff_port=free_port(),
        action_server_url=f"http://127.0.0.1:{action_port}",
        tracker_db=PROJECT_ROOT / "build" / f"{name}-conversations.db",
        # One load generator on one IP stands for many visitors.
        ip_messages_per_minute=1_000_000,
        session_messages_per_minute=1000,
    )
    for stale in settings.tracker_db.parent.glob(settings.tracker_db.name + "*"):
        stale.unlink()
    return settings


def main() -> int:
    settings = load_settings("bench")
    rasa_ports = [free_port() for _ in range(settings.rasa_processes)]
    phrases = Phrases.load()
    started = time.monotonic()
    with running_stack(settings, rasa_ports=rasa_ports, quiet=True) as stack:
        url = stack.web_url
        # The first answer loads the embedding model in the action server: part of cold start.
        warm_up = WidgetSessions(url)
        warm_up.chat("warm-up", "hi", timeout=120)
        warm_up.chat("warm-up", "hip pain", timeout=120)
        cold_start = time.monotonic() - started
        print(f"Cold start of the whole stack (to a first answer): {cold_start:.1f} s", flush=True)
        print(f"Targets: {TARGETS}", flush=True)
        runs = []
        children = {child.name: child.process.pid for child in stack.supervisor.children}
        with MemorySampler(children) as memory:
            for concurrency in PACED_LEVELS:
                run = asyncio.run(_load(url, concurrency, phrases, PAUSE_SECONDS))
                runs.append(run.figures("paced", concurrency))
                _print(runs[-1])
            run = asyncio.run(_load(url, SATURATION_STREAMS, phrases, None))
            runs.append(run.figures("saturation", SATURATION_STREAMS))
            _print(runs[-1])
    peaks = {name: round(mb, 1) for name, mb in memory.peak.items()}
    print("Peak memory (PSS): " + ", ".join(f"{n} {m:.0f} MB" for n, m in peaks.items()))
    print(f"Peak total: {memory.peak_total:.0f} MB")
    report = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "rasa_processes": len(rasa_ports),
        "pause_seconds": list(PAUSE_SECONDS),
        "cold_start_seconds": round(cold_start, 1),
        "runs": runs,
        "peak_memory_pss_mb": peaks,
        "peak_total_memory_pss_mb": round(memory.peak_total, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"Written to {RESULTS.relative_to(PROJECT_ROOT)}")
    missed = misses(runs, memory.peak_total)
    for miss in missed:
        print(f"MISSED: {miss}")
    return 1 if missed else 0


def misses(runs: list[dict], peak_total_mb: float) -> list[str]:
    """Every target the figures miss, in words."""
    out = []
    for run in runs:
        streams = run["concurrent_conversations"]
        limit = P95_TARGETS_MS.get(streams) if run["run"] == "paced" else None
        if limit is not None and run["p95_ms"] > limit:
            out.append(f"p95 {run['p95_ms']:.0f} ms at {streams} paced (<= {limit:.0f})")
        if run["run"] == "saturation" and run["messages_per_second"] < SATURATION_TARGET:
            out.append(
                f"{run['messages_per_second']} msg/s at saturation (>= {SATURATION_TARGET:.0f})"
            )
        if run["errors"]:
            out.append(f"{run['errors']} errors ({run['run']}, {streams})")
    if peak_total_mb > PEAK_MEMORY_TARGET_MB:
        out.append(f"peak memory {peak_total_mb:.0f} MB (<= {PEAK_MEMORY_TARGET_MB:.0f})")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
