# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models
from odoo.tools import email_normalize
from odoo.tools.misc import hmac

HMAC_SCOPE = "willsoft_privacy.suppression"


class WillsoftPrivacySuppression(models.Model):
    """Erased email addresses and phone numbers, as keyed hashes only.

    The key is the database secret: the list cannot be reversed by guessing
    addresses without it, and it lets an import or a sign-up that brings an
    erased person back be noticed and kept out of marketing.
    """

    _name = "willsoft.privacy.suppression"
    _description = "Erased contact details (hashed)"
    _order = "id desc"
    _rec_name = "kind"

    digest = fields.Char(string="Keyed hash", required=True, readonly=True, index=True)
    kind = fields.Selection(
        [("email", "Email"), ("phone", "Phone")],
        required=True,
        readonly=True,
    )

    _sql_constraints = [
        ("digest_uniq", "unique(digest)", "This contact detail is already suppressed.")
    ]

    @api.model
    def _privacy_normalize(self, value):
        """(kind, normalised value) of an email address or phone number."""
        value = (value or "").strip()
        email = email_normalize(value)
        if email:
            return "email", email
        digits = re.sub(r"[^\d+]", "", value)
        if len(digits.lstrip("+")) >= 6 and not re.search(r"[A-Za-z]", value):
            # Finnish numbers: 040 123 4567 and +358 40 123 4567 are one.
            if digits.startswith("0"):
                digits = "+358" + digits[1:]
            return "phone", digits
        return None, None

    @api.model
    def _privacy_digest(self, value):
        return hmac(self.env(su=True), HMAC_SCOPE, value)

    @api.model
    def _privacy_suppress(self, values):
        """Add the email addresses and phone numbers among ``values``."""
        vals_by_digest = {}
        for value in values:
            kind, normalized = self._privacy_normalize(value)
            if kind:
                digest = self._privacy_digest(normalized)
                vals_by_digest[digest] = {"digest": digest, "kind": kind}
        if not vals_by_digest:
            return self.browse()
        known = self.sudo().search([("digest", "in", list(vals_by_digest))])
        for digest in known.mapped("digest"):
            vals_by_digest.pop(digest)
        return self.sudo().create(list(vals_by_digest.values()))

    @api.model
    def _privacy_is_suppressed(self, values):
        """The values among ``values`` whose hash is on the list."""
        digest_by_value = {}
        for value in values:
            kind, normalized = self._privacy_normalize(value)
            if kind:
                digest_by_value[value] = self._privacy_digest(normalized)
        if not digest_by_value:
            return set()
        known = set(
            self.sudo()
            .search([("digest", "in", list(digest_by_value.values()))])
            .mapped("digest")
        )
        return {value for value, digest in digest_by_value.items() if digest in known}
