#!/usr/bin/env python3
# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark stage 1 of the retention run on a generated Finnish register.

Not a test: it fills a fresh database (willsoft_privacy installed, no demo)
with customers whose relationship has ended, each with a contact person,
invoices over seven years, messages, tracked changes and activities, then
runs stage 1 over every due partner: the naive way (one partner at a time)
on a random subset, then the daily run itself over the rest (the scheduled
action's method, each batch selected, claimed and committed). It prints
partners per second, queries per partner and peak memory, and the ratios
against the one-at-a-time way measured in the same run.

PostgreSQL plans the run's queries from its statistics, which it has only
after ANALYZE (or autovacuum) passed over the fresh rows: the benchmark
analyses after generating; ``--statistics both`` measures first on a register
nobody analysed (autovacuum's ANALYZE held off, so only the run itself can),
then on a second one after ANALYZE.
``--concurrent 2`` runs the daily run in two processes at once, as two
servers would, and prints the error entries and the partners done twice
(both 0 expected).

    source scripts/lib.sh && setup_all >/dev/null
    python3 scripts/pgdb.py drop wp_ret_bench
    odoo -d wp_ret_bench -i willsoft_privacy --without-demo=all --stop-after-init
    $VENV/bin/python scripts/benchmark_retention.py --db wp_ret_bench

Connection settings come from PGHOST, PGPORT, PGUSER and PGPASSWORD, as
scripts/lib.sh exports them.
"""

import argparse
import os
import random
import resource
import sys
import time
from datetime import date, timedelta

FIRST_NAMES = (
    "Aino Eero Helmi Ilkka Juha Kaisa Lauri Minna Niko Olli Pirjo Riikka Sami "
    "Tuula Ville Anneli Jukka Marja Pekka Sari Timo Tiina Antti Heikki Leena"
).split()
LAST_NAMES = (
    "Virtanen Korhonen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen "
    "Koskinen Järvinen Lehtonen Lehtinen Saarinen Salminen Heinonen Niemi "
    "Heikkilä Kinnunen Salonen Turunen Salo Laitinen Tuominen Rantanen"
).split()
COMPANY_WORDS = (
    "Lapuan Seinäjoen Kauhavan Vaasan Kokkolan Alajärven Kuortaneen Nurmon "
    "Ylistaron Ilmajoen Tampereen Oulun"
).split()
TRADES = "Kone Sähkö Puu Rakennus Kuljetus Metalli Data Maatalous Lvi Tili".split()
CITIES = "Lapua Seinäjoki Kauhava Vaasa Kokkola Alajärvi Kuortane Ilmajoki".split()
SUFFIXES = ("Oy", "Oy", "Ky", "Ay", "Tmi", "Oyj")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a database, fresh for figures")
    parser.add_argument("--partners", type=int, default=20000)
    parser.add_argument("--naive", type=int, default=300, help="naive subset size")
    parser.add_argument("--batch", type=int, default=100, help="batch size")
    parser.add_argument("--odoo", default=os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="fill the database and time the next batch's selection, run nothing",
    )
    parser.add_argument(
        "--statistics",
        choices=("analyzed", "none", "both"),
        default="analyzed",
        help="run ANALYZE after generating (default), not, or measure both",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the plan of the query that selects the next batch",
    )
    parser.add_argument(
        "--concurrent",
        type=int,
        default=0,
        metavar="N",
        help="run the daily run in N processes at once instead of one",
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="profile the daily run with cProfile: write the stats to FILE and "
        "print where the time goes (Python, SQL, the phases of a batch)",
    )
    parser.add_argument(
        "--daily-only",
        action="store_true",
        help="skip the naive run (for profiling; no ratio then)",
    )
    return parser.parse_args()


def start_odoo(args):
    sys.path.insert(0, args.odoo)
    import odoo  # noqa: PLC0415 (Odoo is on the path only now)

    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    odoo.tools.config.parse_config(
        [
            f"--addons-path={repo},{args.odoo}/odoo/addons",
            f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
            f"--db_port={os.environ.get('PGPORT', '5432')}",
            f"--db_user={os.environ.get('PGUSER', 'willsoft')}",
            f"--db_password={os.environ.get('PGPASSWORD', '')}",
            "--log-level=warn",
        ]
    )
    return odoo, odoo.modules.registry.Registry(args.db)


def generate(env, args, analyze=True):
    """Insert the register with plain SQL in a few statements: the ORM would
    take an hour for this, and the benchmark measures the run, not this."""
    rnd = random.Random(args.seed)
    cr = env.cr
    company = env.company
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    today = date.today()
    n = args.partners
    companies, contacts = [], []
    for i in range(n):
        name = (
            f"{rnd.choice(COMPANY_WORDS)} {rnd.choice(TRADES)} {i} "
            f"{rnd.choice(SUFFIXES)}"
        )
        # Relationship ended 4 to 40 months ago: all due for stage 1.
        end = today - timedelta(days=rnd.randint(125, 1200))
        companies.append((name, rnd.choice(CITIES), end))
        first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
        contacts.append((f"{first} {last}", f"{first}.{last}{i}@example.fi".lower()))
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active, type,
            street, zip, city, vat, email, email_normalized, phone, lang,
            autopost_bills, privacy_category, privacy_stage, privacy_state,
            privacy_relationship_end, privacy_anonymise_date, customer_rank,
            create_date, write_date)
        SELECT c.name, c.name, TRUE, TRUE, 'contact', 'Kauppakatu ' || c.i, '62100',
            c.city, 'FI' || lpad(c.i::text, 8, '0'), 'info' || c.i || '@example.fi',
            'info' || c.i || '@example.fi', '+358 6 ' || c.i, 'fi_FI', 'ask',
            'customer', 'none', 'ended', c.end_date,
            (c.end_date + interval '3 months')::date, 1, now(), now()
        FROM unnest(%s::text[], %s::text[], %s::date[], %s::int[])
            AS c(name, city, end_date, i)
        RETURNING id
        """,
        (
            [c[0] for c in companies],
            [c[1] for c in companies],
            [c[2] for c in companies],
            list(range(n)),
        ),
    )
    company_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        (company_ids,),
    )
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, parent_id,
            commercial_partner_id, is_company, active, type, email,
            email_normalized, phone, lang, autopost_bills, privacy_category,
            privacy_stage, privacy_state, privacy_relationship_end,
            privacy_anonymise_date, create_date, write_date)
        SELECT c.name, p.name || ', ' || c.name, p.id, p.id, FALSE, TRUE,
            'contact', c.email, c.email, '+358 40 ' || p.id, 'fi_FI', 'ask',
            'customer', 'none', 'ended', p.privacy_relationship_end,
            p.privacy_anonymise_date, now(), now()
        FROM unnest(%s::int[], %s::text[], %s::text[]) AS c(parent, name, email)
        JOIN res_partner p ON p.id = c.parent
        RETURNING id
        """,
        (company_ids, [c[0] for c in contacts], [c[1] for c in contacts]),
    )
    contact_ids = [row[0] for row in cr.fetchall()]
    # Invoices over seven years: about one in three customers has one
    # still in its voucher period; the rest are anonymised at once.
    moves = []
    for pid in company_ids:
        for _k in range(rnd.randint(1, 3)):
            moves.append((pid, today - timedelta(days=rnd.randint(0, 7 * 365))))
    cr.execute(
        """
        INSERT INTO account_move (name, journal_id, company_id, currency_id,
            state, move_type, auto_post, date, invoice_date, partner_id,
            commercial_partner_id, invoice_partner_display_name, posted_before,
            create_date, write_date)
        SELECT %s || m.i, %s, %s, %s, 'posted', 'out_invoice', 'no',
            m.d, m.d, m.p, m.p, p.name, TRUE, now(), now()
        FROM unnest(%s::int[], %s::date[], %s::int[]) AS m(p, d, i)
        JOIN res_partner p ON p.id = m.p
        """,
        (
            # Unique per run: a second run on the same database adds more.
            f"BENCH/{time.time_ns()}/",
            journal.id,
            company.id,
            company.currency_id.id,
            [m[0] for m in moves],
            [m[1] for m in moves],
            list(range(len(moves))),
        ),
    )
    # The hold date the compute would store (calendar fiscal year).
    cr.execute(
        """
        UPDATE res_partner p SET privacy_accounting_hold_date = h.hold
        FROM (SELECT commercial_partner_id AS cp,
                make_date(extract(year FROM max(date))::int + %s, 12, 31) AS hold
              FROM account_move WHERE state = 'posted'
              GROUP BY commercial_partner_id) h
        WHERE p.commercial_partner_id = h.cp
        """,
        (company.privacy_voucher_years,),
    )
    # Messages: a note on each contact, an email from it, and the tracked
    # change of its email address (the old value in the history).
    email_field = env["ir.model.fields"]._get("res.partner", "email")
    note = env.ref("mail.mt_note")
    odoobot = env.ref("base.partner_root")
    cr.execute(
        """
        INSERT INTO mail_message (model, res_id, message_type, subtype_id,
            author_id, body, date, create_date, write_date)
        SELECT 'res.partner', c.id, t.kind, %s,
            CASE WHEN t.kind = 'email' THEN c.id ELSE %s END,
            CASE WHEN t.kind = 'notification' THEN NULL
                 ELSE '<p>Soitettu asiakkaalle ' || c.name || '</p>' END,
            now(), now(), now()
        FROM res_partner c, unnest(ARRAY['comment', 'email', 'notification'])
            AS t(kind)
        WHERE c.id = ANY(%s)
        """,
        (note.id, odoobot.id, contact_ids),
    )
    cr.execute(
        """
        INSERT INTO mail_tracking_value (field_id, mail_message_id,
            old_value_char, new_value_char, create_date, write_date)
        SELECT %s, m.id, 'vanha.' || p.email, p.email, now(), now()
        FROM mail_message m JOIN res_partner p ON p.id = m.res_id
        WHERE m.model = 'res.partner' AND m.message_type = 'notification'
            AND m.res_id = ANY(%s)
        """,
        (email_field.id, contact_ids),
    )
    todo = env.ref("mail.mail_activity_data_todo")
    model_id = env["ir.model"]._get_id("res.partner")
    cr.execute(
        """
        INSERT INTO mail_activity (res_model_id, res_model, res_id,
            activity_type_id, user_id, date_deadline, summary, create_date,
            write_date)
        SELECT %s, 'res.partner', id, %s, %s, now()::date, 'Soita takaisin',
            now(), now()
        FROM res_partner WHERE id = ANY(%s)
        """,
        (model_id, todo.id, env.uid, contact_ids),
    )
    if analyze:
        cr.execute("ANALYZE")
    env.invalidate_all()
    return company_ids


# Tables the generator fills: without statistics, autovacuum's ANALYZE is held
# off them for the whole round (its VACUUM is not: without it the rows the runs
# leave dead would slow them down for another reason than statistics), so that
# only the run itself can analyse them.
FILLED_TABLES = (
    "res_partner",
    "account_move",
    "mail_message",
    "mail_tracking_value",
    "mail_activity",
)


def autovacuum(cr, enabled):
    """Let autovacuum analyse the generated tables, or not."""
    for table in FILLED_TABLES:
        if enabled:
            cr.execute(f"ALTER TABLE {table} RESET (autovacuum_analyze_threshold)")
        else:
            cr.execute(
                f"ALTER TABLE {table} SET (autovacuum_analyze_threshold = 2147483647)"
            )


def claim_ms(env, engine, batch_size, explain=False):
    """Time to select and lock the next batch (then released); with
    ``explain``, print the plan PostgreSQL runs for it."""
    cr = env.cr
    start = time.perf_counter()
    engine._privacy_claim("stage1", batch_size)
    elapsed = (time.perf_counter() - start) * 1000
    cr.rollback()
    if explain:
        from odoo.tools import SQL  # noqa: PLC0415 (Odoo is on the path only now)

        query = engine._privacy_claim_query("stage1", batch_size)
        env.flush_all()
        cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) %s", query))
        print("\n".join("    " + row[0] for row in cr.fetchall()))
        cr.rollback()
    return elapsed


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(env, label, done, commercials_ids, elapsed, queries):
    """Print a run's figures; returns (partners/s, queries per partner)."""
    Partner = env["res.partner"].with_context(active_test=False)
    partners = done + Partner.search_count([("parent_id", "in", commercials_ids)])
    print(
        f"{label:<28} {done:>6} customers ({partners} partners) in {elapsed:7.1f} s: "
        f"{partners / elapsed:7.1f} partners/s, "
        f"{queries / partners:6.2f} queries/partner, peak RSS {peak_rss_mb():.0f} MB"
    )
    return partners / elapsed, queries / partners


def run(env, engine, commercials_ids, batch_size, cr, label, check_group):
    """Stage 1 over ``commercials_ids`` in batches of ``batch_size``,
    committing per batch as the scheduled action does, and the erasure check
    once per ``check_group`` erased people (and at the end): the naive way
    calls it with 1, one check per customer as an *Erase now*."""
    Partner = env["res.partner"].with_context(active_test=False)
    Check = env["willsoft.privacy.erasure.check"]
    group = Check._privacy_group()
    start_queries = cr.sql_log_count
    start = time.perf_counter()
    done = batches = checks = check_queries = 0
    check_seconds = 0.0
    for offset in range(0, len(commercials_ids), batch_size):
        batch = Partner.browse(commercials_ids[offset : offset + batch_size])
        engine._privacy_process(batch, "stage1", group)
        cr.commit()
        env.invalidate_all()
        done += len(batch)
        batches += 1
        if len(group["partners"]) >= check_group or done == len(commercials_ids):
            check_start, queries_before = time.perf_counter(), cr.sql_log_count
            Check._privacy_check(group)
            cr.commit()
            env.invalidate_all()
            check_seconds += time.perf_counter() - check_start
            check_queries += cr.sql_log_count - queries_before
            checks += 1
            group = Check._privacy_group()
    elapsed = time.perf_counter() - start
    figures = report(
        env, label, done, commercials_ids, elapsed, cr.sql_log_count - start_queries
    )
    print(
        f"{'':<28} erasure check: {checks} passes of up to {check_group} people, "
        f"{check_seconds:.1f} s in all ({check_seconds / checks:.2f} s and "
        f"{check_queries / checks:.0f} queries per pass, "
        f"{check_seconds / batches:.2f} s per batch of {batch_size})"
    )
    return figures


# The phases of the daily run a profile reports, by function name.
PHASES = (
    ("_cron_privacy_retention", "the daily run"),
    ("_privacy_refresh_before_run", "clock refresh before the run"),
    ("_privacy_claim", "selecting and locking batches"),
    ("_privacy_with_contacts", "finding the contacts"),
    ("_privacy_former_values", "former values"),
    ("_privacy_plan", "the plan (handlers' find and held)"),
    ("_privacy_remember", "check: remembering the values"),
    ("_privacy_erase", "erasure (handlers' erase)"),
    ("flush_all", "flush"),
    ("_recompute_all", "recompute"),
    ("_log_many", "audit log entries"),
    ("_suppress", "suppression list"),
    ("search_count", "counting what remains"),
    ("_privacy_check", "erasure check"),
    ("_privacy_search_table", "check: indexed column searches"),
    ("_privacy_scan", "check: scans of unindexed columns"),
    ("_privacy_unambiguous", "check: shared names and phones"),
    ("_privacy_report", "check: report and flags"),
    ("commit", "commits"),
)


def print_profile(stats, elapsed):
    """Where the time of the profiled run went: SQL (time inside psycopg2's
    execute, i.e. waiting for PostgreSQL) against Python, and the phases."""
    sql = sum(
        tt
        for (path, _line, name), (_cc, _nc, tt, _ct, _callers) in stats.stats.items()
        if "execute" in name and "psycopg2" in (name + path)
    )
    print(f"Profile: {elapsed:.1f} s wall; SQL (psycopg2 execute) {sql:.1f} s")
    cumulative = {}
    for (_path, _line, name), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        for phase, _label in PHASES:
            if name == phase:
                calls, total = cumulative.get(phase, (0, 0.0))
                cumulative[phase] = (calls + nc, max(total, ct))
    for phase, label in PHASES:
        if phase in cumulative:
            calls, total = cumulative[phase]
            print(f"    {label:<40} {total:7.1f} s  {calls:>7} calls")
    stats.sort_stats("tottime").print_stats(25)


def run_daily(env, engine, commercials_ids, batch_size, cr, label, profile=None):
    """The daily run itself over all that is due (``commercials_ids``): the
    scheduled action's method called again while it does something, each
    batch selected, claimed and committed as in production."""
    start_queries = cr.sql_log_count
    start = time.perf_counter()
    done = 0
    if profile:
        import cProfile  # noqa: PLC0415 (only this mode needs it)

        profiler = cProfile.Profile()
        profiler.enable()
    while count := engine._cron_privacy_retention(batch_size=batch_size):
        done += count
        cr.commit()
        env.invalidate_all()
    elapsed = time.perf_counter() - start
    if profile:
        import pstats  # noqa: PLC0415 (only this mode needs it)

        profiler.disable()
        profiler.dump_stats(profile)
        print_profile(pstats.Stats(profile), elapsed)
    return report(
        env, label, done, commercials_ids, elapsed, cr.sql_log_count - start_queries
    )


def concurrent_worker(args, batch_size):
    """One of the concurrent runs, in a process of its own (a server): the
    daily run called again while it does something, as the scheduler does."""
    odoo, registry = start_odoo(args)
    done = 0
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        engine = env["willsoft.privacy.retention"]
        while count := engine._cron_privacy_retention(batch_size=batch_size):
            done += count
    return done


def run_concurrent(env, args, due_ids, label):
    """The daily run in ``args.concurrent`` processes at once over what is
    due; prints the rate, the error entries and the partners done twice."""
    import multiprocessing  # noqa: PLC0415 (only this mode needs it)

    cr = env.cr
    log = env["willsoft.privacy.audit.log"]
    cr.execute("SELECT coalesce(max(id), 0) FROM willsoft_privacy_audit_log")
    (first_log,) = cr.fetchone()
    # End this transaction: what follows reads what the runs committed, not
    # the snapshot taken before they started.
    cr.commit()
    start = time.perf_counter()
    # Spawned, not forked: each process opens its own registry and
    # connections, as a server does.
    with multiprocessing.get_context("spawn").Pool(args.concurrent) as pool:
        done = pool.starmap(concurrent_worker, [(args, args.batch)] * args.concurrent)
    elapsed = time.perf_counter() - start
    env.invalidate_all()
    Partner = env["res.partner"].with_context(active_test=False)
    contacts = Partner.search_count([("parent_id", "in", due_ids)])
    partners = sum(done) + contacts
    errors = log.search_count([("id", ">", first_log), ("event", "=", "error")])
    cr.execute(
        """SELECT count(*) FROM (
               SELECT partner_ref FROM willsoft_privacy_audit_log
                WHERE id > %s AND event = 'stage1' AND partner_ref = ANY(%s)
                GROUP BY partner_ref HAVING count(*) > 1) twice""",
        (first_log, due_ids),
    )
    (twice,) = cr.fetchone()
    print(
        f"{label:<28} {sum(done):>6} customers ({partners} partners) in "
        f"{elapsed:7.1f} s: {partners / elapsed:7.1f} partners/s; per process "
        f"{done}; error entries {errors}; done twice {twice}; "
        f"peak RSS (this process) {peak_rss_mb():.0f} MB"
    )
    return partners / elapsed, None


def measure(odoo, registry, args, analyze):
    """Generate a register, then measure the batched and the naive way on it."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env = env(context={"lang": "en_US"})
        engine = env["willsoft.privacy.retention"]
        autovacuum(cr, analyze)
        cr.commit()
        t0 = time.perf_counter()
        generate(env, args, analyze=analyze)
        cr.commit()
        statistics = "after ANALYZE" if analyze else "no statistics"
        print(
            f"Generated the register in {time.perf_counter() - t0:.1f} s ({statistics})"
        )
        due = engine._privacy_due_partners("stage1").ids
        print(f"Due for stage 1: {len(due)} customers, each with a contact person")
        claim = claim_ms(env, engine, args.batch, explain=args.explain)
        print(f"Selecting and locking the next batch: {claim:.1f} ms")
        if args.generate_only:
            autovacuum(cr, True)
            cr.commit()
            return
        rnd = random.Random(args.seed)
        naive_ids = sorted(rnd.sample(due, min(args.naive, len(due))))
        batched_ids = sorted(set(due) - set(naive_ids))
        # The naive subset first, each customer erased and checked on its own
        # (an erasure on request); the daily run then takes all that is due,
        # its erasure check per group included (and its peak RSS, which only
        # grows, includes the naive one's).
        if args.daily_only:
            naive = None
            batched_ids = due
        else:
            naive = run(env, engine, naive_ids, 1, cr, "naive (one at a time)", 1)
        if args.concurrent:
            batched = run_concurrent(
                env, args, batched_ids, f"{args.concurrent} runs at once"
            )
        else:
            batched = run_daily(
                env,
                engine,
                batched_ids,
                args.batch,
                cr,
                "batched (daily run)",
                profile=args.profile,
            )
        if naive:
            print(
                f"Ratios ({statistics}): {batched[0] / naive[0]:.1f}x the partners/s"
                + (
                    f", {naive[1] / batched[1]:.1f}x fewer queries per partner"
                    if batched[1]
                    else ""
                )
            )
        left = engine._privacy_due_partners("stage1")
        stages = (
            env["res.partner"]
            .with_context(active_test=False)
            ._read_group([("id", "in", due)], ["privacy_stage"], ["__count"])
        )
        print(f"Left due: {len(left)}; stages: {dict(stages)}")
        autovacuum(cr, True)
        cr.commit()


def main():
    args = parse_args()
    odoo, registry = start_odoo(args)
    if args.statistics in ("none", "both"):
        measure(odoo, registry, args, analyze=False)
    if args.statistics in ("analyzed", "both"):
        measure(odoo, registry, args, analyze=True)


if __name__ == "__main__":
    main()
