# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where one call of the retention job spends its time in PostgreSQL.

Not a test, and not run by the test command: fed to ``odoo shell`` on a
copy of a benchmark database, it runs one call of the scheduled action
(``_cron_privacy_retention()``, committed) with every query timed, and
prints the SQL time summed by the addon's function that ran the query and by
query template (``docs/benchmarks.md``, *One erasure check per call*)::

    source scripts/lib.sh && setup_all >/dev/null
    python3 scripts/pgdb.py copy s6_r20k s6_profile
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -d s6_profile --no-http \\
        --addons-path="$(odoo_addons_path)" < scripts/profile_call.py
"""

import collections
import re
import threading
import time
import traceback

import odoo.sql_db

# `env` is given by odoo shell.
env = globals()["env"]
stats = collections.defaultdict(lambda: [0, 0.0])
execute = odoo.sql_db.Cursor.execute


def caller():
    """The innermost function of the addons (``willsoft``) on the stack."""
    for frame in reversed(traceback.extract_stack(limit=40)[:-2]):
        if "willsoft" in frame.filename:
            return f"{frame.filename.rsplit('/', 1)[-1]}:{frame.name}"
    return "?"


def timed(self, query, params=None, log_exceptions=True):
    start = time.perf_counter()
    try:
        return execute(self, query, params, log_exceptions)
    finally:
        code = str(getattr(query, "code", query))
        key = (caller(), re.sub(r"\s+", " ", code)[:90])
        stats[key][0] += 1
        stats[key][1] += time.perf_counter() - start


odoo.sql_db.Cursor.execute = timed
# The job commits per batch, as the scheduler runs it.
threading.current_thread().testing = False
start = time.perf_counter()
done = env["willsoft.privacy.retention"]._cron_privacy_retention()
env.cr.commit()
total = time.perf_counter() - start
odoo.sql_db.Cursor.execute = execute
sql = sum(seconds for _count, seconds in stats.values())
print(f"one call: {done} commercial partners in {total:.1f} s, {sql:.1f} s of it SQL")
by_function = collections.defaultdict(float)
for (function, _query), (_count, seconds) in stats.items():
    by_function[function] += seconds
print("SQL time by function:")
for function, seconds in sorted(by_function.items(), key=lambda x: -x[1])[:25]:
    print(f"{seconds:8.2f} s  {function}")
print("SQL time by query (seconds, queries, function, query):")
for (function, query), (count, seconds) in sorted(
    stats.items(), key=lambda x: -x[1][1]
)[:40]:
    print(f"{seconds:8.2f} {count:6d}  {function:45s} {query}")
