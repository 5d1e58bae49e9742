# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The pages people use cost the same whatever the data behind them (issue
14): My privacy, its export, the request desk and the partner form's Privacy
tab. Each test measures the same page over little and much data, as
``scripts/benchmark_pages.py`` does over real HTTP at 10,000 records."""

import logging

from lxml import etree

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import PrivacyCommon

_logger = logging.getLogger(__name__)

# My privacy renders in at most this many queries, and the
# partner form's Privacy tab adds at most this many.
MY_PRIVACY_QUERIES = 25
PRIVACY_TAB_QUERIES = 5
# Odoo's own /my page, measured by scripts/benchmark_pages.py with this
# addon alone: what a website (and the test's own cursor) adds to it, it adds
# to My privacy too.
HOME_QUERIES = 25
# The kinds of this addon that My privacy counts through their find, within
# its budget; a bridge's kind without a domain may add this many queries.
OWN_FIND_KINDS = {"queued_mails"}
BRIDGE_FIND_QUERIES = 2


def form_spec(env, model, view_type):
    """The fields of a view as the web client asks for them: many2ones
    with their name, x2manys with the fields of their sub-view."""
    views = env[model].get_views([(False, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"].encode())
    fields = views["models"][model]["fields"]
    spec = {}
    for node in arch.iter("field"):
        parent, nested = node.getparent(), False
        while parent is not None:
            nested = nested or parent.tag == "field"
            parent = parent.getparent()
        if nested:
            continue
        name = node.get("name")
        kind = fields.get(name, {}).get("type")
        if kind in ("many2one", "one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


@tagged("post_install", "-at_install")
class TestQueryBudgets(PrivacyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.few = cls.make_portal_customer("few", 3)
        cls.many = cls.make_portal_customer("many", 300)

    @classmethod
    def make_portal_customer(cls, tag, messages):
        """A contact person with a portal login, ``messages`` messages about,
        by and to them (a tenth tracked changes), a file on a third of them,
        and as many requests as a tenth of the messages."""
        company, person = cls.make_customer(f"Lapuan Kone {tag} Oy")
        person.write({"email": f"aino.{tag}@example.fi", "phone": f"+358 40 {tag}"})
        user = new_test_user(
            cls.env,
            login=f"budget_{tag}",
            password=f"budget_{tag}_pw",
            groups="base.group_portal",
            partner_id=person.id,
        )
        phone = cls.env["ir.model.fields"]._get("res.partner", "phone")
        values = []
        for i in range(messages):
            kind = i % 4
            values.append(
                {
                    "model": "res.partner",
                    "res_id": company.id if kind == 2 else person.id,
                    "message_type": "email" if kind == 1 else "comment",
                    "author_id": person.id if kind == 1 else cls.env.user.partner_id.id,
                    "body": f"<p>Viesti {i}</p>",
                    "partner_ids": [Command.link(person.id)] if kind == 2 else [],
                    "attachment_ids": [
                        Command.create(
                            {
                                "name": f"liite{i}.txt",
                                "raw": b"x",
                                "mimetype": "text/plain",
                            }
                        )
                    ]
                    if i % 3 == 0
                    else [],
                    "tracking_value_ids": [
                        Command.create(
                            {
                                "field_id": phone.id,
                                "old_value_char": f"+358 40 {i}",
                                "new_value_char": person.phone,
                            }
                        )
                    ]
                    if i % 10 == 0
                    else [],
                }
            )
        cls.env["mail.message"].create(values)
        cls.env["willsoft.privacy.request"].create(
            [
                {"partner_id": person.id, "kind": "access", "channel": "portal"}
                for _i in range(max(1, messages // 10))
            ]
        )
        return {"user": user, "person": person, "company": company}

    def queries(self, call):
        """Queries of ``call`` once the caches are warm (it is called twice
        before)."""
        call()
        call()
        self.env.flush_all()
        before = self.cr.sql_log_count
        call()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def page_queries(self, customer, url="/my/privacy"):
        self.authenticate(customer["user"].login, f"{customer['user'].login}_pw")

        def call():
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            return response

        count = self.queries(call)
        if url == "/my/privacy":
            self.assertIn("Messages and notes", call().text)
        return count

    def test_my_privacy_costs_the_same_for_3_or_300_messages(self):
        few, many = self.page_queries(self.few), self.page_queries(self.many)
        home = self.page_queries(self.many, "/my")
        _logger.info(
            "My privacy: %s queries (3 messages), %s (300); /my %s", few, many, home
        )
        self.assertEqual(few, many, "My privacy's queries grow with the messages")
        data_map = self.env["willsoft.privacy.data.map"]
        found_by_find = {
            handler["kind"]
            for handler in data_map._handlers()
            if handler.get("category", "contacts") in ("contacts", "website")
            and handler["kind"] != "partner"
            and not hasattr(data_map, f"_domain_{handler['kind']}")
        }
        bridges = len(found_by_find - OWN_FIND_KINDS) * BRIDGE_FIND_QUERIES
        self.assertLessEqual(many, MY_PRIVACY_QUERIES + home - HOME_QUERIES + bridges)

    def test_my_privacy_counts_what_the_export_finds(self):
        """The page's cards count in one query what the export lists."""
        data_map = self.env["willsoft.privacy.data.map"]
        for customer in (self.few, self.many):
            person = customer["person"]
            counts = data_map._portal_counts(person)
            plan = data_map._plan(person)
            self.assertEqual(
                counts, {kind: len(plan["found"][kind]) for kind in counts}
            )
        # The 300 messages: about the person, by them, and to them on their
        # company's record.
        self.assertGreaterEqual(
            data_map._portal_counts(self.many["person"])["messages"], 300
        )

    def test_export_costs_the_same_for_3_or_300_messages(self):
        counts = {}
        for key, customer in (("few", self.few), ("many", self.many)):
            request = self.env["willsoft.privacy.request"].create(
                {"partner_id": customer["person"].id, "kind": "access"}
            )
            counts[key] = self.queries(request._collect_export)
        self.assertEqual(counts["few"], counts["many"])

    def test_readable_copy_points_to_the_files_for_the_rest(self):
        request = self.env["willsoft.privacy.request"].create(
            {"partner_id": self.many["person"].id, "kind": "access"}
        )
        data = request._collect_export()
        readable = self.env["willsoft.privacy.data.map"]._readable(data, limit=50)
        messages = next(s for s in readable if s["kind"] == "messages")
        total = len(data["messages"]["records"])
        self.assertGreaterEqual(total, 300)
        self.assertEqual(len(messages["records"]), 50)
        self.assertEqual(
            messages["more"],
            f"This copy shows 50 of the {total} records; the JSON and CSV files "
            "of this export hold all of them.",
        )
        # A kind with fewer records than the limit is printed whole.
        requests = next(s for s in readable if s["kind"] == "requests")
        self.assertEqual(len(requests["records"]), len(data["requests"]["records"]))
        self.assertFalse(requests["more"])

    def desk_queries(self, partner):
        Request = self.env["willsoft.privacy.request"].with_user(self.officer)
        spec = form_spec(Request.env, Request._name, "list")
        spec.update(form_spec(Request.env, Request._name, "kanban"))
        domain = [("partner_id", "=", partner.id)]

        def call():
            Request.env.invalidate_all()
            Request.web_read_group(domain, [], ["state"])
            return Request.web_search_read(domain, spec, limit=80, count_limit=10001)

        count = self.queries(call)
        self.assertEqual(len(call()["records"]), Request.search_count(domain))
        return count

    def test_desk_costs_the_same_for_1_or_30_requests(self):
        Request = self.env["willsoft.privacy.request"]
        few = Request.search([("partner_id", "=", self.few["person"].id)])
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id(Request._name),
                    "res_id": request.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "user_id": self.officer.id,
                }
                for request in Request.search(
                    [
                        (
                            "partner_id",
                            "in",
                            (self.few["person"] | self.many["person"]).ids,
                        )
                    ]
                )
                if request.id % 3 == 0 or request in few
            ]
        )
        self.assertEqual(
            self.desk_queries(self.few["person"]),
            self.desk_queries(self.many["person"]),
        )

    def tab_queries(self, partner, with_tab=True):
        Partner = self.env["res.partner"].with_user(self.officer)
        spec = form_spec(Partner.env, "res.partner", "form")
        if not with_tab:
            ours = {
                name
                for name in spec
                if "willsoft_privacy"
                in (self.env["ir.model.fields"]._get("res.partner", name).modules or "")
            }
            spec = {name: value for name, value in spec.items() if name not in ours}

        def call():
            Partner.env.invalidate_all()
            return Partner.browse(partner.id).web_read(spec)

        return self.queries(call)

    def test_privacy_tab_adds_few_queries_whatever_the_invoices(self):
        few_company, many_company = self.few["company"], self.many["company"]
        self.post_invoice(few_company, "2026-01-15")
        for day in range(1, 9):
            self.post_invoice(many_company, f"2025-0{day}-15")
        with_tab = self.tab_queries(many_company)
        without = self.tab_queries(many_company, with_tab=False)
        _logger.info(
            "Partner form: %s queries, %s without the Privacy tab", with_tab, without
        )
        self.assertLessEqual(with_tab - without, PRIVACY_TAB_QUERIES)
        self.assertEqual(self.tab_queries(few_company), with_tab)
        self.assertEqual(many_company.privacy_retained_move_count, 8)
