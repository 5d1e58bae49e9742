# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# The person's own consent: the confirmation link, or the portal after login.
CONFIRMING_SOURCES = ("email_link", "portal")


class WillsoftPrivacyConsent(models.AbstractModel):
    _inherit = "willsoft.privacy.consent"

    @api.model
    def _record_event(self, partner, purpose, channel, action, source, **kwargs):
        """A consent by email that the person gave themself makes their
        website subscriptions to the purpose's lists take effect."""
        event = super()._record_event(
            partner, purpose, channel, action, source, **kwargs
        )
        if action == "given" and channel == "email" and source in CONFIRMING_SOURCES:
            self.env["mailing.subscription"]._privacy_confirm_pending(partner, purpose)
        return event
