# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models
from odoo.tools.misc import hmac

from .insert_rows import insert_rows
from .willsoft_privacy_erasure_check import normalize_email

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
    def _normalize(self, value, country=None):
        """(kind, normalised value) of an email address or phone number.

        Phone numbers go through core's phone_validation (the phonenumbers
        library) to E.164, so that 00358 40 123 4567, +358 (0)40 123 4567 and
        040 123 4567 are one number. A national number is read in ``country``,
        else the company's country, else Finland (the register's home).
        """
        value = (value or "").strip()
        # No "@", no address: the parser is the costly part of a batch's names.
        email = normalize_email(value)
        if email:
            return "email", email
        digits = re.sub(r"[^\d+]", "", value)
        if len(digits.lstrip("+")) >= 6 and not re.search(r"[A-Za-z]", value):
            country = self._phone_country(country)
            e164 = self.env["res.partner"]._phone_format(
                number=value, country=country, force_format="E164"
            )
            # A number phonenumbers cannot read is kept as its digits: still a
            # key for the same string typed again.
            return "phone", e164 or digits
        return None, None

    @api.model
    def _phone_country(self, country=None):
        return (
            country
            or self.env.company.country_id
            or self.env.ref("base.fi", raise_if_not_found=False)
        )

    @api.model
    def _legacy_key(self, value):
        """The phone key of versions before 18.0.2.2.0 (a +358 rule), for the
        entries whose number is gone and so could not be rehashed."""
        digits = re.sub(r"[^\d+]", "", (value or "").strip())
        if digits.startswith("0"):
            digits = "+358" + digits[1:]
        return digits

    @api.model
    def _digest(self, value):
        return hmac(self.env(su=True), HMAC_SCOPE, value)

    @api.model
    def _suppress(self, values, country=None):
        """Add the email addresses and phone numbers among ``values``;
        returns the entries added (not those on the list already). One
        insert for all (:func:`insert_rows`): a retention batch adds hundreds,
        and two runs at once may add the same."""
        vals_by_digest = {}
        for value in values:
            kind, normalized = self._normalize(value, country)
            if kind:
                digest = self._digest(normalized)
                vals_by_digest[digest] = {"digest": digest, "kind": kind}
        return insert_rows(self.sudo(), list(vals_by_digest.values()), unique="digest")

    @api.model
    def _is_suppressed(self, values, country=None):
        """The values among ``values`` whose hash is on the list."""
        digests_by_value = {}
        for value in values:
            kind, normalized = self._normalize(value, country)
            if kind:
                digests = {self._digest(normalized)}
                # The old rule read every number as Finnish: try its key only
                # where a national number is Finnish too.
                if kind == "phone" and self._phone_country(country).code == "FI":
                    digests.add(self._digest(self._legacy_key(value)))
                digests_by_value[value] = digests
        if not digests_by_value:
            return set()
        known = set(
            self.sudo()
            .search([("digest", "in", list(set().union(*digests_by_value.values())))])
            .mapped("digest")
        )
        return {value for value, digests in digests_by_value.items() if digests & known}

    @api.model
    def _rehash_legacy_phones(self):
        """Give the phone entries of the old +358 rule their E.164 key where
        the number is still known: a partner (archived ones too) whose phone
        or mobile hashes, under the old rule, to an entry on the list.

        The list holds keyed hashes only, so an entry whose number is nowhere
        in the database any more cannot be turned back into a number. Those
        keep their old key, which still matches the same digits typed again
        (see _is_suppressed); numbers the old rule already wrote in
        E.164 (+358 40 ..., 040 ...) need nothing.
        """
        legacy = self.sudo().search([("kind", "=", "phone")])
        known = set(legacy.mapped("digest"))
        if not known:
            return self.browse()
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search(["|", ("phone", "!=", False), ("mobile", "!=", False)])
        )
        found = {}
        for partner in partners:
            for number in (partner.phone, partner.mobile):
                if number and self._digest(self._legacy_key(number)) in known:
                    found[number] = partner.country_id
        added = self.browse()
        for number, country in found.items():
            added |= self._suppress([number], country=country or None)
        return added
