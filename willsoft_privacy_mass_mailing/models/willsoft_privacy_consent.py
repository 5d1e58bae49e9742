# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import email_normalize


class WillsoftPrivacyConsent(models.AbstractModel):
    _inherit = "willsoft.privacy.consent"

    @api.model
    def _purge_consent_only_data(self, partner, purpose, channel="email"):
        """Also Odoo's own mailing opt-out: every list subscription of a
        mailing contact with the person's address is opted out, so no mailing
        not yet sent reaches them, even if the blacklist entry is later
        lifted by hand; mails of a mailing already queued for them are
        cancelled. The contacts themselves stay until erasure (the
        personal-data map): a withdrawal stops the sending, and the opt-out
        is what proves it to the list's owner."""
        done = super()._purge_consent_only_data(partner, purpose, channel)
        email = email_normalize(partner.email or "")
        if channel != "email" or not email:
            return done
        subscriptions = (
            self.env["mailing.subscription"]
            .sudo()
            .search(
                [
                    ("contact_id.email_normalized", "=", email),
                    ("opt_out", "=", False),
                ]
            )
        )
        if subscriptions:
            subscriptions.write({"opt_out": True})
            done.append("mailing.subscription")
        queued = (
            self.env["mailing.trace"]
            .sudo()
            .search(
                [
                    ("email", "=", email),
                    ("trace_status", "=", "outgoing"),
                    ("mail_mail_id.state", "=", "outgoing"),
                ]
            )
        )
        if queued:
            queued.mail_mail_id.write({"state": "cancel"})
            queued.write({"trace_status": "cancel", "failure_type": "mail_optout"})
            done.append("mailing.trace")
        return done
