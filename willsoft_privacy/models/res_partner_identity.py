# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (Kept apart from res_partner.py: the identity of self-service is a topic of
# its own, with its own tests.)
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, email_normalize
from odoo.tools.sql import column_exists

PROOFS = [
    ("company", "Entered by the company"),
    ("officer", "Verified by a privacy officer"),
    ("code", "Confirmed with a code sent to it"),
    ("link", "Confirmed with a link sent to it"),
]

PROOF_FIELDS = {
    "privacy_email_proven",
    "privacy_email_proof",
    "privacy_email_proven_date",
    "privacy_phone_proven",
    "privacy_mobile_proven",
}
# The numbers a person may have typed themself, and where their proven
# value is kept: there is no code sent by SMS, so a number is proven when the
# company entered it or an officer verified it.
PHONE_FIELDS = {"phone": "privacy_phone_proven", "mobile": "privacy_mobile_proven"}


class ResPartner(models.Model):
    """The email address a person has proven is theirs.

    Odoo lets a portal customer (``/my/account``) and an employee
    (Preferences) type any address on their own contact. What the addon
    matches by email on a person's behalf (the personal-data map, consents,
    the blacklist) uses the proven address only, so that typing someone
    else's address gives nothing of theirs."""

    _inherit = "res.partner"

    privacy_email_proven = fields.Char(
        string="Proven email",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="The address the person has proven is theirs (normalised). The "
        "personal-data map and consents match by this one only.",
    )
    privacy_email_proof = fields.Selection(
        PROOFS,
        string="Proven by",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    privacy_email_proven_date = fields.Datetime(
        string="Proven on", readonly=True, copy=False, groups="base.group_user"
    )
    privacy_phone_proven = fields.Char(
        string="Proven phone",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The number as the company entered or an officer verified it: "
        "what the personal-data map and the phone blacklist use.",
    )
    privacy_mobile_proven = fields.Char(
        string="Proven mobile",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The number as the company entered or an officer verified it: "
        "what the personal-data map and the phone blacklist use.",
    )
    privacy_email_unproven = fields.Boolean(
        string="Email not confirmed",
        compute="_compute_privacy_email_unproven",
        groups="base.group_user",
        help="The address was changed by the person and is not confirmed yet.",
    )

    privacy_phone_unproven = fields.Boolean(
        string="Phone not confirmed",
        compute="_compute_privacy_phone_unproven",
        groups="base.group_user",
        help="The person changed the phone or mobile number and no privacy "
        "officer has verified it yet.",
    )

    # Staff notes on the privacy profile are for staff: a portal user reads
    # their own partner over RPC, and these are not theirs to read. Only the
    # groups are added here; the fields are defined in res_partner.py.
    privacy_source_note = fields.Char(groups="base.group_user")
    privacy_end_reason = fields.Char(groups="base.group_user")
    privacy_hold_reason = fields.Char(groups="base.group_user")
    privacy_hold_until = fields.Date(groups="base.group_user")

    @api.depends("email", "privacy_email_proven")
    def _compute_privacy_email_unproven(self):
        for partner in self:
            email = email_normalize(partner.email or "") or False
            partner.privacy_email_unproven = bool(
                email and email != partner.privacy_email_proven
            )

    @api.depends(*PHONE_FIELDS, *PHONE_FIELDS.values())
    def _compute_privacy_phone_unproven(self):
        for partner in self:
            partner.privacy_phone_unproven = any(
                partner[fname] and partner[fname] != partner[proven]
                for fname, proven in PHONE_FIELDS.items()
            )

    def _auto_init(self):
        """Addresses in the database before the addon came were entered or
        accepted by the company: they count as proven, once, when the column
        is created (later changes go through :meth:`_privacy_email_entered`)."""
        new = not column_exists(self.env.cr, "res_partner", "privacy_email_proven")
        new_phone = not column_exists(
            self.env.cr, "res_partner", "privacy_phone_proven"
        )
        result = super()._auto_init()
        if new_phone:
            self.env.cr.execute(
                SQL(
                    """UPDATE res_partner
                          SET privacy_phone_proven = phone,
                              privacy_mobile_proven = mobile
                        WHERE phone IS NOT NULL OR mobile IS NOT NULL"""
                )
            )
        if new:
            self.env.cr.execute(
                SQL(
                    """UPDATE res_partner
                          SET privacy_email_proven = email_normalized,
                              privacy_email_proof = 'company',
                              privacy_email_proven_date = NOW() AT TIME ZONE 'UTC'
                        WHERE email_normalized IS NOT NULL"""
                )
            )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._privacy_check_proof_vals(vals)
        partners = super().create(vals_list)
        partners.filtered("email")._privacy_email_entered()
        partners.filtered(lambda p: p.phone or p.mobile)._privacy_phone_entered(
            set(PHONE_FIELDS)
        )
        return partners

    def write(self, vals):
        self._privacy_check_proof_vals(vals)
        result = super().write(vals)
        if "email" in vals:
            self._privacy_email_entered()
        if PHONE_FIELDS.keys() & vals.keys():
            self._privacy_phone_entered(PHONE_FIELDS.keys() & vals.keys())
        return result

    @api.model
    def _privacy_check_proof_vals(self, vals):
        """The proof fields are set by :meth:`_privacy_email_prove` only (in
        sudo): written over RPC, they would let anyone prove any address."""
        if not self.env.su and PROOF_FIELDS & set(vals):
            raise AccessError(
                self.env._(
                    "A proven email address is set by its confirmation or by "
                    "Verify email, not by hand."
                )
            )

    def _privacy_email_entered(self):
        """An address was set: proven when the company entered it (an
        internal user, for someone else's contact); otherwise the proven
        address stays as it was until the new one is confirmed."""
        user = self.env.user
        by_company = user._is_internal() and not self.env.context.get(
            "privacy_email_self_service"
        )
        for partner in self.sudo():
            email = email_normalize(partner.email or "") or False
            if email == partner.privacy_email_proven:
                continue
            own = partner == user.partner_id or user in partner.user_ids
            if by_company and not own:
                partner._privacy_email_prove(email, "company")

    def _privacy_phone_entered(self, fnames):
        """A phone or mobile was set: proven when the company entered it (the
        rule of :meth:`_privacy_email_entered`); a number the person typed on
        their own account proves nothing until an officer verifies it."""
        user = self.env.user
        if not user._is_internal() or self.env.context.get(
            "privacy_email_self_service"
        ):
            return
        for partner in self.sudo():
            if partner == user.partner_id or user in partner.user_ids:
                continue
            partner._privacy_phone_prove(fnames)

    def _privacy_phone_prove(self, fnames=None):
        """Record the current ``fnames`` (phone, mobile; both by default) as
        proven."""
        fnames = PHONE_FIELDS if fnames is None else fnames
        for partner in self.sudo():
            vals = {
                PHONE_FIELDS[fname]: partner[fname] or False
                for fname in fnames
                if partner[fname] != partner[PHONE_FIELDS[fname]]
            }
            if vals:
                partner.write(vals)

    def _privacy_proven_phones(self):
        """The proven phone and mobile numbers of these partners, as entered:
        what anything done on a person's behalf may match by number."""
        partners = self.sudo()
        return [
            number
            for number in dict.fromkeys(
                partners.mapped("privacy_mobile_proven")
                + partners.mapped("privacy_phone_proven")
            )
            if number
        ]

    def _privacy_email_prove(self, email, proof):
        """Record ``email`` (normalised) as proven by ``proof``."""
        self.sudo().write(
            {
                "privacy_email_proven": email or False,
                "privacy_email_proof": proof if email else False,
                "privacy_email_proven_date": fields.Datetime.now() if email else False,
            }
        )

    def _privacy_proven_emails(self):
        """The proven addresses of these partners, normalised: what anything
        done on a person's behalf may match by email."""
        return list(
            {email for email in self.sudo().mapped("privacy_email_proven") if email}
        )

    def _privacy_proven_email(self):
        self.ensure_one()
        return self.sudo().privacy_email_proven or False

    def action_privacy_email_verify(self):
        """A privacy officer checked that the address is the person's."""
        if not self.env.user.has_group("willsoft_privacy.group_privacy_officer"):
            raise AccessError(
                self.env._("Only privacy officers can verify an email address.")
            )
        for partner in self:
            email = email_normalize(partner.email or "")
            if email:
                partner._privacy_email_prove(email, "officer")
            partner._privacy_phone_prove()
        return True
