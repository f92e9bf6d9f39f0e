#!/usr/bin/env python3
"""Writes the run of scripts/bench into docs/benchmarks.md (between the scripts/bench markers) and draws its charts
with gnuplot. Reads what scripts/bench left in target/bench: wrk summaries (bench/wrk/common.lua's JSON), pgbench's
output, redis-benchmark's and JMH's TSV, the JFR recordings printed as JSON. Standard library only."""

import argparse
import collections
import datetime
import json
import math
import os
import platform
import re
import subprocess

BEGIN = "<!-- scripts/bench: begin (generated, do not edit by hand) -->"
END = "<!-- scripts/bench: end -->"

SCENARIOS = [
    ("bare", "bare Spring Boot app, `GET /` (constant)"),
    ("noop", "Holdfast no-op, `/actuator/health/liveness`"),
    ("availability", "Holdfast `/api/v1/availability`, cached days"),
    ("poll", "Holdfast `/api/v1/live/poll`, unchanged version"),
    ("hold", "Holdfast hold + release (pairs/s)"),
]


def sh(*command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def load_wrk(out):
    results = {}
    folder = os.path.join(out, "wrk")
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            with open(os.path.join(folder, name)) as f:
                results[name[:-5]] = json.load(f)
    return results


def pairs_per_second(result):
    return result["counts"].get("release 204", 0) / result["seconds"]


def throughput(scenario, result):
    return pairs_per_second(result) if scenario == "hold" else result["rps"]


def fmt(value, digits=0):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.{digits}f}"


def ms(value):
    if value is None:
        return "n/a"
    return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


def verdict(ok):
    return "**met**" if ok else "**missed**"


def errors(result):
    e = result["errors"]
    bad = sum(v for k, v in result["counts"].items() if not re.search(r" (2\d\d|409)$", k))
    parts = [f"{k} {v}" for k, v in e.items() if v and k != "status"]
    if bad:
        parts.append(f"unexpected status {bad}")
    return ", ".join(parts) or "0"


def counts_text(result):
    return ", ".join(f"{k}: {v:,}" for k, v in sorted(result["counts"].items()))


def chart(wrk, concurrency, charts, doc_dir):
    os.makedirs(charts, exist_ok=True)
    data = os.path.join(charts, ".data")
    os.makedirs(data, exist_ok=True)
    for scenario, _ in SCENARIOS:
        with open(os.path.join(data, scenario + ".dat"), "w") as f:
            for c in concurrency:
                r = wrk.get(f"{scenario}-c{c}")
                if r is None:
                    continue
                kind = r["kinds"].get("hold", {}) if scenario == "hold" else {}
                p50 = kind.get("p50_ms") or r["p50_ms"]
                p99 = kind.get("p99_ms") or r["p99_ms"]
                f.write(f"{c} {throughput(scenario, r):.1f} {max(p50, 0.01):.3f} {max(p99, 0.01):.3f}\n")
    titles = {"bare": "bare Spring Boot app", "noop": "Holdfast no-op (liveness)",
              "availability": "cached availability", "poll": "unchanged poll", "hold": "hold + release (pairs/s; latency of the hold)"}
    common = ("set terminal pngcairo size 900,600 font 'sans,10'\nset logscale x\nset xtics (1, 8, 64, 256, 1000)\n"
              "set xlabel 'concurrent connections (wrk)'\nset grid\nset key below\n")
    throughput_plot = ", ".join(
        f"'{data}/{s}.dat' using 1:2 with linespoints lw 2 title '{titles[s]}'" for s, _ in SCENARIOS)
    latency_plot = ", ".join(
        f"'{data}/{s}.dat' using 1:4 with linespoints lw 2 lc {i + 1} title '{titles[s]} p99', "
        f"'{data}/{s}.dat' using 1:3 with linespoints dt 2 lc {i + 1} title 'p50'"
        for i, (s, _) in enumerate(SCENARIOS))
    script = (common + f"set output '{charts}/throughput.png'\nset ylabel 'requests per second'\n"
              "set title 'Throughput against concurrency (one run, side by side)'\n"
              f"plot {throughput_plot}\n"
              + f"set output '{charts}/latency.png'\nset logscale y\nset ylabel 'latency (ms, log scale)'\n"
              "set title 'Latency against concurrency: p99 (solid), p50 (dashed)'\n"
              f"plot {latency_plot}\n")
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    for name in os.listdir(data):
        os.remove(os.path.join(data, name))
    os.rmdir(data)
    rel = os.path.relpath(charts, doc_dir)
    return f"{rel}/throughput.png", f"{rel}/latency.png"


def profile(out, name):
    """The Markdown that bench/jfr/JfrSummary.java wrote for this recording."""
    path = os.path.join(out, "jfr", f"{name}.md")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return f"No summary of `target/bench/jfr/{name}.jfr` (see `target/bench/jfr/{name}.err`).\n"
    with open(path) as f:
        return f.read()


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def main():
    parser = argparse.ArgumentParser()
    for option in ("--out", "--doc", "--charts", "--elapsed", "--duration", "--jmh-seconds", "--concurrency", "--jvm"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    out = args.out
    concurrency = [int(c) for c in args.concurrency.split()]
    wrk = load_wrk(out)
    doc_dir = os.path.dirname(os.path.abspath(args.doc))
    throughput_png, latency_png = chart(wrk, concurrency, args.charts, doc_dir)

    cpu = re.sub(r"\s+", " ", sh("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")).strip()
    mem = sh("sh", "-c", "free -g | awk '/Mem:/ {print $2}'")
    java = sh("sh", "-c", "java -version 2>&1 | head -1")
    redis = sh("redis-server", "--version").split(" ")[2:3]
    load_start = open(os.path.join(out, "load-start")).read().split()[:3] if os.path.exists(os.path.join(out, "load-start")) else []
    load_end = open(os.path.join(out, "load-end")).read().split()[:3] if os.path.exists(os.path.join(out, "load-end")) else []
    pg = sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-Atc", "SHOW server_version")
    now = datetime.datetime.now(datetime.timezone.utc)

    L = [BEGIN, f"## Run of {now:%Y-%m-%d} (scripts/bench: HTTP, peers, profile; issue #13)", ""]
    L.append(f"Written by `scripts/bench` at {now:%Y-%m-%d %H:%M} UTC; the whole run took {int(args.elapsed) // 60} min "
             f"{int(args.elapsed) % 60} s (wrk runs of {args.duration} s, JMH iterations of {args.jmh_seconds} s).")
    L.append(f"Machine: {os.cpu_count()} cores ({cpu}), {mem} GiB, {java}, Redis {''.join(redis)}, PostgreSQL {pg}, "
             f"{platform.system()} {platform.machine()}; load average {' '.join(load_start)} at the start, "
             f"{' '.join(load_end)} at the end. wrk, both servers, Redis and PostgreSQL share these cores, so read the "
             "ratios (measured minutes apart at most, in turn at each concurrency), not the absolute numbers.")
    L.append("")
    L.append(f"JVM flags of both servers: `{args.jvm}`. Holdfast: the packaged jar, PostgreSQL (database `test`, own "
             "schema, dropped first), a private `redis-server` (no persistence, `notify-keyspace-events Ex`), "
             "`server.forward-headers-strategy=native` (each hold, booking and selection request comes from a client network of its own by `X-Forwarded-For`, as many customers would, so the per-address limits do not refuse the load), "
             "defaults otherwise. Catalogue: one UTC location, a 30-minute service, 50 staff open 08:00-20:00 every "
             "day, 40 days ahead; reads on 5 staff × 7 days (read once before, so cache hits), hold + release on 10 "
             "staff, booking on 20, mixed on 15. Stateful scenarios run one wrk thread per connection, so each response "
             "is matched to its request and timed by kind (bench/wrk/common.lua).")
    L.append("")
    L.append("Commands (all run by `scripts/bench`):\n")
    L.append("```")
    L.append(f"wrk -t2 -c<N> -d{args.duration}s --latency -s bench/wrk/get.lua <url>          # bare, no-op, availability, poll")
    L.append(f"wrk -t<N> -c<N> -d{args.duration}s --latency -s bench/wrk/hold_release.lua <url>  # hold + release")
    L.append(f"wrk -t64 -c64 -d{args.duration}s -s bench/wrk/booking.lua | mixed.lua <url>")
    L.append(f"pgbench -n -c 64 -j 2 -T {args.duration} -f bench/pgbench/booking.sql test")
    L.append("redis-benchmark -c <N> -n 100000 -r 100000000 -q EVAL \"$(cat src/main/resources/scripts/<script>.lua)\" ...")
    L.append(f"HOLDFAST_BENCH_SECONDS={args.jmh_seconds} ./mvnw exec:exec -Dbench.main=io.holdfast.bench.PeerLocks")
    L.append("```")
    L.append("")

    # The goals, at 64 connections.
    def r(name):
        return wrk.get(name)

    bare, noop, avail, poll, hold = (r(f"{s}-c64") for s in ("bare", "noop", "availability", "poll", "hold"))
    L.append("### Goals of issue #13, at 64 connections\n")
    L.append("| goal | measured | ratio | goal | |\n|---|---|---|---|---|")
    if bare and noop:
        x = noop["rps"] / bare["rps"]
        L.append(f"| no-op ≥ 0.9× bare app | {fmt(noop['rps'])} vs {fmt(bare['rps'])} req/s | {x:.2f}× | ≥ 0.9× | {verdict(x >= 0.9)} |")
    if avail and noop:
        x = avail["rps"] / noop["rps"]
        L.append(f"| cached availability ≥ 0.7× no-op | {fmt(avail['rps'])} vs {fmt(noop['rps'])} req/s | {x:.2f}× | ≥ 0.7× | {verdict(x >= 0.7)} |")
    if poll and noop:
        x = poll["rps"] / noop["rps"]
        L.append(f"| unchanged poll ≥ 0.9× no-op | {fmt(poll['rps'])} vs {fmt(noop['rps'])} req/s | {x:.2f}× | ≥ 0.9× | {verdict(x >= 0.9)} |")
    if hold and noop:
        x = pairs_per_second(hold) / noop["rps"]
        L.append(f"| hold + release pairs/s ≥ 0.3× no-op req/s | {fmt(pairs_per_second(hold))} pairs/s vs {fmt(noop['rps'])} req/s | {x:.2f}× | ≥ 0.3× | {verdict(x >= 0.3)} |")
        hp99 = hold["kinds"].get("hold", {}).get("p99_ms")
        if hp99:
            x = hp99 / noop["p99_ms"]
            L.append(f"| hold p99 ≤ 3× no-op p99 | {ms(hp99)} vs {ms(noop['p99_ms'])} | {x:.1f}× | ≤ 3× | {verdict(x <= 3)} |")
    jmh = read_tsv(os.path.join(out, "jmh-peers.tsv"))
    jmh_score = {(row[0], int(row[1])): float(row[2]) for row in jmh}
    rb = read_tsv(os.path.join(out, "redis-benchmark.tsv"))
    rb_score = collections.defaultdict(dict)
    for row in rb:
        if len(row) >= 3 and row[2]:
            rb_score[int(row[1])][row[0]] = float(row[2])
    composite = {c: 1 / sum(1 / v for v in scores.values()) for c, scores in rb_score.items() if len(scores) == 2}
    for threads in (1, 8, 64):
        h = jmh_score.get(("holdfast", threads))
        for peer in ("redisson", "redis-lock-registry"):
            p = jmh_score.get((peer, threads))
            if h and p:
                L.append(f"| hold primitive ≥ 5× {peer} ({threads} thread{'s' if threads > 1 else ''}, JMH) | {fmt(h)} vs {fmt(p)} ops/s | {h / p:.2f}× | ≥ 5× | {verdict(h / p >= 5)} |")
        if h and threads in composite:
            x = h / composite[threads]
            L.append(f"| hold primitive ≥ 0.5× redis-benchmark of its scripts ({threads} client{'s' if threads > 1 else ''}) | {fmt(h)} vs {fmt(composite[threads])} ops/s | {x:.2f}× | ≥ 0.5× | {verdict(x >= 0.5)} |")
    booking = r("booking-c64")
    mixed = r("mixed-c64")
    db = json.load(open(os.path.join(out, "bookings-db.json"))) if os.path.exists(os.path.join(out, "bookings-db.json")) else {}
    pgbench = open(os.path.join(out, "pgbench.txt")).read() if os.path.exists(os.path.join(out, "pgbench.txt")) else ""
    tps = re.search(r"tps = ([\d.]+) \(without initial", pgbench)
    pg_latency = re.search(r"latency average = ([\d.]+) ms", pgbench)
    if booking:
        per_second = booking["counts"].get("book 201", 0) / booking["seconds"]
        limit = f", pgbench {fmt(float(tps.group(1)))} tps" if tps else ""
        L.append(f"| booking ≥ 500/s, 64 clients, PostgreSQL | {fmt(per_second)} bookings/s{limit} | {per_second / 500:.2f}× of 500 | ≥ 500/s | {verdict(per_second >= 500)} |")
    acked = sum(x["counts"].get("book 201", 0) for x in (booking, mixed) if x)
    if db:
        missing = max(0, acked - int(db.get("bookings", 0)))
        L.append(f"| 0 overlapping bookings, 0 acknowledged missing | {db.get('overlapping')} overlapping; {acked:,} acknowledged (201), {db.get('bookings'):,} confirmed in the database, {missing} missing | | 0, 0 | {verdict(db.get('overlapping') == 0 and missing == 0)} |")
    L.append("")

    # Every HTTP result of the sweep.
    L.append("### HTTP, every concurrency\n")
    L.append(f"![Throughput against concurrency]({throughput_png})\n")
    L.append(f"![Latency against concurrency]({latency_png})\n")
    L.append("| scenario | connections | req/s | p50 | p99 | pairs/s | hold p50 | hold p99 | release p99 | errors |\n|---|---|---|---|---|---|---|---|---|---|")
    for scenario, title in SCENARIOS:
        for c in concurrency:
            x = wrk.get(f"{scenario}-c{c}")
            if not x:
                continue
            if scenario == "hold":
                k = x["kinds"]
                L.append(f"| {title} | {c} | {fmt(x['rps'])} | {ms(x['p50_ms'])} | {ms(x['p99_ms'])} | {fmt(pairs_per_second(x))} | "
                         f"{ms(k.get('hold', {}).get('p50_ms'))} | {ms(k.get('hold', {}).get('p99_ms'))} | {ms(k.get('release', {}).get('p99_ms'))} | {errors(x)} |")
            else:
                L.append(f"| {title} | {c} | {fmt(x['rps'])} | {ms(x['p50_ms'])} | {ms(x['p99_ms'])} | | | | | {errors(x)} |")
    L.append("")
    L.append("Responses by kind and status (409 on a hold is another connection holding or having booked that time: "
             "contention, expected):\n")
    for name in [f"hold-c{c}" for c in concurrency] + ["booking-c64", "mixed-c64"]:
        if name in wrk:
            L.append(f"- `{name}`: {counts_text(wrk[name])}")
            for key, body in sorted(wrk[name].get("unexpected", {}).items()):
                L.append(f"  - first unexpected `{key}`: `{body.strip()[:200]}`")
    L.append("")

    L.append("### Booking with contention, mixed traffic, and the database's own limit (64 clients)\n")
    L.append("| scenario | requests/s | bookings/s | p50 (all) | p99 (all) | hold p99 | book p50 | book p99 | read p99 | errors |\n|---|---|---|---|---|---|---|---|---|---|")
    for title, x in (("hold + book, 20 staff × 40 days (contention on random slots)", booking),
                     ("mixed: 90 % reads (cached availability, unchanged poll), 10 % hold + book", mixed)):
        if x:
            k = x["kinds"]
            L.append(f"| {title} | {fmt(x['rps'])} | {fmt(x['counts'].get('book 201', 0) / x['seconds'])} | {ms(x['p50_ms'])} | {ms(x['p99_ms'])} | "
                     f"{ms(k.get('hold', {}).get('p99_ms'))} | {ms(k.get('book', {}).get('p50_ms'))} | {ms(k.get('book', {}).get('p99_ms'))} | "
                     f"{ms(k.get('read', {}).get('p99_ms'))} | {errors(x)} |")
    if tps:
        L.append(f"| pgbench: a booking's writes (idempotency row, booking row, 6 granules, one transaction) | {fmt(float(tps.group(1)))} tps | | "
                 f"avg {pg_latency.group(1) if pg_latency else 'n/a'} ms | | | | | | |")
    L.append("")

    L.append("### The hold primitive against its peers (JMH) and against Redis itself (redis-benchmark)\n")
    L.append("JMH (`PeerLockBenchmark`): one take + give back per operation, each thread on its own key, all on the same "
             "private Redis. Holdfast's is a hold + release of a 30-minute slot through the store exactly as the server "
             "calls it (today 3 round trips to hold, 2 to release).\n")
    if jmh:
        L.append("| threads | lock | ops/s | error (99.9 %) | Holdfast ÷ this |\n|---|---|---|---|---|")
        for row in jmh:
            lock, threads, score, error = row[0], int(row[1]), float(row[2]), float(row[3])
            h = jmh_score.get(("holdfast", threads), float("nan"))
            L.append(f"| {threads} | {lock} | {fmt(score)} | {'n/a' if math.isnan(error) else '± ' + fmt(error)} | {h / score:.2f}× |")
    else:
        L.append("JMH did not run (see target/bench/jmh-peers.log).")
    L.append("")
    if rb_score:
        names = ["hold", "release"]
        L.append("redis-benchmark of the scripts the server sends to one Redis server (`src/main/resources/scripts`, "
                 "comment lines dropped), random keys, one command per round trip: `hold` = hold-take.lua (a whole hold: "
                 "the guest's and the network's reservations, 6 granules, the record, the lapse index; every call "
                 "writes a new hold), `release` = hold-keys.lua + hold-token.lua + hold-release.lua on a record that does not exist "
                 "(the release's cheapest case). *Sequence* is the two one after another per client (1 / Σ 1/rate): "
                 "a ceiling above what a hold and the release of that hold allow at that concurrency.\n")
        L.append("| clients | " + " | ".join(names) + " | sequence (hold + release) | Holdfast JMH ÷ sequence |")
        L.append("|---" * (len(names) + 3) + "|")
        for c in sorted(rb_score):
            h = jmh_score.get(("holdfast", c))
            seq = composite.get(c)
            L.append(f"| {c} | " + " | ".join(fmt(rb_score[c].get(n)) for n in names)
                     + f" | {fmt(seq)} | {f'{h / seq:.2f}×' if h and seq else 'n/a'} |")
        L.append("")

    L.append("### Where the time goes (JFR, 64 connections)\n")
    L.append("`jcmd <pid> JFR.start settings=profile` on the running Holdfast for one wrk run of each load; "
             "recordings in `target/bench/jfr/` (open them in JDK Mission Control, or `jfr print --events jdk.JavaMonitorEnter <file>`); the tables are `java bench/jfr/JfrSummary.java <file>`.\n")
    for name, title in (("noop", "No-op (`/actuator/health/liveness`)"), ("hold", "Hold + release")):
        x = wrk.get(f"{name}-c64-jfr")
        during = f" (during the recording: {fmt(x['rps'])} req/s, p99 {ms(x['p99_ms'])})" if x else ""
        L.append(f"#### {title}{during}\n")
        L.append(profile(out, name))
    L.append(END)
    section = "\n".join(L) + "\n"

    with open(args.doc) as f:
        doc = f.read()
    if BEGIN in doc and END in doc:
        doc = doc[:doc.index(BEGIN)] + section.rstrip("\n") + doc[doc.index(END) + len(END):]
    else:
        anchor = doc.find("\n## Run of ")
        doc = doc[:anchor + 1] + section + "\n" + doc[anchor + 1:] if anchor >= 0 else doc + "\n" + section
    with open(args.doc, "w") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
