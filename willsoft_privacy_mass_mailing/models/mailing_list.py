# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class MailingList(models.Model):
    """A mailing list holds its subscribers on one purpose of processing: a
    withdrawal of that consent erases the person's subscriptions to it."""

    _inherit = "mailing.list"

    willsoft_privacy_processing_id = fields.Many2one(
        "willsoft.privacy.processing",
        string="Purpose of processing",
        default=lambda self: self._privacy_default_purpose(),
        ondelete="set null",
        index="btree_not_null",
        help="The purpose, in the register of processing, on which this list "
        "holds its subscribers. When a person withdraws that consent, their "
        "subscriptions to the list are erased.",
    )

    @api.model
    def _privacy_default_purpose(self):
        """Email marketing is consent-based: the register's marketing purpose."""
        return self.env.ref(
            "willsoft_privacy.processing_marketing", raise_if_not_found=False
        )
