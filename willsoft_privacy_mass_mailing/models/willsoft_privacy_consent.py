# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class WillsoftPrivacyConsent(models.AbstractModel):
    """A withdrawn email consent, with email marketing installed."""

    _inherit = "willsoft.privacy.consent"

    @api.model
    def _stop_sending(self, partner, purpose, channel):
        """Also the mails of mailings already queued for the address: they
        are cancelled, whatever their purpose, as the blacklist would."""
        counts = super()._stop_sending(partner, purpose, channel)
        email = partner._privacy_proven_email()
        if channel != "email" or not email:
            return counts
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
            counts["cancelled_mailings"] = len(queued)
        return counts

    @api.model
    def _erase_consent_data(self, partner, purpose, channel):
        """Also what email marketing holds on this consent: the address's
        subscriptions to the purpose's lists, its mailing contacts left on no
        other list, and the traces of the purpose's mailings (sent, opened,
        clicked) to the address, the person or those contacts. What another
        purpose still holds stays; the ledger decides who gets a mailing."""
        counts = super()._erase_consent_data(partner, purpose, channel)
        email = partner._privacy_proven_email()
        if channel != "email" or not email:
            return counts
        Subscription = self.env["mailing.subscription"].sudo()
        subscriptions = Subscription.search(
            [
                ("contact_id.email_normalized", "=", email),
                ("list_id.willsoft_privacy_processing_id", "=", purpose.id),
            ]
        )
        contacts = (
            self.env["mailing.contact"]
            .sudo()
            .with_context(active_test=False)
            .search([("email_normalized", "=", email)])
        )
        traces = (
            self.env["mailing.trace"]
            .sudo()
            .search(
                [
                    ("mass_mailing_id.willsoft_privacy_processing_id", "=", purpose.id),
                    "|",
                    "|",
                    ("email", "=", email),
                    "&",
                    ("model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    "&",
                    ("model", "=", "mailing.contact"),
                    ("res_id", "in", contacts.ids),
                ]
            )
        )
        if traces:
            counts["mailing_traces"] = self.env[
                "willsoft.privacy.data.map"
            ]._erase_mailing_traces(traces, None)
        if subscriptions:
            subscriptions.unlink()
            counts["mailing_subscriptions"] = len(subscriptions)
        subscribed = Subscription.search([("contact_id", "in", contacts.ids)])
        orphans = contacts - subscribed.contact_id
        if orphans:
            # Their messages go with them.
            orphans.unlink()
            counts["mailing_contacts"] = len(orphans)
        return counts

    @api.model
    def _consent_kinds(self):
        return super()._consent_kinds() | {"mailing_contacts", "mailing_traces"}
