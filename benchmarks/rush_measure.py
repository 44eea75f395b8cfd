"""Measurements of the deadline-rush benchmark (benchmarks/deadline_rush.py): where the
machine's CPU time goes, by process group (Linux /proc), and latency summaries."""

import os
from pathlib import Path
from urllib.parse import urlparse

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_stat(pid):
    """(parent pid, CPU seconds of the process and of its children that have ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None, 0.0
    # After the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15), 0-based.
    return int(fields[1]), sum(int(value) for value in fields[11:15]) / TICKS


def tree_cpu_seconds(root: int) -> float:
    """CPU time of a process and its children (gunicorn's workers, PostgreSQL's backends),
    ended children included."""
    total = process_stat(root)[1]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != root:
            parent, seconds = process_stat(entry.name)
            if parent == root:
                total += seconds
    return total


def machine_busy_seconds() -> float:
    """CPU time all processes of the machine used (every core), from /proc/stat."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICKS


class CpuMeter:
    """Where the machine's CPU time goes during a phase: gunicorn, PostgreSQL, the
    background worker, this load generator, and everything else (other processes on the
    machine, which make the run noisy). Linux only; empty elsewhere."""

    def __init__(self, roots: dict[str, int]):
        self.roots = {name: pid for name, pid in roots.items() if pid}
        self.available = Path("/proc/stat").exists()

    def read(self) -> dict[str, float]:
        if not self.available:
            return {}
        times = os.times()
        values = {name: tree_cpu_seconds(pid) for name, pid in self.roots.items()}
        values["load_generator"] = times.user + times.system
        values["machine"] = machine_busy_seconds()
        return values

    def per_request(self, before, after, requests: int) -> dict[str, float]:
        """Milliseconds of CPU per request, by process group."""
        if not before or not requests:
            return {}
        used = {name: after[name] - before[name] for name in before}
        used["other_processes"] = used["machine"] - sum(
            value for name, value in used.items() if name != "machine"
        )
        return {name: round(value * 1000 / requests, 2) for name, value in used.items()}


def postmaster_pid(url: str) -> int | None:
    """The PostgreSQL server's main process, when it runs on this machine."""
    import psycopg

    if urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    with psycopg.connect(url) as connection:
        backend = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
        parent, _ = process_stat(backend)
    try:
        return parent if Path(f"/proc/{parent}/comm").read_text().strip() == "postgres" else None
    except OSError:
        return None


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 1)


def summary(latencies):
    return {
        "requests": len(latencies),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": round(max(latencies), 1) if latencies else None,
    }
