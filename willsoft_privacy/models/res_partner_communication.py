# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.tools import email_normalize

# Bulletin texts are written in these languages; English is the fallback.
BULLETIN_LANGS = ("fi", "sv", "en")


# Kept apart from res_partner.py so that consents and bulletins merge without
# conflicts with the other privacy features.
class ResPartner(models.Model):
    """Consents of a person, derived from the consent ledger, and the
    contract-based critical usage bulletins."""

    _inherit = "res.partner"

    privacy_consent_state_ids = fields.One2many(
        "willsoft.privacy.consent.state",
        "partner_id",
        string="Consents",
        readonly=True,
    )
    privacy_consent_event_ids = fields.One2many(
        "willsoft.privacy.consent.event",
        "partner_id",
        string="Consent ledger",
        readonly=True,
    )
    privacy_consent_only = fields.Boolean(
        string="With us only on consent",
        copy=False,
        help="Came to us through a consent sign-up. When the person withdraws "
        "their last consent, and has not become a customer or left other data "
        "with us since, they are erased at once.",
    )

    def action_privacy_record_consent(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a consent"),
            "res_model": "willsoft.privacy.consent.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_privacy_view_consent_ledger(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Consent ledger"),
            "res_model": "willsoft.privacy.consent.event",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
            "context": {"create": False},
        }

    # Critical usage bulletins (contract basis)

    @api.model
    def _privacy_bulletin_recipients(self):
        """The contact persons, with an email address, of active customers:
        not ended, restricted, anonymised or on hold. Marketing opt-outs do
        not count: a bulletin goes out on the contract."""
        partners = self.search(
            [
                ("is_company", "=", False),
                ("email", "!=", False),
                ("privacy_state", "=", "active"),
                ("commercial_partner_id.privacy_category", "=", "customer"),
                ("commercial_partner_id.privacy_state", "=", "active"),
            ],
            order="commercial_partner_id, name, id",
        )
        seen = set()
        recipients = self.browse()
        for partner in partners:
            email = email_normalize(partner.email)
            if email and email not in seen:
                seen.add(email)
                recipients |= partner
        return recipients

    def _privacy_bulletin_lang(self, texts):
        """The language key (fi, sv, en) of the text this person gets: their
        own language if a text is written in it, else English."""
        self.ensure_one()
        key = (self.lang or "en").split("_")[0]
        if key in texts and texts[key].get("subject") and texts[key].get("body"):
            return key
        return "en"

    def _privacy_send_bulletin(self, texts):
        """Queue one mail per person and log it on them.

        ``texts`` maps each person's id to their own {"subject", "body"},
        already in their language with the placeholders filled in (see the
        bulletin wizard). Returns the queued mail.mail records."""
        purpose = self.env.ref("willsoft_privacy.processing_bulletins")
        mails = self.env["mail.mail"]
        for partner in self:
            text = texts[partner.id]
            company = partner.company_id or self.env.company
            mails |= mails.sudo().create(
                {
                    "subject": text["subject"],
                    "body_html": text["body"],
                    "email_from": company.email_formatted
                    or company.privacy_helpdesk_email,
                    "recipient_ids": [fields.Command.link(partner.id)],
                    "willsoft_privacy_processing_id": purpose.id,
                    "auto_delete": False,
                }
            )
            partner._message_log(
                body=self.env._(
                    "Critical usage bulletin queued: %(subject)s",
                    subject=text["subject"],
                )
            )
        return mails
