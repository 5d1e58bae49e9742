# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class WillsoftPrivacyDataMap(models.AbstractModel):
    """A mailing contact's subscriptions in the export say which wait for the
    person's confirmation."""

    _inherit = "willsoft.privacy.data.map"

    @api.model
    def _handlers(self):
        handlers = super()._handlers()
        field = self.env["mailing.subscription"]._fields[
            "willsoft_privacy_pending_since"
        ]
        for handler in handlers:
            if handler["kind"] == "mailing_contacts":
                handler["labels"]["awaiting_confirmation"] = field._description_string(
                    self.env
                )
        return handlers

    @api.model
    def _mailing_subscription_row(self, subscription):
        row = super()._mailing_subscription_row(subscription)
        row["awaiting_confirmation"] = (
            fields.Datetime.to_string(subscription.willsoft_privacy_pending_since) or ""
        )
        return row
