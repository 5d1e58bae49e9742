#!/usr/bin/env python3
# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Run the retention scheduled action in real Odoo servers on one database.

Not a test: for each round it copies ``--template`` (willsoft_privacy
installed without demo data, pg_trgm created), fills the copy with
``scripts/benchmark_retention.py --generate-only`` (the same register each
time: same seed), makes the retention job due now, starts ``odoo-bin``
servers with their own cron threads on that copy and wakes them (NOTIFY
cron_trigger, as ``ir.cron._trigger`` does). It waits until nothing is due
and the job is rescheduled for tomorrow, then prints from the servers' logs
which server ran each job run (``Job ... starting``, ``processed``,
``completed``) and how often a cron thread found the job taken by another
(``another worker is processing job``), and from the database what is left
due, the privacy audit log's ``error`` entries and the companies with two
stage 1 entries (0 expected each).

Rounds: ``baseline`` (one server, one cron thread), ``servers`` (``--servers``
servers with ``--threads`` cron threads each) and ``kill`` (the same, and the
server that runs the job is killed with SIGKILL once it has committed
``--kill-after`` companies; the others must finish).

The other scheduled actions of the copy are postponed by a day, so that the
figures are the retention job's. ``--batch-size`` and ``--max-batches`` are
written into the job's code (``model._cron_privacy_retention(...)``): with
the defaults of the code (100 and 10), one job run (10 calls) does 10,000
companies, so a register of 2,000 is done in one run and never handed on.

    source scripts/lib.sh && setup_all >/dev/null
    createdb cron_base && psql -d cron_base -c "CREATE EXTENSION pg_trgm"
    odoo -d cron_base -i willsoft_privacy --without-demo=all --stop-after-init
    $VENV/bin/python scripts/benchmark_cron_servers.py --template cron_base

Connection settings come from PGHOST, PGPORT, PGUSER and PGPASSWORD, as
scripts/lib.sh exports them. Every round's database is dropped at the end
unless ``--keep``.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time

import psycopg2

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRON_XMLID = "ir_cron_privacy_retention"
# An Odoo log line: time, pid, level, database, logger, message.
POLLING = re.compile(r"(cron\d+) polling for jobs")
LOG_LINE = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+) (?P<pid>\d+) (?P<level>\w+) "
    r"\S+ (?P<logger>\S+): (?P<message>.*)$"
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", required=True, help="installed, no demo")
    parser.add_argument("--partners", type=int, default=2000, help="due companies")
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="cron threads each")
    parser.add_argument("--batch-size", type=int, default=25)
    parser.add_argument("--max-batches", type=int, default=2, help="per call")
    parser.add_argument("--port", type=int, default=8481, help="first HTTP port")
    parser.add_argument("--kill-after", type=int, default=300, help="companies")
    parser.add_argument(
        "--rounds", default="baseline,servers,kill", help="comma-separated"
    )
    parser.add_argument("--timeout", type=int, default=900, help="seconds a round")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--notify-changes",
        action="store_true",
        help="servers with ODOO_NOTIFY_CRON_CHANGES=1: a partially done job wakes "
        "the cron threads at once instead of at their next poll (up to a minute)",
    )
    parser.add_argument("--odoo", default=os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
    return parser.parse_args()


def connect(db):
    conn = psycopg2.connect(dbname=db)
    conn.autocommit = True
    return conn


def sql(db, query, params=()):
    with connect(db) as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall() if cur.description else None


def load():
    return f"{os.getloadavg()[0]:.1f}"


# The round's database


def prepare(args, db):
    """A copy of the template with the register generated and the job due."""
    subprocess.run(
        [sys.executable, f"{REPO}/scripts/pgdb.py", "copy", args.template, db],
        check=True,
    )
    generated = subprocess.run(
        [
            sys.executable,
            f"{REPO}/scripts/benchmark_retention.py",
            f"--db={db}",
            f"--partners={args.partners}",
            "--generate-only",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    print("  " + "\n  ".join(generated.strip().splitlines()))
    ((cron_id,),) = sql(
        db,
        "SELECT res_id FROM ir_model_data WHERE module = 'willsoft_privacy' "
        "AND name = %s",
        (CRON_XMLID,),
    )
    (action_id,) = sql(
        db, "SELECT ir_actions_server_id FROM ir_cron WHERE id = %s", (cron_id,)
    )[0]
    code = (
        f"model._cron_privacy_retention(batch_size={args.batch_size}, "
        f"max_batches={args.max_batches})"
    )
    sql(db, "UPDATE ir_act_server SET code = %s WHERE id = %s", (code, action_id))
    # The others tomorrow, this one due now.
    sql(
        db,
        "UPDATE ir_cron SET nextcall = (now() at time zone 'UTC') + interval '1 day'"
        " WHERE id != %s",
        (cron_id,),
    )
    sql(
        db,
        "UPDATE ir_cron SET active = true, failure_count = 0,"
        " nextcall = (now() at time zone 'UTC') - interval '1 minute' WHERE id = %s",
        (cron_id,),
    )
    sql(db, "DELETE FROM ir_cron_trigger")
    ((first_log,),) = sql(
        db, "SELECT coalesce(max(id), 0) FROM willsoft_privacy_audit_log"
    )
    due = [row[0] for row in sql(db, DUE_SQL)]
    return cron_id, first_log, due


# What the retention run's stage 1 takes (willsoft.privacy.retention's due
# domain, for the generated register: customers whose anonymisation date has
# come, none of them on hold, a user or a company).
DUE_SQL = """
    SELECT id FROM res_partner
     WHERE parent_id IS NULL AND privacy_stage = 'none' AND active
       AND privacy_anonymise_date <= (now() at time zone 'UTC')::date
"""


def left_due(db, due):
    return sql(
        db,
        "SELECT count(*) FROM res_partner"
        " WHERE id = ANY(%s) AND privacy_stage = 'none'",
        (due,),
    )[0][0]


def done_count(db, due):
    return len(due) - left_due(db, due)


# The servers


class Server:
    def __init__(self, args, db, number, threads):
        self.number = number
        self.log = f"/tmp/{db}_server{number}.log"
        if os.path.exists(self.log):
            os.unlink(self.log)
        port = args.port + number
        self.process = subprocess.Popen(
            [
                sys.executable,
                f"{args.odoo}/odoo-bin",
                f"--addons-path={REPO},{args.odoo}/odoo/addons",
                f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
                f"--db_port={os.environ.get('PGPORT', '5432')}",
                f"--db_user={os.environ.get('PGUSER', 'willsoft')}",
                f"--db_password={os.environ.get('PGPASSWORD', '')}",
                f"--database={db}",
                f"--db-filter=^{re.escape(db)}$",
                f"--http-port={port}",
                f"--gevent-port={port + 10}",
                f"--max-cron-threads={threads}",
                "--workers=0",
                f"--logfile={self.log}",
                "--log-handler=odoo.addons.base.models.ir_cron:DEBUG",
                # "cronN started!", "cronN polling for jobs"
                "--log-handler=odoo.service.server:DEBUG",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, ODOO_NOTIFY_CRON_CHANGES="1")
            if args.notify_changes
            else None,
        )
        self.pid = self.process.pid

    def ready(self, threads):
        """The cron threads started (and, a moment later, listening)."""
        try:
            with open(self.log, encoding="utf-8", errors="replace") as log:
                return f"cron{threads - 1} started!" in log.read()
        except FileNotFoundError:
            return False

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def events(servers, cron_id):
    """The retention job's log lines of every server, in time order:
    (time, "server N/cronM", message). The log names no thread: taking or
    skipping the job is given to the thread of its server that polled last
    before it (right unless two threads of a server poll at once), the job's
    progress to the thread that took it."""
    found = []
    for server in servers:
        polled = holder = "?"
        with open(server.log, encoding="utf-8", errors="replace") as log:
            for text in log:
                match = LOG_LINE.match(text.rstrip())
                if not match:
                    continue
                message = match["message"].strip()
                if polling := POLLING.match(message):
                    polled = polling[1]
                elif "ir_cron" in match["logger"] and (
                    f"({cron_id})" in message
                    or re.search(rf"\bjob {cron_id}\b", message)
                ):
                    if "acquired" in message:
                        holder = polled
                    thread = holder if f"({cron_id})" in message else polled
                    where = f"server {server.number}/{thread}"
                    found.append((match["time"], where, message))
    return sorted(found)


def summary(servers, cron_id):
    """The job's runs and calls, and the threads that found it taken."""
    lines, skips, runs, calls = [], {}, 0, 0
    for stamp, where, message in events(servers, cron_id):
        # "another worker is processing job N": locked; "job N has been
        # processed by another worker": done by the time this thread asked.
        if "another worker is processing" in message or "by another worker" in message:
            skips[where] = skips.get(where, 0) + 1
            lines.append(f"{stamp[11:23]} {where}: found the job taken, skipped it")
        elif "acquired" in message:
            runs += 1
            lines.append(f"{stamp[11:23]} {where}: took the job")
        elif "records remaining" in message or "completed" in message:
            calls += "records remaining" in message
            lines.append(f"{stamp[11:23]} {where}: {message.split(') ', 1)[-1]}")
    return lines, skips, runs, calls


# A round


def run_round(args, label, servers_count, threads, kill):
    db = f"{args.template}_{label}"
    print(f"Round {label}: {servers_count} server(s) x {threads} cron thread(s)")
    cron_id, first_log, due = prepare(args, db)
    servers = [Server(args, db, n + 1, threads) for n in range(servers_count)]
    try:
        deadline = time.time() + 120
        while not all(s.ready(threads) for s in servers):
            if time.time() > deadline:
                raise RuntimeError("the servers did not start")
            time.sleep(0.5)
        # The cron threads sleep up to a minute between polls: wake them as
        # ir.cron._trigger does.
        start = time.perf_counter()
        sql("postgres", "NOTIFY cron_trigger, %s", (db,))
        print(f"  {len(due)} companies due; servers woken (load {load()})")
        killed = None
        while True:
            time.sleep(1)
            elapsed = time.perf_counter() - start
            if elapsed > args.timeout:
                print(f"  timed out after {elapsed:.0f} s")
                break
            if kill and not killed and done_count(db, due) >= args.kill_after:
                running = [
                    where
                    for _t, where, m in events(servers, cron_id)
                    if "acquired" in m
                ]
                victim = next(
                    s for s in servers if running[-1].startswith(f"server {s.number}/")
                )
                os.kill(victim.pid, signal.SIGKILL)
                killed = victim
                print(
                    f"  {elapsed:6.1f} s: SIGKILL to server {victim.number} (pid "
                    f"{victim.pid}) running the job, {done_count(db, due)} companies "
                    f"done (load {load()})"
                )
            if left_due(db, due):
                continue
            (nextcall,) = sql(
                db,
                "SELECT nextcall > (now() at time zone 'UTC') FROM ir_cron"
                " WHERE id = %s",
                (cron_id,),
            )[0]
            if nextcall:
                break
        elapsed = time.perf_counter() - start
        lines, skips, runs, calls = summary(servers, cron_id)
        print("  " + "\n  ".join(lines))
        errors = sql(
            db,
            "SELECT count(*) FROM willsoft_privacy_audit_log WHERE id > %s "
            "AND event = 'error'",
            (first_log,),
        )[0][0]
        twice = sql(
            db,
            """SELECT count(*) FROM (
                   SELECT partner_ref FROM willsoft_privacy_audit_log
                    WHERE id > %s AND event = 'stage1' AND partner_ref = ANY(%s)
                    GROUP BY partner_ref HAVING count(*) > 1) twice""",
            (first_log, due),
        )[0][0]
        stages = dict(
            sql(
                db,
                "SELECT privacy_stage, count(*) FROM res_partner WHERE id = ANY(%s) "
                "GROUP BY privacy_stage",
                (due,),
            )
        )
        print(
            f"  {label}: {len(due)} companies in {elapsed:.1f} s (load {load()}); "
            f"job runs {runs}, calls {calls}; skips {skips}; left due "
            f"{left_due(db, due)}; error entries {errors}; done twice {twice}; "
            f"stages {stages}"
        )
        return elapsed
    finally:
        for server in servers:
            server.stop()
        if not args.keep:
            subprocess.run(
                [sys.executable, f"{REPO}/scripts/pgdb.py", "drop", db], check=False
            )


def main():
    sys.stdout.reconfigure(line_buffering=True)
    args = parse_args()
    rounds = {
        "baseline": (1, 1, False),
        "servers": (args.servers, args.threads, False),
        "kill": (args.servers, args.threads, True),
    }
    times = {}
    for label in args.rounds.split(","):
        times[label] = run_round(args, label, *rounds[label])
    if "baseline" in times and "servers" in times:
        print(
            f"{args.servers} servers x {args.threads} threads: "
            f"{times['servers']:.1f} s against {times['baseline']:.1f} s for one "
            f"server with one thread ({times['baseline'] / times['servers']:.2f}x)"
        )


if __name__ == "__main__":
    main()
