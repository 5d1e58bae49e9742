# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class MailingSubscription(models.Model):
    """A subscription made on the website waits, opted out, for the person to
    confirm it with the link of the double opt-in."""

    _inherit = "mailing.subscription"

    willsoft_privacy_pending_since = fields.Datetime(
        string="Awaiting confirmation since",
        readonly=True,
        copy=False,
        help="Subscribed on the website and not yet confirmed with the link "
        "sent by email: nothing is mailed to the contact until then.",
    )

    @api.model
    def _privacy_confirm_pending(self, partner, purpose):
        """The person confirmed their consent to ``purpose``: their waiting
        subscriptions to its lists, under the address they proved, take
        effect. Returns them."""
        email = partner._privacy_proven_email()
        if not email:
            return self.browse()
        pending = self.sudo().search(
            [
                ("willsoft_privacy_pending_since", "!=", False),
                ("contact_id.email_normalized", "=", email),
                ("list_id.willsoft_privacy_processing_id", "=", purpose.id),
            ]
        )
        pending.write({"opt_out": False, "willsoft_privacy_pending_since": False})
        return pending

    @api.autovacuum
    def _gc_privacy_unconfirmed(self):
        """A subscription whose confirmation link has expired never takes
        effect: it goes (the mailing contact follows the person's own
        retention, through the personal-data map)."""
        hours = self.env["willsoft.privacy.consent"]._confirm_valid_hours()
        self.sudo().search(
            [
                ("willsoft_privacy_pending_since", "!=", False),
                (
                    "willsoft_privacy_pending_since",
                    "<",
                    fields.Datetime.now() - timedelta(hours=hours),
                ),
            ]
        ).unlink()
