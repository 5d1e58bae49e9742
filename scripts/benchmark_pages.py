#!/usr/bin/env python3
# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark the pages people use: My privacy, its export, the request desk
and the partner form's Privacy tab.

Not a test: it fills a database (willsoft_privacy installed, no demo) with a
portal customer who has ``--messages`` messages (10,000) and one who has
``--small`` (10), ``--requests`` privacy requests (10,000) of generated
people for the officers' desk, then starts an Odoo server of its own on a
free port and measures over real HTTP, as a browser and the web client call
it: the server's own figures (queries, SQL time and the rest) from its
request log. Every figure is printed with a baseline measured in the same
run:

- My privacy of the big customer against the same page of the small one and
  against Odoo's own /my page;
- the export (a portal copy request answered at once: JSON, CSV and PDF)
  of the big customer against the small one's, with the time of each part
  measured in this process;
- the desk (the menu's action, its views, the kanban's groups and cards, the
  list of all requests) against core's Contacts list over as many partners;
- the partner form's ``web_read`` with the form view's fields against the
  same read without the fields this addon adds.

    source scripts/lib.sh && setup_all >/dev/null
    python3 scripts/pgdb.py drop wp_pages_bench
    odoo -d wp_pages_bench -i willsoft_privacy --without-demo=all --stop-after-init
    $VENV/bin/python scripts/benchmark_pages.py --db wp_pages_bench

Connection settings come from PGHOST, PGPORT, PGUSER and PGPASSWORD, as
scripts/lib.sh exports them. A second run on the same database adds its own
customers and requests; use a fresh database for figures.
"""

import argparse
import io
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta

import requests
from lxml import etree

FIRST_NAMES = "Aino Eero Helmi Ilkka Juha Kaisa Lauri Minna Niko Olli Pirjo".split()
LAST_NAMES = "Virtanen Korhonen Mäkinen Nieminen Mäkelä Laine Heikkinen".split()
PASSWORD = "bench-Pages-2026"
REQUEST_MODEL = "willsoft.privacy.request"
# Werkzeug's request line as Odoo logs it: method, path, status, then the
# queries, their time and the rest of the server time.
LOG_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d+) \S+ '
    r"(?P<queries>\d+) (?P<sql>[\d.]+) (?P<rest>[\d.]+)"
)
# The budgets the pages are held to (as in tests/test_query_budgets.py).
MY_PRIVACY_QUERIES = 25
EXPORT_SECONDS = 5.0
DESK_SECONDS = 1.0
PRIVACY_TAB_QUERIES = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a database, fresh for figures")
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--small", type=int, default=10, help="baseline's messages")
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=5, help="measured calls each")
    parser.add_argument("--odoo", default=os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="the server's HTTP port (its gevent port is the next one); "
        "default: any free port",
    )
    return parser.parse_args()


def db_options():
    return [
        f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
        f"--db_user={os.environ.get('PGUSER', 'willsoft')}",
        f"--db_password={os.environ.get('PGPASSWORD', '')}",
    ]


def addons_path(args):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return f"--addons-path={repo},{args.odoo}/odoo/addons"


def start_odoo(args):
    sys.path.insert(0, args.odoo)
    import odoo  # noqa: PLC0415 (Odoo is on the path only now)

    odoo.tools.config.parse_config(
        [addons_path(args), *db_options(), "--log-level=warn"]
    )
    return odoo, odoo.modules.registry.Registry(args.db)


# Data


def make_customer(env, tag, messages, rnd):
    """A company with a contact person who logs in to the portal, and
    ``messages`` messages about, by and to the person (inserted with SQL),
    a tenth of them tracked changes, plus a few invoices with a message each
    and two answered requests."""
    Partner = env["res.partner"]
    company = Partner.create(
        {
            "name": f"Lapuan Kone {tag} Oy",
            "is_company": True,
            "city": "Lapua",
            "email": f"info.{tag}@example.fi",
            "privacy_category": "customer",
        }
    )
    first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
    login = f"{first}.{last}.{tag}@example.fi".lower()
    person = Partner.create(
        {
            "name": f"{first} {last}",
            "parent_id": company.id,
            "email": login,
            "phone": f"+358 40 {rnd.randint(1000000, 9999999)}",
            "street": "Kauppakatu 1",
            "zip": "62100",
            "city": "Lapua",
            "lang": "en_US",
        }
    )
    env["res.users"].with_context(no_reset_password=True).create(
        {
            "name": person.name,
            "login": login,
            "password": PASSWORD,
            "partner_id": person.id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
        }
    )
    cr = env.cr
    note = env.ref("mail.mt_note")
    comment = env.ref("mail.mt_comment")
    admin = env.ref("base.partner_admin")
    # 40 % notes about the person, 40 % emails from them, 10 % messages to
    # them on their company, 10 % tracked changes of their phone number.
    kinds = ["note"] * 4 + ["email"] * 4 + ["to"] + ["tracking"]
    rows = [kinds[i % len(kinds)] for i in range(messages)]
    cr.execute(
        """
        INSERT INTO mail_message (model, res_id, message_type, subtype_id,
            author_id, email_from, body, subject, date, create_date, write_date)
        SELECT 'res.partner',
            CASE WHEN m.kind = 'to' THEN %(company)s ELSE %(person)s END,
            CASE m.kind WHEN 'email' THEN 'email' WHEN 'tracking'
                 THEN 'notification' ELSE 'comment' END,
            CASE WHEN m.kind IN ('note', 'tracking') THEN %(note)s
                 ELSE %(comment)s END,
            CASE WHEN m.kind = 'email' THEN %(person)s ELSE %(admin)s END,
            CASE WHEN m.kind = 'email' THEN %(email)s END,
            CASE WHEN m.kind = 'tracking' THEN NULL
                 ELSE '<p>Viesti ' || m.i || ': soitettu asiakkaalle, sovittu '
                      || 'huoltokäynti ja lähetetty tarjous.</p>' END,
            CASE WHEN m.kind = 'email' THEN 'Tarjous ' || m.i END,
            now() - m.i * interval '1 hour', now(), now()
        FROM unnest(%(kinds)s::text[]) WITH ORDINALITY AS m(kind, i)
        RETURNING id, message_type
        """,
        {
            "company": company.id,
            "person": person.id,
            "note": note.id,
            "comment": comment.id,
            "admin": admin.id,
            "email": f'"{person.name}" <{login}>',
            "kinds": rows,
        },
    )
    inserted = cr.fetchall()
    to_ids = [
        mid for (mid, _t), kind in zip(inserted, rows, strict=True) if kind == "to"
    ]
    cr.execute(
        """INSERT INTO mail_message_res_partner_rel (mail_message_id, res_partner_id)
           SELECT unnest(%s::int[]), %s""",
        (to_ids, person.id),
    )
    phone_field = env["ir.model.fields"]._get("res.partner", "phone")
    tracking_ids = [
        mid
        for (mid, _t), kind in zip(inserted, rows, strict=True)
        if kind == "tracking"
    ]
    cr.execute(
        """
        INSERT INTO mail_tracking_value (field_id, mail_message_id,
            old_value_char, new_value_char, create_date, write_date)
        SELECT %s, m.id, '+358 40 000 ' || m.id, %s, now(), now()
        FROM unnest(%s::int[]) AS m(id)
        """,
        (phone_field.id, person.phone, tracking_ids),
    )
    # Invoices to the person, each with its mail.
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", env.company.id)], limit=1
    )
    today = date.today()
    cr.execute(
        """
        INSERT INTO account_move (name, journal_id, company_id, currency_id,
            state, move_type, auto_post, date, invoice_date, partner_id,
            commercial_partner_id, invoice_partner_display_name, posted_before,
            create_date, write_date)
        SELECT %s || i, %s, %s, %s, 'posted', 'out_invoice', 'no',
            %s::date - i * 90, %s::date - i * 90, %s, %s, %s, TRUE, now(), now()
        FROM generate_series(1, 12) AS i
        RETURNING id
        """,
        (
            f"BENCH/{tag}/{time.time_ns()}/",
            journal.id,
            env.company.id,
            env.company.currency_id.id,
            today,
            today,
            person.id,
            company.id,
            company.name,
        ),
    )
    move_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO mail_message (model, res_id, message_type, subtype_id,
            author_id, body, date, create_date, write_date)
        SELECT 'account.move', m.id, 'comment', %s, %s,
            '<p>Lasku lähetetty.</p>', now(), now(), now()
        FROM unnest(%s::int[]) AS m(id)
        """,
        (comment.id, admin.id, move_ids),
    )
    for kind in ("access", "objection"):
        env[REQUEST_MODEL].create(
            {"kind": kind, "partner_id": person.id, "channel": "portal"}
        ).write({"state": "done"})
    return {"login": login, "person": person, "company": company}


def make_requests(env, count, rnd):
    """``count`` requests of people who have four each, a third of them open
    (some overdue), with an activity on one open request in ten."""
    cr = env.cr
    people = max(1, count // 4)
    names = [
        f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)} {i}" for i in range(people)
    ]
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, active, type, email,
            email_normalized, lang, autopost_bills, privacy_category,
            privacy_stage, privacy_state, create_date, write_date)
        SELECT n, n, TRUE, 'contact', 'desk' || i || '@example.fi',
            'desk' || i || '@example.fi', 'fi_FI', 'ask', 'customer', 'none',
            'active', now(), now()
        FROM unnest(%s::text[]) WITH ORDINALITY AS p(n, i)
        RETURNING id
        """,
        (names,),
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        (partner_ids,),
    )
    kinds = ["access", "erasure", "rectification", "objection", "portability"]
    channels = ["portal", "web", "email", "letter", "phone"]
    states = ["new", "identity", "progress", "done", "done", "done", "refused"]
    sequence = {"new": 0, "identity": 1, "progress": 2, "done": 3, "refused": 4}
    today = date.today()
    rows = []
    for i in range(count):
        state = rnd.choice(states)
        is_open = state in ("new", "identity", "progress")
        received = today - timedelta(
            days=rnd.randint(0, 45) if is_open else rnd.randint(30, 700)
        )
        rows.append(
            (
                f"DSR/BENCH/{i:05d}",
                kinds[i % 4 if i % 20 else 4],
                rnd.choice(channels),
                state,
                sequence[state],
                partner_ids[i % people],
                received,
            )
        )
    officer = env.ref("base.user_admin")
    cr.execute(
        """
        INSERT INTO willsoft_privacy_request (name, kind, channel, state,
            state_sequence, company_id, partner_id, received_date,
            first_due_date, due_date, extension_months, user_id,
            create_date, write_date)
        SELECT r.name, r.kind, r.channel, r.state, r.seq, %s, r.partner,
            r.received, (r.received + interval '1 month')::date,
            (r.received + interval '1 month')::date, 0,
            CASE WHEN r.seq < 3 THEN %s END, now(), now()
        FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::int[],
                    %s::int[], %s::date[])
            AS r(name, kind, channel, state, seq, partner, received)
        RETURNING id, state
        """,
        (
            env.company.id,
            officer.id,
            *[list(column) for column in zip(*rows, strict=True)],
        ),
    )
    open_ids = [rid for rid, state in cr.fetchall() if state in ("new", "progress")]
    todo = env.ref("mail.mail_activity_data_todo")
    cr.execute(
        """
        INSERT INTO mail_activity (res_model_id, res_model, res_id,
            activity_type_id, user_id, date_deadline, summary, create_date,
            write_date)
        SELECT %s, %s, id, %s, %s, now()::date, 'Tarkista henkilöllisyys',
            now(), now()
        FROM unnest(%s::int[]) AS r(id)
        """,
        (
            env["ir.model"]._get_id(REQUEST_MODEL),
            REQUEST_MODEL,
            todo.id,
            officer.id,
            open_ids[::10],
        ),
    )
    return len(partner_ids)


def generate(env, args):
    rnd = random.Random(args.seed)
    tag = str(time.time_ns())[-6:]
    big = make_customer(env, f"big{tag}", args.messages, rnd)
    small = make_customer(env, f"small{tag}", args.small, rnd)
    people = make_requests(env, args.requests, rnd)
    env["ir.config_parameter"].set_param("willsoft_privacy.request_auto_export", "1")
    officer = env.ref("base.user_admin")
    officer.write(
        {
            "password": PASSWORD,
            "groups_id": [(4, env.ref("willsoft_privacy.group_privacy_officer").id)],
        }
    )
    # The fields this addon (and its bridges) add to partners.
    privacy_fields = (
        env["ir.model.fields"]
        .search([("model", "=", "res.partner")])
        .filtered(lambda f: "willsoft_privacy" in (f.modules or ""))
    )
    env.cr.execute("ANALYZE")
    return {
        "big": big,
        "small": small,
        "officer": officer.login,
        "people": people,
        "privacy_fields": set(privacy_fields.mapped("name")),
    }


# The server and its log


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """An Odoo server of its own (threaded, no cron), and the figures its
    request log gives for each call."""

    def __init__(self, args):
        self.port = args.port or free_port()
        gevent_port = args.port + 1 if args.port else free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept open)
            prefix="benchmark_pages_", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                os.path.join(args.odoo, "odoo-bin"),
                addons_path(args),
                *db_options(),
                f"--database={args.db}",
                f"--db-filter=^{re.escape(args.db)}$",
                f"--http-port={self.port}",
                f"--gevent-port={gevent_port}",
                "--workers=0",
                "--max-cron-threads=0",
                "--log-level=warn",
                "--log-handler=werkzeug:INFO",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.read_at = 0
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if requests.get(f"{self.url}/web/health", timeout=30).ok:
                    return
            except requests.RequestException:
                time.sleep(0.5)
        raise RuntimeError(f"The server did not start: see {self.log.name}")

    def stop(self):
        self.process.terminate()
        self.process.wait(30)

    def figures(self, path):
        """(queries, server seconds) of the last logged call to ``path``."""
        deadline = time.time() + 10
        while time.time() < deadline:
            with open(self.log.name, encoding="utf-8", errors="replace") as log:
                log.seek(self.read_at)
                text = log.read()
            found = None
            for match in LOG_LINE.finditer(text):
                if match["path"].split("?")[0] == path:
                    found = match
            if found:
                self.read_at += found.end()
                queries = int(found["queries"])
                return queries, float(found["sql"]) + float(found["rest"])
            time.sleep(0.05)
        raise RuntimeError(f"No log line for {path}: see {self.log.name}")


class Client:
    """A browser session of one user."""

    def __init__(self, server, db, login):
        self.server = server
        self.session = requests.Session()
        self.call_id = 0
        response = self.session.post(
            f"{server.url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {"db": db, "login": login, "password": PASSWORD},
            },
            timeout=60,
        )
        response.raise_for_status()
        if response.json().get("error"):
            raise RuntimeError(f"{login} cannot log in: {response.json()['error']}")
        server.figures("/web/session/authenticate")

    def get(self, path):
        response = self.session.get(f"{self.server.url}{path}", timeout=300)
        response.raise_for_status()
        return response, self.server.figures(path)

    def post(self, path, data):
        response = self.session.post(
            f"{self.server.url}{path}", data=data, timeout=300, allow_redirects=False
        )
        if response.status_code >= 400:
            raise RuntimeError(f"POST {path}: {response.status_code}")
        return response, self.server.figures(path)

    def rpc(self, path, params):
        self.call_id += 1
        response = self.session.post(
            f"{self.server.url}{path}",
            json={"jsonrpc": "2.0", "id": self.call_id, "params": params},
            timeout=300,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            raise RuntimeError(f"{path}: {body['error']['data']['message']}")
        return body["result"], self.server.figures(path)

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", {"lang": "en_US", "tz": "Europe/Helsinki"})
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def measure(rounds, call):
    """Call ``call`` once to warm the caches, then ``rounds`` times: the
    median queries and server seconds of the measured calls (``call``
    returns them)."""
    call()
    figures = [call() for _round in range(rounds)]
    return (
        statistics.median(q for q, _s in figures),
        statistics.median(s for _q, s in figures),
    )


def line(label, queries, seconds, extra=""):
    print(f"  {label:<52} {queries:>6.0f} queries {seconds * 1000:>8.0f} ms{extra}")


# The web client's read of a view


def spec_of(node, fields_of, models, model):
    """The ``specification`` the web client sends for the fields of an arch
    node: many2ones with their name, x2manys with the fields of their
    sub-view (or their name), nested views not mixed with the outer one."""
    spec = {}
    for field in node.iter("field"):
        # Skip fields of nested views: their parent field reads them.
        parent = field.getparent()
        nested = False
        while parent is not None and parent is not node:
            if parent.tag == "field":
                nested = True
                break
            parent = parent.getparent()
        if nested:
            continue
        name = field.get("name")
        description = fields_of.get(name, {})
        kind = description.get("type")
        if kind == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif kind in ("one2many", "many2many"):
            sub = [child for child in field if child.tag in ("list", "kanban", "form")]
            comodel = description.get("relation")
            if sub and comodel in models:
                spec[name] = {
                    "fields": spec_of(
                        sub[0], models[comodel]["fields"], models, comodel
                    )
                    or {"display_name": {}},
                    "limit": 40,
                }
            else:
                spec[name] = {"fields": {"display_name": {}}}
        else:
            spec.setdefault(name, {})
    return spec


def view_spec(client, model, view_type, action_id=False):
    views, _figures = client.call(
        model, "get_views", [[False, view_type]], options={"action_id": action_id}
    )
    arch = etree.fromstring(views["views"][view_type]["arch"].encode())
    models = views["models"]
    return spec_of(arch, models[model]["fields"], models, model)


# The measurements


def my_privacy(server, db, data, rounds):
    print("My privacy (GET /my/privacy, the portal page)")
    results = {}
    for key, label in (("big", f"{data['messages']} messages"), ("small", "small")):
        client = Client(server, db, data[key]["login"])
        results[key] = measure(rounds, lambda c=client: c.get("/my/privacy")[1])
        results[f"{key}_home"] = measure(rounds, lambda c=client: c.get("/my")[1])
        line(f"My privacy, customer with {label}", *results[key])
        line(f"Odoo's /my, customer with {label}", *results[f"{key}_home"])
    big, small, home = results["big"], results["small"], results["big_home"]
    print(
        f"  Ratios: {big[0] / small[0]:.2f}x the queries and {big[1] / small[1]:.1f}x "
        f"the time of the small customer's page; {big[0] / home[0]:.1f}x the "
        f"queries and {big[1] / home[1]:.1f}x the time of Odoo's /my"
    )
    verdict = "within" if big[0] <= MY_PRIVACY_QUERIES else "OVER"
    print(f"  Budget: at most {MY_PRIVACY_QUERIES} queries: {verdict}")
    return results


def export_over_http(server, db, login, rounds):
    """A copy request filed in the portal and answered at once (the export
    made: JSON, CSV, PDF), as the person's click costs it; then the three
    downloads from the request's page. Returns the median (queries,
    seconds) of the click and the server seconds of the downloads."""
    client = Client(server, db, login)
    timings = []
    # The first one builds the report's style sheets: not measured.
    for _round in range(rounds + 1):
        page, _figures = client.get("/my/privacy")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        response, figures = client.post(
            "/my/privacy/request/new",
            {"csrf_token": token, "kind": "access", "description": "benchmark"},
        )
        timings.append(figures)
    timings = timings[1:]
    page, _figures = client.get(response.headers["Location"].split("?")[0])
    downloads = 0.0
    for fmt in ("json", "csv", "pdf"):
        link = re.search(rf'href="(/my/privacy/export/\d+/{fmt}/[^"]+)"', page.text)
        _file, (_q, seconds) = client.get(link[1])
        downloads += seconds
    return (
        statistics.median(q for q, _s in timings),
        statistics.median(s for _q, s in timings),
    ), downloads


def export_parts(odoo, registry, person_id):
    """The parts of one export, timed in this process (rolled back): the
    personal-data map's collection, the JSON, the CSV and the PDF."""
    import json  # noqa: PLC0415

    from odoo.addons.willsoft_privacy.models.willsoft_privacy_request import (  # noqa: PLC0415
        EXPORT_PDF_RECORDS,
    )

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        request = env[REQUEST_MODEL].create(
            {"kind": "access", "partner_id": person_id, "channel": "portal"}
        )
        env.flush_all()
        env.invalidate_all()
        parts = {}
        start = time.perf_counter()
        data = request._collect_export()
        parts["collect (personal-data map)"] = time.perf_counter() - start
        start = time.perf_counter()
        json.dumps({"categories": data}, ensure_ascii=False)
        parts["JSON"] = time.perf_counter() - start
        start = time.perf_counter()
        request._export_csv(data)
        parts["CSV"] = time.perf_counter() - start
        start = time.perf_counter()
        readable = env["willsoft.privacy.data.map"]._readable(
            data, limit=EXPORT_PDF_RECORDS
        )
        parts["readable copy (labels)"] = time.perf_counter() - start
        Processing = env["willsoft.privacy.processing"]
        start = time.perf_counter()
        pdf, _type = env["ir.actions.report"]._render_qweb_pdf(
            "willsoft_privacy.willsoft_privacy_request_export_report",
            request.ids,
            data={
                "export": {
                    "subject": {"name": request.partner_id.name},
                    "request": request.name,
                    "generated_at": "",
                    "information": Processing._art15_information(request.company_id),
                },
                "sections": readable,
                "information_labels": Processing._art15_labels(),
            },
        )
        parts["PDF"] = time.perf_counter() - start
        # The baseline: core's invoice (one posted invoice, one page), printed
        # the same way with the same layout and styles.
        invoice = env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("state", "=", "posted")], limit=1
        )
        start = time.perf_counter()
        invoice_pdf, _type = env["ir.actions.report"]._render_qweb_pdf(
            "account.account_invoices", invoice.ids
        )
        parts["baseline: core's invoice PDF (1 page)"] = time.perf_counter() - start
        records = sum(len(section["records"]) for section in data.values())
        cr.rollback()
    sizes = {"PDF": pdf_figures(pdf), "invoice": pdf_figures(invoice_pdf)}
    return parts, records, sizes


def pdf_figures(pdf):
    """(kB, pages) of a PDF."""
    from odoo.tools.pdf import PdfFileReader  # noqa: PLC0415

    return len(pdf) // 1024, len(PdfFileReader(io.BytesIO(pdf)).pages)


def export(server, db, data, odoo, registry, rounds):
    print("Export (a portal copy request answered at once: JSON, CSV and PDF)")
    results = {}
    for key in ("big", "small"):
        figures, downloads = export_over_http(
            server, db, data[key]["login"], max(1, rounds // 2)
        )
        results[key] = figures
        parts, records, sizes = export_parts(odoo, registry, data[key]["person"])
        line(
            f"POST /my/privacy/request/new, {key} customer",
            *figures,
            f"  ({records} records; the three downloads {downloads * 1000:.0f} ms)",
        )
        for part, seconds in parts.items():
            size = sizes["PDF"] if part == "PDF" else None
            if part.startswith("baseline"):
                size = sizes["invoice"]
            extra = f"  {size[0]} kB, {size[1]} pages" if size else ""
            print(f"      {part:<48} {seconds * 1000:>8.0f} ms{extra}")
        print(f"      load average {os.getloadavg()[0]:.1f}")
    big, small = results["big"], results["small"]
    print(
        f"  Ratios: {big[1] / small[1]:.1f}x the time and {big[0] / small[0]:.2f}x "
        f"the queries of the small customer's export"
    )
    verdict = "within" if big[1] < EXPORT_SECONDS else "OVER"
    print(f"  Budget: under {EXPORT_SECONDS:.0f} s: {verdict}")
    return results


def desk(server, db, data, rounds):
    print(f"Request desk ({data['requests']} requests), as the web client opens it")
    client = Client(server, db, data["officer"])
    action_id = None

    def open_desk():
        nonlocal action_id
        total_q, total_s = 0, 0.0
        action, (q, s) = client.rpc(
            "/web/action/load",
            {"action_id": "willsoft_privacy.willsoft_privacy_request_action_desk"},
        )
        total_q, total_s = total_q + q, total_s + s
        action_id = action["id"]
        views, (q, s) = client.call(
            REQUEST_MODEL,
            "get_views",
            [[False, "kanban"], [False, "list"], [False, "form"], [False, "search"]],
            options={"action_id": action_id, "load_filters": True, "toolbar": True},
        )
        total_q, total_s = total_q + q, total_s + s
        arch = etree.fromstring(views["views"]["kanban"]["arch"].encode())
        models = views["models"]
        spec = spec_of(arch, models[REQUEST_MODEL]["fields"], models, REQUEST_MODEL)
        domain = [["state", "in", ["new", "identity", "progress"]]]
        groups, (q, s) = client.call(
            REQUEST_MODEL,
            "web_read_group",
            domain,
            ["deadline_status"],
            ["state"],
            lazy=True,
            limit=80,
        )
        total_q, total_s = total_q + q, total_s + s
        for group in groups["groups"]:
            _records, (q, s) = client.call(
                REQUEST_MODEL,
                "web_search_read",
                group["__domain"],
                spec,
                limit=40,
                count_limit=10001,
            )
            total_q, total_s = total_q + q, total_s + s
        return total_q, total_s

    def list_all(model, spec, domain=()):
        def call():
            _records, figures = client.call(
                model,
                "web_search_read",
                list(domain),
                spec,
                limit=80,
                count_limit=10001,
            )
            return figures

        return call

    results = {"open": measure(rounds, open_desk)}
    line("Open the desk (action, views, kanban groups and cards)", *results["open"])
    list_spec = view_spec(client, REQUEST_MODEL, "list", action_id)
    results["list"] = measure(rounds, list_all(REQUEST_MODEL, list_spec))
    line(f"List of all {data['requests']} requests (80 a page)", *results["list"])

    def grouped():
        _groups, figures = client.call(
            REQUEST_MODEL, "web_read_group", [], [], ["kind"], lazy=True, limit=80
        )
        return figures

    results["grouped"] = measure(rounds, grouped)
    line("The same grouped by kind (web_read_group)", *results["grouped"])
    partner_spec = view_spec(client, "res.partner", "list")
    domain = [["id", "in", data["desk_partner_ids"]]]
    results["contacts"] = measure(rounds, list_all("res.partner", partner_spec, domain))
    line(
        f"Baseline: core's Contacts list of {len(data['desk_partner_ids'])} partners",
        *results["contacts"],
    )
    base = results["contacts"]
    print(
        f"  Ratios: opening the desk {results['open'][1] / base[1]:.1f}x the time of "
        f"core's Contacts list; the requests' list {results['list'][1] / base[1]:.1f}x"
    )
    slowest = max(results["open"][1], results["list"][1], results["grouped"][1])
    verdict = "within" if slowest < DESK_SECONDS else "OVER"
    print(f"  Budget: under {DESK_SECONDS:.0f} s of server time: {verdict}")
    return results


def partner_form(server, db, data, rounds):
    print("Partner form (web_read with the form view's fields)")
    client = Client(server, db, data["officer"])
    spec = view_spec(client, "res.partner", "form")
    plain = {k: v for k, v in spec.items() if k not in data["privacy_fields"]}
    added = sorted(set(spec) - set(plain))
    results = {}
    for key in ("company", "person"):
        record_id = data["big"][key]
        for label, fields_spec in (("with", spec), ("without", plain)):
            results[key, label] = measure(
                rounds,
                lambda s=fields_spec, r=record_id: client.call(
                    "res.partner", "web_read", [r], s
                )[1],
            )
            line(
                f"{key}: the form's fields {label} the Privacy tab's",
                *results[key, label],
            )
    print(f"  The Privacy tab's fields ({len(added)}): {', '.join(added)}")
    worst = 0
    for key in ("company", "person"):
        with_tab, without = results[key, "with"], results[key, "without"]
        worst = max(worst, with_tab[0] - without[0])
        print(
            f"  {key}: the tab adds {with_tab[0] - without[0]:.0f} queries and "
            f"{(with_tab[1] - without[1]) * 1000:.0f} ms "
            f"({with_tab[1] / without[1]:.2f}x the plain partner's read)"
        )
    verdict = "within" if worst <= PRIVACY_TAB_QUERIES else "OVER"
    print(f"  Budget: at most {PRIVACY_TAB_QUERIES} queries more: {verdict}")
    return results


def main():
    sys.stdout.reconfigure(line_buffering=True)
    args = parse_args()
    odoo, registry = start_odoo(args)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        start = time.perf_counter()
        data = generate(env, args)
        cr.commit()
        data["big"] = {
            "login": data["big"]["login"],
            "person": data["big"]["person"].id,
            "company": data["big"]["company"].id,
        }
        data["small"] = {
            "login": data["small"]["login"],
            "person": data["small"]["person"].id,
            "company": data["small"]["company"].id,
        }
        cr.execute(
            "SELECT id FROM res_partner WHERE email LIKE 'desk%%@example.fi' "
            "ORDER BY id DESC LIMIT %s",
            (data["people"],),
        )
        data["desk_partner_ids"] = [row[0] for row in cr.fetchall()]
        cr.execute(f"SELECT count(*) FROM {REQUEST_MODEL.replace('.', '_')}")
        data["requests"] = cr.fetchone()[0]
        data["messages"] = args.messages
        print(
            f"Generated {args.messages} + {args.small} messages and "
            f"{args.requests} requests in {time.perf_counter() - start:.1f} s"
        )
    server = Server(args)
    with registry.cursor() as cr:
        # wkhtmltopdf fetches the report's styles from this server.
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param("report.url", server.url)
    try:
        print(f"Server on port {server.port}, log {server.log.name}")
        version = subprocess.run(
            ["wkhtmltopdf", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        print(f"{version}; load average {os.getloadavg()[0]:.1f}")
        my_privacy(server, args.db, data, args.rounds)
        export(server, args.db, data, odoo, registry, args.rounds)
        desk(server, args.db, data, args.rounds)
        partner_form(server, args.db, data, args.rounds)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
