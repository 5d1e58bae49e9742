# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class MailingMailing(models.Model):
    """A mailing is sent on one purpose of processing: nobody who has
    withdrawn that consent gets it, and a withdrawal erases what the mailing
    recorded about them (its traces)."""

    _inherit = "mailing.mailing"

    willsoft_privacy_processing_id = fields.Many2one(
        "willsoft.privacy.processing",
        string="Purpose of processing",
        compute="_compute_willsoft_privacy_processing_id",
        store=True,
        readonly=False,
        precompute=True,
        ondelete="set null",
        index="btree_not_null",
        help="The purpose, in the register of processing, this mailing is sent "
        "on. People who have withdrawn that consent are left out.",
    )

    @api.depends("contact_list_ids.willsoft_privacy_processing_id")
    def _compute_willsoft_privacy_processing_id(self):
        """A mailing to lists takes the purpose of its lists when they agree."""
        for mailing in self:
            purposes = mailing.contact_list_ids.willsoft_privacy_processing_id
            if len(purposes) == 1:
                mailing.willsoft_privacy_processing_id = purposes
            elif not mailing.willsoft_privacy_processing_id:
                mailing.willsoft_privacy_processing_id = self.env[
                    "mailing.list"
                ]._privacy_default_purpose()

    def _get_opt_out_list(self):
        """Odoo's opt-outs, plus everyone whose consent to the mailing's
        purpose is withdrawn in the ledger: the ledger decides, whatever
        becomes of the blacklist entry or of an imported list."""
        opt_out = set(super()._get_opt_out_list() or ())
        purpose = self.willsoft_privacy_processing_id
        if purpose.legal_basis != "consent":
            return opt_out
        withdrawn = (
            self.env["willsoft.privacy.consent.state"]
            .sudo()
            .search(
                [
                    ("processing_id", "=", purpose.id),
                    ("channel", "=", "email"),
                    ("state", "=", "withdrawn"),
                ]
            )
        )
        # The address on the contact and the one the person proved: a
        # withdrawal stops both.
        return (
            opt_out
            | {
                email
                for email in withdrawn.partner_id.mapped("email_normalized")
                if email
            }
            | set(withdrawn.partner_id._privacy_proven_emails())
        )
