# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where one call of the retention job spends its time, step by step.

Not a test, and not run by the test command: fed to ``odoo shell`` on a
copy of a benchmark database, it runs one call of the scheduled action
(``_cron_privacy_retention()``, committed) and prints the time of each step
of the data map (``find``, ``held`` and ``erase`` of each kind), of the
batch's plan, flushes, logs and suppression list, of what comes before the
batches (the statistics, the clock's refresh) and after them (the erasure
check, the count of what remains), each with the part of it spent in
PostgreSQL (``docs/benchmarks.md``, *One write a partner, larger batches and
checks*). In the environment, ``BATCH_SIZE`` sets the call's batch size
(default: the scheduled action's), ``CALLS`` runs that many calls in a
row, each printed on its own, and ``SLOWEST`` prints that many of a call's
slowest queries::

    source scripts/lib.sh && setup_all >/dev/null
    python3 scripts/pgdb.py copy s6_r20k s6_steps
    BATCH_SIZE=100 "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -d s6_steps \\
        --no-http --addons-path="$(odoo_addons_path)" < scripts/profile_steps.py
"""

import collections
import os
import threading
import time

import odoo.api
import odoo.sql_db

# `env` is given by odoo shell.
env = globals()["env"]
# Commit per batch, as the scheduler's call does (tests do not).
threading.current_thread().testing = False
times = collections.defaultdict(float)
sql_seconds = [0.0]
# The steps running now, innermost last, and the slowest queries of a call.
running = []
queries = []
execute = odoo.sql_db.Cursor.execute


def timed_execute(self, query, params=None, log_exceptions=True):
    start = time.perf_counter()
    try:
        return execute(self, query, params, log_exceptions)
    finally:
        seconds = time.perf_counter() - start
        sql_seconds[0] += seconds
        text = " ".join(str(getattr(query, "code", query)).split())
        queries.append((seconds, running[-1] if running else "-", text[:160]))


def timed(cls, name, label=None):
    """Time ``cls.name``, under ``label(args)`` or its name."""
    method = getattr(cls, name)

    def wrapper(self, *args, **kwargs):
        start, sql_start = time.perf_counter(), sql_seconds[0]
        key = label(args) if label else name
        running.append(key)
        try:
            return method(self, *args, **kwargs)
        finally:
            running.pop()
            times[key] += time.perf_counter() - start
            times[f"{key} [sql]"] += sql_seconds[0] - sql_start

    setattr(cls, name, wrapper)


odoo.sql_db.Cursor.execute = timed_execute
data_map = type(env["willsoft.privacy.data.map"])
timed(data_map, "_call_step", label=lambda args: f"step {args[1]} {args[0]}")
for name in ("_plan", "_consent_holds"):
    timed(data_map, name)
for name in (
    "_process_batch",
    "_claim",
    "_with_contacts",
    "_consent_kept_values",
    "_analyze_stale_tables",
    "_refresh_before_run",
    "_run_own_clocks",
    "_remaining",
):
    timed(type(env["willsoft.privacy.retention"]), name)
timed(type(env["res.partner"]), "_privacy_refresh_clock")
for name in ("_find_leftovers", "_remember", "_remember_held"):
    timed(type(env["willsoft.privacy.erasure.check"]), name)
for name in ("_log", "_log_many"):
    timed(type(env["willsoft.privacy.audit.log"]), name)
timed(type(env["willsoft.privacy.suppression"]), "_suppress")
timed(odoo.api.Environment, "flush_all")

engine = env["willsoft.privacy.retention"]
kwargs = {}
if os.environ.get("BATCH_SIZE"):
    kwargs["batch_size"] = int(os.environ["BATCH_SIZE"])
# CALLS=N: N calls in a row, each printed on its own (the first call's
# refresh of the clock may cover more than the next ones').
for call in range(int(os.environ.get("CALLS", "1"))):
    times.clear()
    queries.clear()
    sql_seconds[0] = 0.0
    start = time.perf_counter()
    done = engine._cron_privacy_retention(**kwargs)
    env.cr.commit()
    total = time.perf_counter() - start
    print(
        f"call {call + 1}: {done} commercial partners (batches of "
        f"{kwargs.get('batch_size', 'the default')}) in {total:.1f} s, "
        f"{sql_seconds[0]:.1f} s of it SQL"
    )
    print("time (of which SQL), by step; steps nest (a flush runs inside a batch):")
    for key, seconds in sorted(times.items(), key=lambda item: -item[1]):
        if not key.endswith("[sql]") and seconds >= 0.1:
            print(f"{seconds:8.2f} s ({times[key + ' [sql]']:5.2f} s)  {key}")
    if slowest := int(os.environ.get("SLOWEST", "0")):
        print(f"the {slowest} slowest queries (seconds, innermost step, query):")
        for seconds, step, text in sorted(queries, reverse=True)[:slowest]:
            print(f"{seconds:8.2f} s  {step}: {text}")
