# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class WillsoftPrivacyDemo(models.AbstractModel):
    """The demo database's privacy work, in every state: loaded by
    demo/willsoft_privacy_demo.xml only when a database is created with demo
    data. It goes through the same methods as real work, so that every
    record, mail and log line is one the product itself would make."""

    _name = "willsoft.privacy.demo"
    _description = "Privacy demo data"

    @api.model
    def _load_demo(self):
        today = fields.Date.context_today(self)
        self._demo_invoices(today)
        self._demo_consents()
        self._demo_requests(today)
        self._demo_notice_draft()
        self._demo_retention_run()
        # The demo keeps something for the dry run to show: the first daily
        # run comes tomorrow night, not when the server starts.
        cron = self.env.ref("willsoft_privacy.ir_cron_privacy_retention")
        cron.nextcall = fields.Datetime.to_datetime(today + relativedelta(days=1))
        return True

    def _demo_ref(self, name):
        return self.env.ref(f"willsoft_privacy.{name}")

    def _demo_invoices(self, today):
        """Customers with invoices across fiscal years: one of five years, and
        ended ones whose vouchers accounting keeps. Created here, without an
        XML id: posted invoices keep their partners, also on uninstall."""
        Partner = self.env["res.partner"]
        finland = self.env.ref("base.fi")

        def customer(name, city, contact, email, phone, **vals):
            company = Partner.create(
                {
                    "name": name,
                    "is_company": True,
                    "city": city,
                    "country_id": finland.id,
                    "privacy_category": "customer",
                    **vals,
                }
            )
            Partner.create(
                {
                    "name": contact,
                    "parent_id": company.id,
                    "email": email,
                    "phone": phone,
                    "privacy_source": "self",
                }
            )
            return company

        def months_ago(months):
            return today - relativedelta(months=months)

        plan = [
            (
                customer(
                    "Alajärven Metalli Oy",
                    "Alajärvi",
                    "Pekka Hautala",
                    "pekka.hautala@alajarvenmetalli.example",
                    "040 987 6543",
                    privacy_relationship_start=months_ago(60),
                ),
                [(36, 1200.0), (24, 1350.0), (12, 1480.0), (1, 1520.0)],
            ),
            (
                # Ended ten months ago: the demo's run restricts it.
                customer(
                    "Kuortaneen Kahvila Oy",
                    "Kuortane",
                    "Eeva Kallio",
                    "eeva.kallio@kuortaneenkahvila.example",
                    "00358 40 555 1212",
                    privacy_relationship_start=months_ago(48),
                    privacy_relationship_end=months_ago(10),
                    privacy_end_reason="The café was sold",
                ),
                [(40, 310.0), (28, 330.0), (16, 350.0)],
            ),
            (
                # Ended five months ago: the dry run shows its restriction.
                customer(
                    "Vaasan Valo Oy",
                    "Vaasa",
                    "Marja Koski",
                    "marja.koski@vaasanvalo.example",
                    "+358 (0)6 312 4500",
                    privacy_relationship_start=months_ago(40),
                    privacy_relationship_end=months_ago(5),
                    privacy_end_reason="Moved to another supplier",
                ),
                [(26, 980.0), (14, 990.0), (6, 640.0)],
            ),
        ]
        Move = self.env["account.move"]
        company = self.env.ref("base.main_company")
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        if not journal:
            return Move
        moves = Move
        for partner, invoices in plan:
            for months, amount in invoices:
                moves |= Move.create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "journal_id": journal.id,
                        "invoice_date": months_ago(months),
                        "invoice_line_ids": [
                            fields.Command.create(
                                {
                                    "name": "Willsoft support and licences",
                                    "quantity": 1,
                                    "price_unit": amount,
                                    "tax_ids": [fields.Command.clear()],
                                }
                            )
                        ],
                    }
                )
        moves.action_post()
        return moves

    def _demo_consents(self):
        """Consents with their proof: a double opt-in confirmed from its link,
        one given on the phone, one given and then withdrawn."""
        Consent = self.env["willsoft.privacy.consent"]
        marketing = self._demo_ref("processing_marketing")
        aino = self._demo_ref("partner_aino_virtanen_demo")
        Consent._request_email_consent(
            aino,
            marketing,
            "portal",
            ip_address="192.0.2.41",
            user_agent="Mozilla/5.0 (Windows NT 10.0) Firefox/133.0",
        )
        params = Consent._link_params(
            "confirm", aino, marketing, expiry=Consent._confirm_expiry()
        )
        Consent._confirm_from_link(
            params,
            ip_address="192.0.2.41",
            user_agent="Mozilla/5.0 (Windows NT 10.0) Firefox/133.0",
        )
        kalle = self._demo_ref("partner_kalle_makinen_demo")
        Consent._record_event(
            kalle,
            marketing,
            "email",
            "given",
            "phone",
            note="Asked on the phone after the Seinäjoki fair; read the consent "
            "text out to him.",
        )
        sanna = self._demo_ref("partner_sanna_laine_demo")
        Consent._record_event(
            sanna,
            marketing,
            "email",
            "given",
            "public_form",
            ip_address="198.51.100.23",
            user_agent="Mozilla/5.0 (iPhone) Safari/604.1",
        )
        Consent._record_event(
            sanna,
            marketing,
            "email",
            "withdrawn",
            "email_link",
            ip_address="198.51.100.23",
            user_agent="Mozilla/5.0 (iPhone) Safari/604.1",
        )

    def _demo_requests(self, today):
        """Requests in each state and kind: one overdue, one extended."""
        Request = self.env["willsoft.privacy.request"]
        officer = self._demo_ref("user_privacy_officer_demo")
        aino = self._demo_ref("partner_aino_virtanen_demo")
        mikko = self._demo_ref("partner_mikko_korhonen_demo")
        liisa = self._demo_ref("partner_liisa_nieminen_demo")
        kalle = self._demo_ref("partner_kalle_makinen_demo")
        sanna = self._demo_ref("partner_sanna_laine_demo")

        def days_ago(days):
            return today - relativedelta(days=days)

        Request.create(
            [
                {
                    "kind": "access",
                    "channel": "web",
                    "requester_name": "Jussi Salo",
                    "requester_email": "jussi.salo@example.net",
                    "description": "What data do you have about me?",
                    "received_date": days_ago(2),
                },
                {
                    "kind": "rectification",
                    "channel": "email",
                    "partner_id": mikko.id,
                    "state": "identity",
                    "description": "My phone number has changed.",
                    "rect_phone": "+358 50 765 4321",
                    "received_date": days_ago(6),
                },
                {
                    # Overdue: received five weeks ago and still in progress.
                    "kind": "erasure",
                    "channel": "letter",
                    "partner_id": liisa.id,
                    "state": "progress",
                    "user_id": officer.id,
                    "description": "Please delete my details; I left the company.",
                    "received_date": days_ago(36),
                },
                {
                    "kind": "portability",
                    "channel": "portal",
                    "partner_id": aino.id,
                    "state": "progress",
                    "user_id": officer.id,
                    "description": "All my data as a file, including ten years "
                    "of support correspondence.",
                    "received_date": days_ago(20),
                    "extension_months": 1,
                    "extension_reason": "The request covers ten years of support "
                    "correspondence that must be checked for other people's data.",
                },
                {
                    "kind": "restriction",
                    "channel": "phone",
                    "partner_id": kalle.id,
                    "state": "progress",
                    "user_id": officer.id,
                    "description": "Do not use my data until my complaint is settled.",
                    "received_date": days_ago(4),
                },
                {
                    "kind": "objection",
                    "channel": "email",
                    "partner_id": sanna.id,
                    "state": "done",
                    "user_id": officer.id,
                    "description": "No more newsletters, please.",
                    "received_date": days_ago(50),
                    "outcome": "Marketing stopped; the address is on the "
                    "do-not-contact list.",
                },
                {
                    "kind": "consent",
                    "channel": "portal",
                    "partner_id": aino.id,
                    "state": "done",
                    "user_id": officer.id,
                    "description": "Withdraw my consent to event invitations.",
                    "received_date": days_ago(70),
                    "outcome": "Consent withdrawn; no invitations are sent.",
                },
                {
                    "kind": "access",
                    "channel": "email",
                    "requester_name": "A. Virtanen",
                    "requester_email": "a.virtanen@example.com",
                    "state": "refused",
                    "user_id": officer.id,
                    "description": "Send me everything about Aino Virtanen.",
                    "received_date": days_ago(40),
                    "refusal_reason": "We could not confirm that the request "
                    "came from the person: the address is not one we have for "
                    "her.",
                },
            ]
        )

    def _demo_notice_draft(self):
        """The 2018 notice is published; a new version waits as a draft."""
        company = self.env.ref("base.main_company")
        notice = self.env["willsoft.privacy.notice"].create({"company_id": company.id})
        notice._generate_sections()
        return notice

    def _demo_retention_run(self):
        """A run that restricted one ended customer (its vouchers are kept)
        and anonymised another (none kept), with its check."""
        Retention = self.env["willsoft.privacy.retention"]
        self.env["willsoft.privacy.audit.log"]._log(
            "run", message=self.env._("Scheduled retention run started.")
        )
        due = self.env["res.partner"].search(
            [("name", "=", "Kuortaneen Kahvila Oy"), ("is_company", "=", True)]
        ) | self._demo_ref("partner_lehtimaen_lelu_demo")
        Retention._process(due, "stage1")
