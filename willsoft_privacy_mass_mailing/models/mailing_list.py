# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import email_normalize


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

    def _update_subscription_from_email(self, email, opt_out=True, force_message=None):
        """Odoo's unsubscribe (and re-subscribe) page: the ledger records it.
        Leaving a list held on a consent is a withdrawal of that consent, by
        the person themself through the link in the mailing; joining one again
        is a request for consent, which only the confirmation link (double
        opt-in) turns into a consent given."""
        result = super()._update_subscription_from_email(
            email, opt_out=opt_out, force_message=force_message
        )
        normalized = email_normalize(email or "")
        purposes = self.willsoft_privacy_processing_id.filtered(
            lambda p: p.legal_basis == "consent"
        )
        if not normalized or not purposes:
            return result
        partners = (
            self.env["res.partner"]
            .sudo()
            .search([("email_normalized", "=", normalized)])
        )
        Consent = self.env["willsoft.privacy.consent"].sudo()
        for partner in partners:
            for purpose in purposes:
                state = Consent._state(partner, purpose, "email")
                if opt_out and state != "withdrawn":
                    Consent._record_event(
                        partner,
                        purpose,
                        "email",
                        "withdrawn",
                        "email_link",
                        note=self.env._("Unsubscribed with the link in a mailing."),
                    )
                elif not opt_out and state != "given":
                    Consent._request_email_consent(partner, purpose, "email_link")
        return result
