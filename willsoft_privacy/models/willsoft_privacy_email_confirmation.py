# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq, email_normalize
from odoo.tools.misc import hmac as hmac_tool

CODE_SCOPE = "willsoft_privacy.email.confirmation"
# The letter says 30 minutes.
CODE_VALID_MINUTES = 30
MAX_ATTEMPTS = 5
# Codes sent per hour and person.
LIMIT_PER_PARTNER = 3


class WillsoftPrivacyEmailConfirmation(models.Model):
    """A code sent to the address a person set on their own account: the
    address becomes their proven one only when they type the code."""

    _name = "willsoft.privacy.email.confirmation"
    _description = "Email address confirmation"
    _order = "id desc"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade"
    )
    email = fields.Char(string="Address to confirm", required=True)
    code_hash = fields.Char(required=True)
    attempts = fields.Integer(default=0)
    expiry = fields.Datetime(string="Valid until", required=True)
    done = fields.Boolean(string="Confirmed")

    @api.model
    def _code_hash(self, code, partner_id, email):
        return hmac_tool(self.env(su=True), CODE_SCOPE, (partner_id, email, code))

    @api.model
    def _send(self, partner):
        """Send a code to the partner's current, unproven address."""
        partner = partner.sudo()
        email = email_normalize(partner.email or "")
        if not email or email == partner.privacy_email_proven:
            raise UserError(self.env._("Your email address is already confirmed."))
        since = fields.Datetime.now() - timedelta(hours=1)
        if (
            self.sudo().search_count(
                [("partner_id", "=", partner.id), ("create_date", ">=", since)]
            )
            >= LIMIT_PER_PARTNER
        ):
            raise UserError(
                self.env._("Too many codes sent. Please try again in an hour.")
            )
        code = f"{secrets.randbelow(1000000):06d}"
        pending = self.sudo().create(
            {
                "partner_id": partner.id,
                "email": email,
                "code_hash": self._code_hash(code, partner.id, email),
                "expiry": fields.Datetime.now() + timedelta(minutes=CODE_VALID_MINUTES),
            }
        )
        lang = partner.lang or self.env.lang
        env = self.with_context(lang=lang).env
        company = partner.company_id or self.env.company
        body = env["ir.qweb"]._render(
            "willsoft_privacy.email_confirmation_mail",
            {"partner": partner, "code": code},
        )
        # Sent to the new address only, never to the partner (whose address
        # may change again before the queue runs); the code is not stored.
        self.env["mail.mail"].sudo().create(
            {
                "subject": env._("Your confirmation code: %(code)s", code=code),
                "body_html": body,
                "email_from": company.email_formatted or company.privacy_helpdesk_email,
                "email_to": email,
                "auto_delete": True,
            }
        )
        return pending

    @api.model
    def _confirm(self, partner, code):
        """Make the partner's current address proven when ``code`` is the
        last one sent to it."""
        partner = partner.sudo()
        email = email_normalize(partner.email or "")
        pending = self.sudo().search(
            [("partner_id", "=", partner.id), ("done", "=", False)], limit=1
        )
        if (
            not pending
            or pending.email != email
            or pending.expiry < fields.Datetime.now()
            or pending.attempts >= MAX_ATTEMPTS
        ):
            raise UserError(
                self.env._("This code has expired. Ask for a new one and try again.")
            )
        code = code if isinstance(code, str) else ""
        expected = self._code_hash(code.strip()[:20], partner.id, email)
        if not consteq(pending.code_hash, expected):
            pending.attempts += 1
            raise UserError(
                self.env._("The code is not right. Check the email and try again.")
            )
        pending.done = True
        partner._privacy_email_prove(email, "code")
        return True

    @api.autovacuum
    def _gc_expired(self):
        self.sudo().search(
            [("create_date", "<", fields.Datetime.now() - timedelta(days=2))]
        ).unlink()
