#!/usr/bin/env python3
"""Writes the drills scripts/drill ran into docs/drills.md, one section per drill between its markers
(<!-- scripts/drill: <name> begin --> ... end -->), and exits 1 when a must-be-0 number is not 0.

Per drill it reads target/drill/<name>/: summary.json (the load driver's counts), bookings.tsv (acknowledged
bookings), transitions.tsv (changes of every server's /api/v1/health, polled every 50 ms: ms, instance, HTTP
status, status, storageMode), events.tsv (ms, what the script did to a server), db.json (the database's count of
confirmed, overlapping and missing bookings), servers.json (each server's redis-status), holdfast-<n>.log (the
servers' "Storage mode ->" and "Failback copied" lines), command, elapsed, load-start, load-end."""
import argparse
import datetime
import json
import os
import platform
import re
import sys

TITLES = {
    "redis": "Drill 1: Redis killed (kill -9) and restarted three times during a minute of mixed load",
    "database": "Drill 2: the database stopped and crashed during mixed load",
    "cluster": "Drill 3: three servers behind haproxy on a three-master Redis Cluster, the booking race",
}
SETUP = {
    "redis": "One server (PostgreSQL database `drill_redis` on the drill's private PostgreSQL, a private "
             "`redis-server` without persistence). 32 clients for 60 s: 55 % availability reads and 30 % unchanged "
             "polls of 3 staff x 3 cached days, 15 % holds of a random slot of 10 staff x 30 days (70 % of them "
             "booked, the rest released). Redis is killed at 8, 26 and 44 s and started again (empty) 4 s later.",
    "database": "One server (database `drill_database` on the drill's private PostgreSQL cluster, a private "
                "`redis-server`), the same mixed load for 45 s. PostgreSQL is stopped at 10 s (`pg_ctl stop -m "
                "fast`) and started 6 s later, then crashed at 28 s (`-m immediate`: no checkpoint, crash recovery "
                "at the start) and started 6 s later. The machine's shared PostgreSQL is never touched.",
    "cluster": "Three servers (database `drill_cluster`, `spring.data.redis.cluster.nodes` naming a Redis Cluster "
               "of three masters, no replicas, `cluster-node-timeout` 2 s) behind haproxy (round robin, HTTP "
               "keep-alive, readiness checks every second). 48 clients for 45 s in 6 lanes of 8: the 8 clients of "
               "a lane all hold and book the same slot of their lane's staff member, and move on together once "
               "it is booked. One master is killed (kill -9) at 12 s and started again 5 s later from its "
               "`nodes.conf` (same slots, no data); meanwhile the cluster is down (`CLUSTERDOWN`).",
}
LOG_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+(?:Z|[+-]\d{2}:?\d{2}))")


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return default


def tsv(path):
    text = read(path, "")
    return [line.split("\t") for line in text.splitlines() if line.strip()]


def n(value):
    return f"{value:,}" if isinstance(value, int) else str(value)


def ms(value):
    return "not seen" if value is None else f"{value:,} ms"


def server_log_events(path):
    """(ms, 'sql'|'redis'|'failback <items> <ms>') from a server's log."""
    out = []
    for line in (read(path, "") or "").splitlines():
        what = None
        if "Storage mode -> sql" in line:
            what = "sql"
        elif "Storage mode -> redis" in line:
            what = "redis"
        elif "Failback sync failed" in line:
            what = "sync failed"
        else:
            m = re.search(r"Failback copied (\d+) items of temporary state into Redis in (\d+) ms", line)
            if m:
                what = f"failback {m.group(1)} {m.group(2)}"
        if what is None:
            continue
        t = LOG_TIME.match(line)
        if t:
            stamp = datetime.datetime.fromisoformat(t.group(1).replace("Z", "+00:00"))
            out.append((int(stamp.timestamp() * 1000), what))
    return out


def first_after(rows, since, until, predicate):
    for row in rows:
        if since <= row[0] < until and predicate(row):
            return row[0] - since
    return None


def transitions_of(directory):
    """instance -> [(ms, http, status, storageMode)]"""
    out = {}
    for row in tsv(os.path.join(directory, "transitions.tsv")):
        row += [""] * (5 - len(row))
        out.setdefault(int(row[1]), []).append((int(row[0]), row[2], row[3], row[4]))
    return out


def answers(summary):
    """'kind status' counts, grouped as rows of text."""
    by_kind = {}
    for key, count in summary["counts"].items():
        kind, status = key.split(" ", 1)
        by_kind.setdefault(kind, []).append((status, count))
    parts = []
    for kind in sorted(by_kind):
        parts.append(f"{kind}: " + ", ".join(f"{s} × {n(c)}" for s, c in sorted(by_kind[kind])))
    return "; ".join(parts)


def errors_by_status(summary):
    totals = {}
    for key, count in summary["counts"].items():
        status = key.split(" ", 1)[1]
        if status == "io" or int(status) >= 400:
            totals[status] = totals.get(status, 0) + count
    if not totals:
        return "none"
    return ", ".join(f"{s}: {n(c)}" for s, c in sorted(totals.items()))


def latency(summary):
    return "; ".join(f"{k} {v['p50_ms']} / {v['p99_ms']} ms" for k, v in sorted(summary["latency"].items()))


def section(name, directory, args):
    summary = json.loads(read(os.path.join(directory, "summary.json")))
    db = json.loads(read(os.path.join(directory, "db.json"), "{}").strip().splitlines()[-1])
    servers = json.loads(read(os.path.join(directory, "servers.json"), "[]"))
    events = [(int(r[0]), r[1]) for r in tsv(os.path.join(directory, "events.tsv"))]
    transitions = transitions_of(directory)
    elapsed = read(os.path.join(directory, "elapsed"), "?").strip()
    seconds = (summary["ended"] - summary["started"]) / 1000
    when = datetime.datetime.fromtimestamp(summary["started"] / 1000, datetime.timezone.utc)
    logs = {}
    for file in sorted(os.listdir(directory)):
        m = re.match(r"holdfast-(\d+)\.log$", file)
        if m:
            logs[int(m.group(1)) - 1] = server_log_events(os.path.join(directory, file))
    checks = []  # (label, value, must be 0)
    rows = [
        ("load", f"{summary['mode']}, {summary['clients']} clients, {seconds:.1f} s"),
        ("requests", f"{n(summary['requests'])} ({summary['requests'] / seconds:,.0f}/s)"),
        ("answers (kind: status × count)", answers(summary)),
        ("errors by HTTP status (io: connection error or no answer in 15 s)", errors_by_status(summary)),
        ("503 with `Retry-After` / 503 without / other 5xx",
         f"{n(summary['unavailableWithRetryAfter'])} / {n(summary['unavailableWithoutRetryAfter'])} / "
         f"{n(summary['otherServerErrors'])}"),
        ("latency p50 / p99 by kind", latency(summary)),
        ("bookings acknowledged (201)", f"{n(summary['acknowledged'])} (distinct ids: {n(db.get('acknowledged', '?'))})"),
        ("confirmed bookings in the database", n(db.get("confirmed", "?"))),
        ("confirmed but not acknowledged (committed, the answer was an error or did not come)",
         n(db["confirmed"] - db["acknowledged"]) if "confirmed" in db and "acknowledged" in db else "?"),
    ]
    if summary["mode"] == "race":
        rows.append(("race: hold refused `slot_held` (contention) / slots skipped after 5 s held",
                     f"{n(summary['raceContention'])} / {n(summary['raceSkipped'])}"))
    checks.append(("overlapping confirmed bookings in the database (must be 0)", db.get("overlapping")))
    checks.append(("acknowledged bookings missing from the database (must be 0)", db.get("missing")))

    def window(since_event, until_event):
        """The time of since_event and of the next until_event (or the end of time); since is None if it never came."""
        since = next((t for t, e in events if e == since_event), None)
        until = next((t for t, e in events if e == until_event), None) if until_event else None
        return since, until or 10 ** 15

    def health_row(label, since_event, until_event, predicate, instances):
        since, until = window(since_event, until_event)
        if since is None:
            return
        values = []
        for i in instances:
            rows_of = transitions.get(i, [])
            before = [r for r in rows_of if r[0] < since]
            value = first_after(rows_of, since, until, predicate)
            if value is None and before and predicate(before[-1]):
                values.append("already so before it")
            elif value is None:
                values.append("not seen before " + ("the next kill" if until_event else "the load ended"))
            else:
                values.append(ms(value))
        rows.append((label, " / ".join(values)))

    def log_row(label, since_event, until_event, what, instances):
        since, until = window(since_event, until_event)
        if since is None:
            return
        values = []
        for i in instances:
            found = None
            last = None
            failed = 0
            for t, w in logs.get(i, []):
                if t < since and w in ("sql", "redis"):
                    last = w
                if since <= t < until and w == "sync failed":
                    failed += 1
                if since <= t < until and w == what and found is None:
                    found = t - since
            if found is not None:
                value = ms(found)
            elif last == what:
                value = "already so before it"
            else:
                value = "not seen before " + ("the next kill" if until_event else "the load ended")
            if failed and what == "redis":
                value += f" ({failed} × `Failback sync failed` meanwhile)"
            values.append(value)
        rows.append((label, " / ".join(values)))

    instances = sorted(set(transitions) | set(logs)) or [0]
    sql = lambda r: r[3] == "sql"
    back = lambda r: r[3] == "redis"
    if name in ("redis", "cluster"):
        kills = sorted(int(e.split()[1]) for _, e in events if e.startswith("kill "))
        for i in kills:
            nxt = f"kill {i + 1}" if i + 1 in kills else None
            who = "" if len(instances) == 1 else " (servers 1 / 2 / 3)"
            health_row(f"kill {i}: failover, kill → health `storageMode: sql`{who}", f"kill {i}", f"restart {i}",
                       sql, instances)
            log_row(f"kill {i}: failover, kill → log `Storage mode -> sql`{who}", f"kill {i}", f"restart {i}",
                    "sql", instances)
            health_row(f"restart {i}: failback, Redis answering → health `storageMode: redis`{who}",
                       f"restart {i}", nxt, back, instances)
            log_row(f"restart {i}: failback, Redis answering → log `Storage mode -> redis`{who}",
                    f"restart {i}", nxt, "redis", instances)
        for i in kills:
            ok = next((t for t, e in events if e == f"cluster ok {i}"), None)
            restarted = next((t for t, e in events if e == f"restart {i}"), None)
            if ok and restarted:
                rows.append((f"restart {i}: master answering → every master `cluster_state:ok`", ms(ok - restarted)))
        copies = [w.split() for i in instances for _, w in logs.get(i, []) if w.startswith("failback")]
        if copies:
            rows.append(("failback syncs (items copied into Redis, ms)",
                         ", ".join(f"{c[1]} items in {c[2]} ms" for c in copies)))
    if name == "database":
        down = lambda r: r[1] != "200"
        up = lambda r: r[1] == "200"
        for i, how in ((1, "stop fast"), (2, "stop immediate")):
            nxt = "stop immediate" if i == 1 else None
            health_row(f"outage {i} ({how.split()[1]}): stop begun → health not 200", how, f"start {i}", down,
                       instances)
            stopped = next((t for t, e in events if e == f"stopped {i}"), None)
            began = next((t for t, e in events if e == how), None)
            if stopped and began:
                rows.append((f"outage {i}: `pg_ctl stop` took / database down for (stopped → started)",
                             f"{ms(stopped - began)} / "
                             f"{ms(next(t for t, e in events if e == f'start {i}') - stopped)}"))
            health_row(f"outage {i}: recovery, database started → health 200", f"start {i}", nxt, up, instances)
        statuses = sorted({f"{r[1]} {r[2]}" for i in instances for r in transitions.get(i, [])})
        rows.append(("health states seen (HTTP status, status)", ", ".join(f"`{s}`" for s in statuses)))
        checks.append(("expected while it is down: 5xx other than 503 with `Retry-After` (expected 0, not a must)",
                       summary["unavailableWithoutRetryAfter"] + summary["otherServerErrors"]))
    for row in tsv(os.path.join(directory, "start-failures.tsv")):
        rows.append((f"server {row[1]} failed to start, started again", f"`{row[2]}`"))
    lock = read(os.path.join(directory, "failback-lock"))
    if lock is not None:
        lock = lock.strip()
        rows.append(("failback lock `hf:lock:failback` left in Redis at the end (remaining lease)",
                     "none" if lock == "-2" else (f"{int(lock):,} ms" if lock.lstrip("-").isdigit() else lock)))
    if servers:
        rows.append(("failovers counted by the servers (admin redis-status `failoverCount`)",
                     " / ".join(str(s.get("failoverCount", s.get("error"))) for s in servers)))
    lines = [f"<!-- scripts/drill: {name} begin (generated, do not edit by hand) -->",
             f"## {TITLES[name]}", "",
             f"Run of {when:%Y-%m-%d %H:%M} UTC, {elapsed} s for the drill (start-up, catalogue, load, checks). "
             f"Load average before / after: {read(os.path.join(directory, 'load-start'), '?').split()[0]} / "
             f"{read(os.path.join(directory, 'load-end'), '?').split()[0]}.", "", SETUP[name], "",
             "```", read(os.path.join(directory, "command"), "").strip(), "```", "",
             "| what | result |", "|---|---|"]
    for label, value in rows:
        lines.append(f"| {label} | {value} |")
    failed = False
    for label, value in checks:
        must = "must be 0" in label
        ok = value == 0
        if must and not ok:
            failed = True
        lines.append(f"| **{label}** | **{value}** {'✔' if ok else '✘'} |")
    samples = summary.get("samples", {})
    if samples:
        lines += ["", "First body of each unexpected answer:", ""]
        for key, body in sorted(samples.items()):
            lines.append(f"- `{key}`: `{body.strip()[:240]}`")
    lines += ["", f"<!-- scripts/drill: {name} end -->"]
    return "\n".join(lines), failed


def machine(args):
    cpu = "?"
    for line in (read("/proc/cpuinfo", "") or "").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = "?"
    for line in (read("/proc/meminfo", "") or "").splitlines():
        if line.startswith("MemTotal"):
            mem = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    return (f"{cpu}, {os.cpu_count()} cores, {mem} RAM, Linux {platform.release()}; {args.postgres}; Redis "
            f"{args.redis}; HAProxy {args.haproxy}; JVM flags of every server `{args.jvm}`")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--doc", required=True)
    p.add_argument("--drills", required=True)
    p.add_argument("--postgres", default="?")
    p.add_argument("--redis", default="?")
    p.add_argument("--haproxy", default="?")
    p.add_argument("--jvm", default="?")
    args = p.parse_args()
    doc = read(args.doc, "# Resilience drills\n")
    failed = False
    sections = {}
    for name in ["redis", "database", "cluster"]:  # the sections already there, taken out of the text
        pattern = re.compile(rf"\n*<!-- scripts/drill: {name} begin.*?<!-- scripts/drill: {name} end -->\n*", re.S)
        found = pattern.search(doc)
        if found:
            sections[name] = found.group(0).strip("\n")
            doc = doc[:found.start()] + "\n" + doc[found.end():]
    for name in ["redis", "database", "cluster"]:
        if name not in args.drills.split():
            continue
        text, bad = section(name, os.path.join(args.out, name), args)
        sections[name] = text.replace("\n\n```", f"\n\nMachine: {machine(args)}.\n\n```", 1)
        failed |= bad
        print(f"{name}: {'FAILED' if bad else 'ok'}")
    doc = doc.rstrip("\n") + "\n"
    for name in ["redis", "database", "cluster"]:  # in the drills' order, whichever ran this time
        if name in sections:
            doc += "\n" + sections[name] + "\n"
    with open(args.doc, "w") as f:
        f.write(doc)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
