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
import threading
import time

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
# A register of a million with 25 x 24 names would give each full name about
# 1,700 bearers, a hundred times the commonest Finnish name's share: with
# --register, names come from a wider pool (50 first names, 312 surnames, the
# compound ones as in Ala-Virtanen), about 64 bearers each in a million.
MORE_FIRST_NAMES = (
    "Aleksi Anna Emilia Harri Jari Jenni Kari Katja Kimmo Laura Markku Matti "
    "Mika Noora Outi Petri Raimo Satu Seppo Tapio Teemu Tuomas Ulla Veera Vesa"
).split()
SURNAME_PREFIXES = "Ala Yli Ylä Ali Iso Vähä Keski Etelä Pohjois Itä Länsi Uusi".split()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a database, fresh for figures")
    parser.add_argument(
        "--partners",
        type=int,
        default=20000,
        help="due customer companies, each with a contact person",
    )
    parser.add_argument(
        "--register",
        type=int,
        metavar="N",
        help="partners in all: the due ones and live ones the run must leave "
        "alone (customers with a recent invoice, suppliers, individuals); the "
        "generated rows are then stamped as older than the last clock refresh",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="run on the register this database already holds (a copy of one "
        "filled with --generate-only), instead of generating one",
    )
    parser.add_argument(
        "--max-calls",
        type=int,
        default=0,
        metavar="N",
        help="stop the daily run after N calls of the scheduled action (0: run "
        "until nothing is due)",
    )
    parser.add_argument(
        "--dry-run-page",
        action="store_true",
        help="time the first page of the officer's Next retention run, and core's "
        "Contacts list as the baseline, in a process of its own, before the run",
    )
    parser.add_argument(
        "--contact-buyers",
        action="store_true",
        help="make the contact person the buyer of their company's invoices (an "
        "invoice address, as Odoo fills it in): stage 1 then restricts the "
        "contact persons of customers with a retained invoice too",
    )
    parser.add_argument("--naive", type=int, default=300, help="naive subset size")
    parser.add_argument(
        "--batch",
        type=int,
        help="batch size (default: the scheduled action's, BATCH_SIZE)",
    )
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
    # The addons' package is importable once the registry has loaded it.
    registry = odoo.modules.registry.Registry(args.db)
    if args.batch is None:
        from odoo.addons.willsoft_privacy.models import (  # noqa: PLC0415
            willsoft_privacy_retention,
        )

        args.batch = willsoft_privacy_retention.BATCH_SIZE
    return odoo, registry


def pick(array):
    """SQL that picks a random element of the array parameter ``array``."""
    return f"({array}::text[])[1 + floor(random() * cardinality({array}::text[]))::int]"


def generate(env, args, analyze=True):
    """Insert the register with plain SQL, set-based (``generate_series``):
    the ORM would take an hour for this, and the benchmark measures the run,
    not this. ``args.partners`` due customer companies with a contact each;
    with ``args.register``, live partners up to that total, which the run
    must leave alone. Returns the due companies' ids."""
    cr = env.cr
    company = env.company
    journals = {
        kind: env["account.journal"]
        .search([("type", "=", kind), ("company_id", "=", company.id)], limit=1)
        .id
        for kind in ("sale", "purchase")
    }
    n = args.partners
    # Deterministic for a seed (random() follows setseed in this session).
    cr.execute("SELECT setseed(%s)", (args.seed % 1000 / 1000,))
    # With a register, the generated rows are stamped two days back, as an
    # imported register that the nightly clock refresh has already seen;
    # without, now (the figures of the runs before it).
    stamp = "now() - interval '2 days'" if args.register else "now()"
    first_names, last_names = FIRST_NAMES, LAST_NAMES
    if args.register:
        first_names = FIRST_NAMES + MORE_FIRST_NAMES
        last_names = LAST_NAMES + [
            f"{prefix}-{name}" for prefix in SURNAME_PREFIXES for name in LAST_NAMES
        ]
    words = {
        "first": first_names,
        "last": last_names,
        "cword": COMPANY_WORDS,
        "trade": TRADES,
        "city": CITIES,
        "suffix": list(SUFFIXES),
    }
    cr.execute("DROP TABLE IF EXISTS bench_due")
    cr.execute(
        f"""
        CREATE TEMP TABLE bench_due AS
        SELECT i, nextval('res_partner_id_seq')::int AS company_id,
            nextval('res_partner_id_seq')::int AS contact_id,
            {pick("%(cword)s")} || ' ' || {pick("%(trade)s")} || ' ' || i || ' '
                || {pick("%(suffix)s")} AS name,
            {pick("%(city)s")} AS city,
            -- Relationship ended 4 to 40 months ago: all due for stage 1.
            current_date - (125 + floor(random() * 1076))::int AS end_date,
            {pick("%(first)s")} AS first, {pick("%(last)s")} AS last,
            1 + floor(random() * 3)::int AS moves
        FROM generate_series(0, %(n)s - 1) AS i
        """,
        dict(words, n=n),
    )
    cr.execute(
        f"""
        INSERT INTO res_partner (id, name, complete_name, is_company, active,
            type, street, zip, city, vat, email, email_normalized, phone, lang,
            autopost_bills, privacy_category, privacy_stage, privacy_state,
            privacy_relationship_end, privacy_anonymise_date, customer_rank,
            commercial_partner_id, create_date, write_date)
        SELECT d.company_id, d.name, d.name, TRUE, TRUE, 'contact',
            'Kauppakatu ' || d.i, '62100', d.city, 'FI' || lpad(d.i::text, 8, '0'),
            'info' || d.i || '@example.fi', 'info' || d.i || '@example.fi',
            '+358 6 ' || d.i, 'fi_FI', 'ask', 'customer', 'none', 'ended',
            d.end_date, (d.end_date + interval '3 months')::date, 1, d.company_id,
            {stamp}, {stamp}
        FROM bench_due d ORDER BY d.i
        """
    )
    cr.execute(
        f"""
        INSERT INTO res_partner (id, name, complete_name, parent_id,
            commercial_partner_id, is_company, active, type, email,
            email_normalized, phone, lang, autopost_bills, privacy_category,
            privacy_stage, privacy_state, privacy_relationship_end,
            privacy_anonymise_date, create_date, write_date)
        SELECT d.contact_id, d.first || ' ' || d.last,
            d.name || ', ' || d.first || ' ' || d.last, d.company_id,
            d.company_id, FALSE, TRUE, 'contact',
            lower(d.first || '.' || d.last || d.i || '@example.fi'),
            lower(d.first || '.' || d.last || d.i || '@example.fi'),
            '+358 40 ' || d.company_id, 'fi_FI', 'ask', 'customer', 'none',
            'ended', d.end_date, (d.end_date + interval '3 months')::date,
            {stamp}, {stamp}
        FROM bench_due d ORDER BY d.i
        """
    )
    # Invoices over seven years: about one in three customers has one
    # still in its voucher period; the rest are anonymised at once.
    prefix = f"BENCH/{time.time_ns()}/"  # a second run on a database adds more
    cr.execute(
        f"""
        INSERT INTO account_move (name, journal_id, company_id, currency_id,
            state, move_type, auto_post, date, invoice_date, partner_id,
            commercial_partner_id, invoice_partner_display_name, posted_before,
            create_date, write_date)
        SELECT %s || row_number() OVER (), %s, %s, %s, 'posted', 'out_invoice',
            'no', m.d, m.d, m.p, m.p, m.name, TRUE, {stamp}, {stamp}
        FROM (SELECT d.company_id AS p, d.name,
                     current_date - floor(random() * 7 * 365)::int AS d
                FROM bench_due d, generate_series(1, d.moves) AS k
               ORDER BY d.i, k) m
        """,
        (prefix, journals["sale"], company.id, company.currency_id.id),
    )
    # Messages: a note on each contact, an email from it, and the tracked
    # change of its email address (the old value in the history).
    email_field = env["ir.model.fields"]._get("res.partner", "email")
    note = env.ref("mail.mt_note")
    odoobot = env.ref("base.partner_root")
    cr.execute(
        f"""
        INSERT INTO mail_message (model, res_id, message_type, subtype_id,
            author_id, body, date, create_date, write_date)
        SELECT 'res.partner', d.contact_id, t.kind, %s,
            CASE WHEN t.kind = 'email' THEN d.contact_id ELSE %s END,
            CASE WHEN t.kind = 'notification' THEN NULL
                 ELSE '<p>Soitettu asiakkaalle ' || d.first || ' ' || d.last
                      || '</p>' END,
            {stamp}, {stamp}, {stamp}
        FROM bench_due d, unnest(ARRAY['comment', 'email', 'notification'])
            AS t(kind)
        ORDER BY d.i
        """,
        (note.id, odoobot.id),
    )
    cr.execute(
        f"""
        INSERT INTO mail_tracking_value (field_id, mail_message_id,
            old_value_char, new_value_char, create_date, write_date)
        SELECT %s, m.id, 'vanha.' || p.email, p.email, {stamp}, {stamp}
        FROM bench_due d
        JOIN mail_message m ON m.model = 'res.partner' AND m.res_id = d.contact_id
            AND m.message_type = 'notification'
        JOIN res_partner p ON p.id = d.contact_id
        """,
        (email_field.id,),
    )
    todo = env.ref("mail.mail_activity_data_todo")
    model_id = env["ir.model"]._get_id("res.partner")
    cr.execute(
        f"""
        INSERT INTO mail_activity (res_model_id, res_model, res_id,
            activity_type_id, user_id, date_deadline, summary, create_date,
            write_date)
        SELECT %s, 'res.partner', d.contact_id, %s, %s, current_date,
            'Soita takaisin', {stamp}, {stamp}
        FROM bench_due d
        """,
        (model_id, todo.id, env.uid),
    )
    if args.register:
        generate_live(env, args, words, journals, prefix, stamp)
    # Bank accounts of the due companies (the live ones' in generate_live).
    cr.execute(
        f"""
        INSERT INTO res_partner_bank (partner_id, acc_number, sanitized_acc_number,
            acc_holder_name, active, allow_out_payment, company_id, create_date,
            write_date)
        SELECT d.company_id, 'FI' || lpad((10 + d.i %% 89)::text, 2, '0')
                || ' 1234 5600 ' || lpad(d.i::text, 6, '0'),
            'FI' || lpad((10 + d.i %% 89)::text, 2, '0') || '12345600'
                || lpad(d.i::text, 6, '0'),
            d.name, TRUE, FALSE, %s, {stamp}, {stamp}
        FROM bench_due d
        """,
        (company.id,),
    )
    # The hold date the compute would store (calendar fiscal year), and the
    # last voucher date with it.
    cr.execute(
        """
        UPDATE res_partner p SET privacy_accounting_hold_date = h.hold,
            privacy_last_voucher_date = h.last
        FROM (SELECT commercial_partner_id AS cp, max(date) AS last,
                make_date(extract(year FROM max(date))::int + %s, 12, 31) AS hold
              FROM account_move WHERE state = 'posted' AND name LIKE %s
              GROUP BY commercial_partner_id) h
        WHERE p.commercial_partner_id = h.cp
        """,
        (company.privacy_voucher_years, prefix + "%"),
    )
    # A PDF of one posted invoice in five, as sending it leaves one.
    cr.execute(
        f"""
        INSERT INTO ir_attachment (name, res_model, res_id, type, db_datas,
            file_size, mimetype, public, company_id, create_date, write_date)
        SELECT replace(m.name, '/', '_') || '.pdf', 'account.move', m.id,
            'binary', convert_to('%%PDF-1.4 ' || m.name || ' %%%%EOF', 'UTF8'),
            length(m.name) + 16, 'application/pdf', FALSE, m.company_id,
            {stamp}, {stamp}
        FROM account_move m WHERE m.name LIKE %s AND m.id %% 5 = 0
        """,
        (prefix + "%",),
    )
    if analyze:
        cr.execute("ANALYZE")
    env.invalidate_all()
    cr.execute("SELECT company_id FROM bench_due ORDER BY i")
    due_ids = [row[0] for row in cr.fetchall()]
    return due_ids


def generate_live(env, args, words, journals, prefix, stamp):
    """The live part of the register: ``args.register`` less the due
    partners, in tenths: customer companies with two contact persons and a
    recent invoice (3), suppliers with a contact and a recent bill (2),
    individuals (5; half with a recent invoice, all with a note). Their
    names come from the same lists as the due people's, so many share a
    name with someone erased."""
    cr = env.cr
    company = env.company
    units = max(args.register - 2 * args.partners, 0) // 10
    cr.execute("DROP TABLE IF EXISTS bench_gen_live")
    # kind: c customer company, k its contact, s supplier, t its contact,
    # p individual.
    cr.execute(
        f"""
        CREATE TEMP TABLE bench_gen_live AS
        WITH heads AS (
            SELECT i, CASE WHEN i < %(u)s THEN 'c' WHEN i < 2 * %(u)s THEN 's'
                           ELSE 'p' END AS kind,
                nextval('res_partner_id_seq')::int AS id,
                {pick("%(first)s")} AS first, {pick("%(last)s")} AS last,
                {pick("%(cword)s")} || ' ' || {pick("%(trade)s")} AS firm,
                {pick("%(city)s")} AS city,
                current_date - floor(random() * 200)::int AS day
            FROM generate_series(0, 7 * %(u)s - 1) AS i
        )
        SELECT h.i, h.kind, h.id, NULL::int AS parent_id, h.first, h.last,
            h.firm, h.city, h.day FROM heads h
        UNION ALL
        SELECT h.i * 2 + k, CASE h.kind WHEN 'c' THEN 'k' ELSE 't' END,
            nextval('res_partner_id_seq')::int, h.id,
            {pick("%(first)s")}, {pick("%(last)s")}, h.firm, h.city,
            current_date - floor(random() * 200)::int
        FROM heads h, generate_series(0, 1) AS k
        WHERE h.kind = 'c' OR (h.kind = 's' AND k = 0)
        """,
        dict(words, u=units),
    )
    cr.execute("CREATE INDEX ON bench_gen_live (id)")
    cr.execute(
        f"""
        INSERT INTO res_partner (id, name, complete_name, parent_id,
            commercial_partner_id, is_company, active, type, street, zip, city,
            email, email_normalized, phone, lang, autopost_bills,
            privacy_category, privacy_stage, privacy_state,
            privacy_last_contact_date, privacy_last_event_date,
            privacy_anonymise_date, customer_rank, supplier_rank,
            create_date, write_date)
        SELECT l.id,
            CASE WHEN l.kind IN ('c', 's') THEN l.firm || ' L' || l.i || ' Oy'
                 ELSE l.first || ' ' || l.last END,
            CASE WHEN l.kind IN ('c', 's') THEN l.firm || ' L' || l.i || ' Oy'
                 WHEN l.kind IN ('k', 't')
                     THEN l.firm || ', ' || l.first || ' ' || l.last
                 ELSE l.first || ' ' || l.last END,
            l.parent_id, coalesce(l.parent_id, l.id), l.kind IN ('c', 's'),
            TRUE, 'contact', 'Asemakatu ' || l.i, '60100', l.city,
            CASE WHEN l.kind IN ('c', 's') THEN 'myynti.l' || l.i || '@yritys.fi'
                 ELSE lower(l.first || '.' || l.last || '.l' || l.i
                            || '@esimerkki.fi') END,
            CASE WHEN l.kind IN ('c', 's') THEN 'myynti.l' || l.i || '@yritys.fi'
                 ELSE lower(l.first || '.' || l.last || '.l' || l.i
                            || '@esimerkki.fi') END,
            '+358 50 ' || (1000000 + l.id), 'fi_FI', 'ask',
            CASE WHEN l.kind IN ('s', 't') THEN 'other' ELSE 'customer' END,
            'none', 'active', l.day, l.day, l.day + 1095,
            CASE WHEN l.kind IN ('c', 'p') THEN 1 ELSE 0 END,
            CASE WHEN l.kind = 's' THEN 1 ELSE 0 END, {stamp}, {stamp}
        FROM bench_gen_live l ORDER BY l.kind, l.i
        """
    )
    # A recent invoice for each customer company and every second
    # individual, a recent bill for each supplier.
    cr.execute(
        f"""
        INSERT INTO account_move (name, journal_id, company_id, currency_id,
            state, move_type, auto_post, date, invoice_date, partner_id,
            commercial_partner_id, invoice_partner_display_name, posted_before,
            create_date, write_date)
        SELECT %s || 'L' || l.i || l.kind,
            CASE WHEN l.kind = 's' THEN %s ELSE %s END, %s, %s, 'posted',
            CASE WHEN l.kind = 's' THEN 'in_invoice' ELSE 'out_invoice' END,
            'no', l.day, l.day, l.id, l.id, p.name, TRUE, {stamp}, {stamp}
        FROM bench_gen_live l JOIN res_partner p ON p.id = l.id
        WHERE l.kind IN ('c', 's') OR (l.kind = 'p' AND l.i %% 2 = 0)
        """,
        (
            prefix,
            journals["purchase"],
            journals["sale"],
            company.id,
            company.currency_id.id,
        ),
    )
    # A note about each person (a contact or an individual) and an email
    # from them.
    note = env.ref("mail.mt_note")
    odoobot = env.ref("base.partner_root")
    cr.execute(
        f"""
        INSERT INTO mail_message (model, res_id, message_type, subtype_id,
            author_id, body, date, create_date, write_date)
        SELECT 'res.partner', l.id, t.kind, %s,
            CASE WHEN t.kind = 'email' THEN l.id ELSE %s END,
            CASE WHEN t.kind = 'email' THEN '<p>Terveisin ' || l.first || ' '
                     || l.last || '</p>'
                 ELSE '<p>Tavattu ' || l.first || ' ' || l.last || ', '
                     || l.city || '</p>' END,
            l.day, {stamp}, {stamp}
        FROM bench_gen_live l, unnest(ARRAY['comment', 'email']) AS t(kind)
        WHERE l.kind IN ('k', 't', 'p')
        """,
        (note.id, odoobot.id),
    )
    cr.execute(
        f"""
        INSERT INTO res_partner_bank (partner_id, acc_number, sanitized_acc_number,
            acc_holder_name, active, allow_out_payment, company_id, create_date,
            write_date)
        SELECT l.id, 'FI' || lpad((10 + l.i %% 89)::text, 2, '0') || ' 5566 7700 '
                || lpad(l.i::text, 6, '0'),
            'FI' || lpad((10 + l.i %% 89)::text, 2, '0') || '55667700'
                || lpad(l.i::text, 6, '0'),
            p.name, TRUE, l.kind = 's', %s, {stamp}, {stamp}
        FROM bench_gen_live l JOIN res_partner p ON p.id = l.id
        WHERE l.kind IN ('c', 's') OR (l.kind = 'p' AND l.i %% 3 = 0)
        """,
        (company.id,),
    )


# Tables the generator fills: without statistics, autovacuum's ANALYZE is held
# off them for the whole round (its VACUUM is not: without it the rows the runs
# leave dead would slow them down for another reason than statistics), so that
# only the run itself can analyse them.
FILLED_TABLES = (
    "res_partner",
    "res_partner_bank",
    "account_move",
    "mail_message",
    "mail_tracking_value",
    "mail_activity",
    "ir_attachment",
)


def vacuum(dbname):
    """VACUUM ANALYZE the filled tables, as autovacuum would soon after: the
    generator's updates (the hold dates) leave a dead row per partner, which
    a million-row table would otherwise carry into the run."""
    import psycopg2  # noqa: PLC0415 (Odoo's dependency, on its path)

    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    with conn.cursor() as cursor:
        for table in FILLED_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    conn.close()


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
    engine._claim("stage1", batch_size)
    elapsed = (time.perf_counter() - start) * 1000
    cr.rollback()
    if explain:
        from odoo.tools import SQL  # noqa: PLC0415 (Odoo is on the path only now)

        query = engine._claim_query("stage1", batch_size)
        env.flush_all()
        cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) %s", query))
        print("\n".join("    " + row[0] for row in cr.fetchall()))
        cr.rollback()
    return elapsed


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RSSSampler:
    """The largest resident size seen while the block runs (sampled every
    0.2 s): the run's own peak, whatever the process held before."""

    def __enter__(self):
        self.start = self.peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def report(env, label, done, commercials_ids, elapsed, queries, stopped=False):
    """Print a run's figures; returns (partners/s, queries per partner)."""
    Partner = env["res.partner"].with_context(active_test=False)
    domain = [("parent_id", "in", commercials_ids)]
    if stopped:
        # Stopped before the end: the contacts of the companies done.
        domain.append(("privacy_stage", "!=", "none"))
    partners = done + Partner.search_count(domain)
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
    group = Check._new_group()
    start_queries = cr.sql_log_count
    start = time.perf_counter()
    done = batches = checks = check_queries = 0
    check_seconds = 0.0
    for offset in range(0, len(commercials_ids), batch_size):
        batch = Partner.browse(commercials_ids[offset : offset + batch_size])
        engine._process(batch, "stage1", group)
        cr.commit()
        env.invalidate_all()
        done += len(batch)
        batches += 1
        if len(group["partners"]) >= check_group or done == len(commercials_ids):
            check_start, queries_before = time.perf_counter(), cr.sql_log_count
            Check._find_leftovers(group)
            cr.commit()
            env.invalidate_all()
            check_seconds += time.perf_counter() - check_start
            check_queries += cr.sql_log_count - queries_before
            checks += 1
            group = Check._new_group()
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
    ("_refresh_before_run", "clock refresh before the run"),
    ("_claim", "selecting and locking batches"),
    ("_with_contacts", "finding the contacts"),
    ("_former_values", "former values"),
    ("_plan", "the plan (handlers' find and held)"),
    ("_remember", "check: remembering the values"),
    ("_erase", "erasure (handlers' erase)"),
    ("flush_all", "flush"),
    ("_recompute_all", "recompute"),
    ("_log_many", "audit log entries"),
    ("_suppress", "suppression list"),
    ("search_count", "counting what remains"),
    ("_find_leftovers", "erasure check"),
    ("_search_table", "check: indexed column searches"),
    ("_scan", "check: scans of unindexed columns"),
    ("_unambiguous", "check: shared names and phones"),
    ("_report", "check: report and flags"),
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


def run_daily(
    env, engine, commercials_ids, batch_size, cr, label, profile=None, max_calls=0
):
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
    calls = 0
    with RSSSampler() as rss:
        while True:
            call_start = time.perf_counter()
            count = engine._cron_privacy_retention(batch_size=batch_size)
            if not count:
                break
            done += count
            calls += 1
            cr.commit()
            env.invalidate_all()
            print(
                f"{'':<28} call {calls}: {count} customers in "
                f"{time.perf_counter() - call_start:.1f} s, RSS {rss_mb():.0f} MB, "
                f"{load_average()}",
                flush=True,
            )
            if calls == max_calls:
                break
    elapsed = time.perf_counter() - start
    print(
        f"{'':<28} {calls} calls of the scheduled action; RSS {rss.start:.0f} MB "
        f"before, {rss.peak:.0f} MB at most during the run (sampled)"
    )
    if profile:
        import pstats  # noqa: PLC0415 (only this mode needs it)

        profiler.disable()
        profiler.dump_stats(profile)
        print_profile(pstats.Stats(profile), elapsed)
    return report(
        env,
        label,
        done,
        commercials_ids,
        elapsed,
        cr.sql_log_count - start_queries,
        stopped=calls == max_calls,
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


PREVIEW_MENU = "willsoft_privacy.willsoft_privacy_retention_preview_menu"
CONTACTS_ACTION = "base.action_partner_form"


def timed(cr, call):
    """(result, queries, seconds) of ``call()``."""
    queries, start = cr.sql_log_count, time.perf_counter()
    result = call()
    return result, cr.sql_log_count - queries, time.perf_counter() - start


def view_spec(env, model, view_type, action_id):
    """The web client's ``get_views`` and the specification of the view's
    fields it then reads (as ``scripts/benchmark_pages.py`` builds it)."""
    from benchmark_pages import spec_of  # noqa: PLC0415 (a sibling script)
    from lxml import etree  # noqa: PLC0415 (Odoo's dependency, on its path)

    views = env[model].get_views(
        [(False, view_type), (False, "search")], {"action_id": action_id}
    )
    arch = etree.fromstring(views["views"][view_type]["arch"].encode())
    models = views["models"]
    spec = spec_of(arch, models[model]["fields"], models, model)
    # A list's own page size, as the web client reads it (spec_of gives 40).
    for node in arch.iter("field"):
        sub = node.find("list")
        if node.get("name") in spec and sub is not None and sub.get("limit"):
            spec[node.get("name")]["limit"] = int(sub.get("limit"))
    return spec


def open_menu(env, menu_xmlid):
    """What the web client does on a menu: load its action (run it, for a
    server action), the views, and the form's data (a saved record's
    ``web_read``, or a new one's ``onchange``, which computes its
    defaults). Returns [(step, queries, seconds, note)]."""
    cr = env.cr
    steps = []
    action_ref = env.ref(menu_xmlid).action
    action, q, s = timed(
        cr, lambda: env[action_ref._name].browse(action_ref.id).read()[0]
    )
    if action["type"] == "ir.actions.server":
        action, q2, s2 = timed(
            cr, lambda: env["ir.actions.server"].browse(action["id"]).run()
        )
        q, s = q + q2, s + s2
    steps.append(("the action", q, s, action["type"]))
    model = action["res_model"]
    spec, q, s = timed(cr, lambda: view_spec(env, model, "form", action["id"]))
    steps.append(("the form view", q, s, ""))
    if action.get("res_id"):
        values, q, s = timed(
            cr, lambda: env[model].browse(action["res_id"]).web_read(spec)[0]
        )
        note = "web_read of the saved record"
    else:
        values, q, s = timed(cr, lambda: env[model].onchange({}, [], spec)["value"])
        note = "onchange of a new record"
    lines = values.get("line_ids", [])
    page = spec.get("line_ids", {}).get("limit")
    steps.append(("the form's data", q, s, f"{note}: {len(lines)} lines, page {page}"))
    return steps


def dry_run_page_worker(args):
    """In a process of its own (so that the run's memory does not hold what
    this allocates): the officer opens Privacy / Next retention run as the
    web client does, to its first page; then core's Contacts list's first
    page on the same register as the baseline. Rolled back: the run that
    follows sees the register as generated."""
    odoo, registry = start_odoo(args)
    out = []
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        officer = env.ref("base.user_admin")
        officer.groups_id |= env.ref("willsoft_privacy.group_privacy_officer")
        env.flush_all()
        env = env(user=officer.id, su=False)
        steps = open_menu(env, PREVIEW_MENU)
        out += [(f"Next retention run: {step}", q, s, n) for step, q, s, n in steps]
        out.append(
            (
                "Next retention run: first page in all",
                sum(step[1] for step in steps),
                sum(step[2] for step in steps),
                "",
            )
        )
        env.invalidate_all()
        action_id = env.ref(CONTACTS_ACTION).id
        action, q_action, s_action = timed(
            cr, lambda: env["ir.actions.act_window"].browse(action_id).read()[0]
        )
        Partner = env[action["res_model"]]
        spec, q_view, s_view = timed(
            cr, lambda: view_spec(env, Partner._name, "list", action_id)
        )
        result, q_data, s_data = timed(
            cr,
            lambda: Partner.web_search_read([], spec, limit=80, count_limit=10001),
        )
        out.append(
            (
                "Baseline: core's Contacts list, first page",
                q_action + q_view + q_data,
                s_action + s_view + s_data,
                f"80 of {result['length']} partners",
            )
        )
        cr.rollback()
    return out


def dry_run_page(args, label):
    """Print the dry run's first page against core's Contacts list, measured
    in a process of its own."""
    import multiprocessing  # noqa: PLC0415 (only this mode needs it)

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        figures = pool.apply(dry_run_page_worker, (args,))
    print(f"Dry run's first page ({label}), {load_average()}")
    for name, queries, seconds, extra in figures:
        print(f"  {name:<52} {queries:>6} queries {seconds * 1000:>8.0f} ms  {extra}")
    page, base = figures[-2], figures[-1]
    print(
        f"  Ratio: {page[2] / base[2]:.1f}x the time and {page[1] / base[1]:.1f}x "
        "the queries of core's Contacts list"
    )


def load_average():
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def register_summary(cr):
    counts = {}
    for table in (
        "res_partner",
        "account_move",
        "mail_message",
        "res_partner_bank",
        "ir_attachment",
    ):
        cr.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed names)
        counts[table] = cr.fetchone()[0]
    return (
        f"Register: {counts['res_partner']} partners, {counts['account_move']} "
        f"journal entries, {counts['mail_message']} messages, "
        f"{counts['res_partner_bank']} bank accounts, {counts['ir_attachment']} "
        "attachments"
    )


def snapshot_live(cr, due_ids):
    """Remember every partner that is not due (not one of the due
    commercial partners' families) as it is: the run must not change it.
    A plain table, no model's: the erasure check does not search it, and the
    run's own connection handling does not drop it as it would a temporary
    one."""
    cr.execute("DROP TABLE IF EXISTS bench_live")
    cr.execute(
        """
        CREATE UNLOGGED TABLE bench_live AS
        SELECT p.id, md5(coalesce(p.name, '') || '|' || coalesce(p.email, ''))
            AS digest, p.active, p.privacy_stage
        FROM res_partner p
        WHERE NOT (p.commercial_partner_id = ANY(%s))
        """,
        (due_ids,),
    )
    cr.execute("CREATE INDEX ON bench_live (id)")


def verify_live(cr, when):
    """Print whether the run left the partners that were not due (the live
    ones, snapshot_live) as they were."""
    cr.execute(
        """
        SELECT count(*), count(*) FILTER (WHERE p.id IS NULL),
            count(*) FILTER (WHERE md5(coalesce(p.name, '') || '|'
                || coalesce(p.email, '')) IS DISTINCT FROM l.digest),
            count(*) FILTER (WHERE p.active IS DISTINCT FROM l.active),
            count(*) FILTER (WHERE p.privacy_stage IS DISTINCT FROM l.privacy_stage),
            (SELECT count(*) FROM mail_message m JOIN bench_live b ON b.id = m.res_id
              WHERE m.model = 'res.partner'),
            (SELECT count(*) FROM res_partner_bank k JOIN bench_live b
                ON b.id = k.partner_id)
        FROM bench_live l LEFT JOIN res_partner p ON p.id = l.id
        """
    )
    total, gone, changed, archived, staged, messages, banks = cr.fetchone()
    untouched = not (gone or changed or archived or staged)
    print(
        f"Partners not due {when}: {total}; deleted {gone}, name or email changed "
        f"{changed}, archived or restored {archived}, stage changed {staged}; their "
        f"messages {messages}, bank accounts {banks}: "
        + ("untouched" if untouched else "TOUCHED")
    )


def contact_buyers(cr):
    """Name the contact person as the buyer of each generated invoice of a
    company that has one (the company stays the commercial partner)."""
    cr.execute(
        """UPDATE account_move m SET partner_id = c.id
             FROM res_partner c
            WHERE m.name LIKE 'BENCH/%%' AND m.move_type = 'out_invoice'
              AND m.partner_id = m.commercial_partner_id
              AND c.parent_id = m.commercial_partner_id"""
    )
    print(f"Invoices naming a contact person as buyer: {cr.rowcount}")
    cr.execute("ANALYZE account_move")
    cr.commit()


def measure(odoo, registry, args, analyze):
    """Generate a register, then measure the batched and the naive way on it."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env = env(context={"lang": "en_US"})
        engine = env["willsoft.privacy.retention"]
        autovacuum(cr, analyze)
        cr.commit()
        t0 = time.perf_counter()
        statistics = "after ANALYZE" if analyze else "no statistics"
        cr.execute("SELECT 1 FROM account_move WHERE name LIKE 'BENCH/%%' LIMIT 1")
        if args.reuse and cr.fetchone():
            print("Reused the register generated before in this database")
        else:
            print(f"Generating at {time.strftime('%H:%M:%S')} UTC, {load_average()}")
            generate(env, args, analyze=analyze)
            cr.commit()
            if args.register and analyze:
                vacuum(args.db)
            print(
                f"Generated the register in {time.perf_counter() - t0:.1f} s "
                f"({statistics})"
            )
        if args.contact_buyers:
            contact_buyers(cr)
        print(register_summary(cr))
        due = engine._due_partners("stage1").ids
        print(f"Due for stage 1: {len(due)} customers, each with a contact person")
        claim = claim_ms(env, engine, args.batch, explain=args.explain)
        print(f"Selecting and locking the next batch: {claim:.1f} ms")
        snapshot_live(cr, due)
        cr.commit()
        verify_live(cr, "before the run")
        if args.dry_run_page:
            dry_run_page(args, f"{len(due)} customers due")
        if args.generate_only:
            autovacuum(cr, True)
            cr.commit()
            return
        print(
            f"Running at {time.strftime('%H:%M:%S')} UTC, {load_average()}; "
            f"RSS {rss_mb():.0f} MB, peak so far {peak_rss_mb():.0f} MB"
        )
        rnd = random.Random(args.seed)
        naive_ids = sorted(rnd.sample(due, min(args.naive, len(due))))
        batched_ids = sorted(set(due) - set(naive_ids))
        # The naive subset first, each customer erased and checked on its own
        # (an erasure on request); the daily run then takes all that is due,
        # its erasure check per group included (and its peak RSS, which only
        # grows, includes the naive one's).
        if args.daily_only or args.naive <= 0:
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
                max_calls=args.max_calls,
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
        left = engine._due_partners("stage1")
        stages = (
            env["res.partner"]
            .with_context(active_test=False)
            ._read_group([("id", "in", due)], ["privacy_stage"], ["__count"])
        )
        print(
            f"Left due: {len(left)} (stage 2: "
            f"{len(engine._due_partners('stage2'))}); stages: {dict(stages)}"
        )
        verify_live(cr, "after the run")
        print(f"Finished at {time.strftime('%H:%M:%S')} UTC, {load_average()}")
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
