# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq, email_normalize
from odoo.tools.misc import hmac as hmac_tool

from .willsoft_privacy_request import KINDS

CODE_SCOPE = "willsoft_privacy.request.verification"
CODE_VALID_MINUTES = 30
MAX_ATTEMPTS = 5
# Codes sent per hour, per address and per IP address.
LIMIT_PER_EMAIL = 3
LIMIT_PER_IP = 10


class WillsoftPrivacyRequestVerification(models.Model):
    """A request from the public form, waiting until the person types the
    code sent to their email. Only then does it become a request."""

    _name = "willsoft.privacy.request.verification"
    _description = "Data-subject request awaiting email confirmation"
    _order = "id desc"

    name = fields.Char(string="Name given", required=True)
    email = fields.Char(string="Email given", required=True, index=True)
    kind = fields.Selection(KINDS, string="Request", required=True)
    description = fields.Text(string="What the person asks")
    lang = fields.Char(string="Language")
    ip_address = fields.Char(string="IP address", index=True)
    code_hash = fields.Char(required=True)
    attempts = fields.Integer(default=0)
    expiry = fields.Datetime(string="Valid until", required=True)
    request_id = fields.Many2one(
        "willsoft.privacy.request", string="Request made", readonly=True
    )
    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        default=lambda self: self.env.company,
        help="The company of the website the form was sent on.",
    )
    notice_id = fields.Many2one(
        "willsoft.privacy.notice",
        string="Privacy notice version",
        help="The version the form showed; the request records it.",
    )

    @api.model
    def _code_hash(self, code, email):
        return hmac_tool(self.env(su=True), CODE_SCOPE, (email, code))

    @api.model
    def _start(self, values, ip_address):
        """Check the form, apply the rate limits and send a code by email.
        Returns the pending record."""
        email = email_normalize(values.get("email") or "")
        name = (values.get("name") or "").strip()[:200]
        kind = values.get("kind")
        if not name or not email:
            raise UserError(self.env._("Give your name and a valid email address."))
        if kind not in dict(KINDS):
            raise UserError(self.env._("Choose what you ask for."))
        since = fields.Datetime.now() - timedelta(hours=1)
        recent = self.sudo().with_context(active_test=False)
        if (
            recent.search_count([("email", "=", email), ("create_date", ">=", since)])
            >= LIMIT_PER_EMAIL
            or recent.search_count(
                [("ip_address", "=", ip_address), ("create_date", ">=", since)]
            )
            >= LIMIT_PER_IP
        ):
            raise UserError(
                self.env._("Too many requests. Please try again in an hour.")
            )
        code = f"{secrets.randbelow(1000000):06d}"
        pending = self.sudo().create(
            {
                "name": name,
                "email": email,
                "kind": kind,
                "description": (values.get("description") or "").strip()[:5000],
                "lang": self.env.lang,
                "notice_id": self.env["willsoft.privacy.notice"]
                ._shown(self.env.company, values.get("notice_id"))
                .id,
                "ip_address": ip_address,
                "code_hash": self._code_hash(code, email),
                "expiry": fields.Datetime.now() + timedelta(minutes=CODE_VALID_MINUTES),
            }
        )
        template = self.env.ref("willsoft_privacy.mail_template_request_verification")
        # The code goes into the letter but never into the database.
        template.sudo().with_context(privacy_code=code).send_mail(
            pending.id,
            force_send=True,
            email_values={"auto_delete": True},
            email_layout_xmlid="mail.mail_notification_light",
        )
        return pending

    def _confirm(self, code):
        """Create the request when ``code`` is right; return it."""
        self.ensure_one()
        pending = self.sudo()
        if pending.request_id:
            return pending.request_id
        if pending.expiry < fields.Datetime.now() or pending.attempts >= MAX_ATTEMPTS:
            raise UserError(
                self.env._("This code has expired. Please send the form again.")
            )
        expected = pending.code_hash
        if not consteq(expected, self._code_hash((code or "").strip(), pending.email)):
            pending.attempts += 1
            raise UserError(
                self.env._("The code is not right. Check the email and try again.")
            )
        # The code proves the address; the request is the contact's only if
        # that contact proved the same address (not merely typed it).
        partner = (
            self.env["res.partner"]
            .sudo()
            .search([("privacy_email_proven", "=", pending.email)])
        )
        vals = {
            "company_id": pending.company_id.id or self.env.company.id,
            "kind": pending.kind,
            "channel": "web",
            "description": pending.description,
            "notice_id": pending.notice_id.id,
        }
        if len(partner) == 1:
            vals["partner_id"] = partner.id
        else:
            vals.update(
                {"requester_name": pending.name, "requester_email": pending.email}
            )
        pending.request_id = self.env["willsoft.privacy.request"].sudo().create(vals)
        return pending.request_id

    @api.autovacuum
    def _gc_expired(self):
        self.sudo().search(
            [("create_date", "<", fields.Datetime.now() - timedelta(days=2))]
        ).unlink()
