# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the erasure check's scans cost, table by table, for a group of many
people, the values looked up as the check does now against the same scans
with every value in each query (the way before), in the same
process.

Not a test, and not run by the test command: fed to ``odoo shell`` on a
benchmark database, it scans every table with text for ``SCAN_VALUES``
generated addresses, phone keys and names each (10,000 by default, what a
call of the retention run checks), reading only, and prints the slowest
tables and the totals (``docs/benchmarks.md``, *The check's values sent
once*)::

    source scripts/lib.sh && setup_all >/dev/null
    SCAN_VALUES=10000 "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -d s6_r20k \\
        --no-http --addons-path="$(odoo_addons_path)" < scripts/profile_scans.py
"""

import contextlib
import os
import random
import string
import time
from unittest.mock import patch

from odoo.addons.willsoft_privacy.models import (
    willsoft_privacy_erasure_check as erasure_check,
)

# `env` is given by odoo shell.
env = globals()["env"]
Check = env["willsoft.privacy.erasure.check"]
count = int(os.environ.get("SCAN_VALUES", "10000"))
rnd = random.Random(1)


def word(length):
    return "".join(rnd.choice(string.ascii_lowercase) for _ in range(length))


# Values no row holds: the scans read everything and find nothing, as for a
# group whose erasure worked.
values = erasure_check.Values(
    emails={f"{word(8)}@{word(6)}.fi": {1} for _ in range(count)},
    phones={str(rnd.randrange(10**8, 10**9)): {1} for _ in range(count)},
    names={f"{word(6)} {word(8)}": {1} for _ in range(count)},
)
allowed = Check._allowed_tables()
columns = {t: c for t, c in Check._text_columns().items() if t not in allowed}
tables = Check._tables_with_rows(columns)
env.cr.execute(
    "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)"
    " AND relnamespace = current_schema()::regnamespace",
    [tables],
)
rows = dict(env.cr.fetchall())


def scan_all(inline_all):
    """Seconds per table, the values looked up as the check does, or with
    every value in each query."""
    seconds = {}
    large = set(tables) if inline_all else Check._large_tables(tables)
    with contextlib.ExitStack() as stack:
        stack.enter_context(Check._parallel_scans())
        if not inline_all:
            stack.enter_context(Check._value_tables(values))
        for table in tables:
            start = time.perf_counter()
            Check._scan(table, columns[table], values, inline=table in large)
            seconds[table] = time.perf_counter() - start
    return seconds


print(f"{len(tables)} tables with text, {count} values of each kind")
with patch.object(erasure_check, "INLINE_MAX_VALUES", -1):
    now = scan_all(inline_all=False)
before = scan_all(inline_all=True)
print(f"{'table':32s} {'rows':>9s} {'columns':>7s} {'now':>8s} {'before':>8s}")
for table in sorted(tables, key=lambda t: -max(now[t], before[t]))[:12]:
    print(
        f"{table:32s} {rows.get(table, 0):9d} {len(columns[table]):7d}"
        f" {now[table]:7.3f}s {before[table]:7.3f}s"
    )
total_now, total_before = sum(now.values()), sum(before.values())
print(
    f"all the scans: {total_now:.2f} s now, {total_before:.2f} s with the values"
    f" in each query: {total_before / total_now:.1f}x"
)
