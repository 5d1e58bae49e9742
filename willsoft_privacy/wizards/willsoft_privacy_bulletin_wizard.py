# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty

from ..models.res_partner_communication import BULLETIN_LANGS

# The language each text of a bulletin template is read in.
BULLETIN_TEMPLATE_LANGS = {"fi": "fi_FI", "sv": "sv_SE", "en": "en_US"}


class WillsoftPrivacyBulletinWizard(models.TransientModel):
    """Send a critical usage bulletin to the contact persons of active
    customers, each in their own language."""

    _name = "willsoft.privacy.bulletin.wizard"
    _description = "Critical usage bulletin"

    template_id = fields.Many2one(
        "mail.template",
        domain=[("privacy_bulletin", "=", True)],
        help="Fills in the texts in Finnish, Swedish and English from a bulletin "
        "template; edit them before sending if needed.",
    )
    subject_fi = fields.Char(string="Subject (Finnish)")
    body_fi = fields.Html(string="Text (Finnish)", sanitize_style=True)
    subject_sv = fields.Char(string="Subject (Swedish)")
    body_sv = fields.Html(string="Text (Swedish)", sanitize_style=True)
    subject_en = fields.Char(string="Subject (English)", required=True)
    body_en = fields.Html(string="Text (English)", required=True, sanitize_style=True)
    recipient_ids = fields.Many2many(
        "res.partner", string="Recipients", compute="_compute_recipients"
    )
    recipient_count = fields.Integer(
        string="Number of recipients", compute="_compute_recipients"
    )
    preview = fields.Html(
        string="Recipients per language", compute="_compute_preview", sanitize=True
    )

    @api.onchange("template_id")
    def _onchange_template_id(self):
        """The template's text in each language; a language the template is
        not translated into stays empty, so those people get the English."""
        if not self.template_id:
            return
        template = self.template_id
        english = template.with_context(lang="en_US")
        for key, code in BULLETIN_TEMPLATE_LANGS.items():
            translated = template.with_context(lang=code)
            subject, body = translated.subject, translated.body_html
            if key != "en" and subject == english.subject:
                subject = body = False
            self[f"subject_{key}"] = subject
            self[f"body_{key}"] = body

    @api.depends_context("uid")
    def _compute_recipients(self):
        recipients = self.env["res.partner"]._privacy_bulletin_recipients()
        for wizard in self:
            wizard.recipient_ids = recipients
            wizard.recipient_count = len(recipients)

    @api.depends("subject_fi", "body_fi", "subject_sv", "body_sv", "recipient_ids")
    def _compute_preview(self):
        names = {
            "fi": self.env._("Finnish"),
            "sv": self.env._("Swedish"),
            "en": self.env._("English"),
        }
        for wizard in self:
            groups = wizard._recipients_by_lang()
            parts = []
            for key in BULLETIN_LANGS:
                partners = groups.get(key, self.env["res.partner"])
                parts.append(
                    Markup("<h6>%s: %s</h6><p class='small'>%s</p>")
                    % (
                        names[key],
                        len(partners),
                        Markup(", ").join(
                            escape(f"{p.name} <{p.email}>") for p in partners
                        )
                        or "-",
                    )
                )
            wizard.preview = Markup().join(parts)

    def _texts(self):
        self.ensure_one()
        return {
            key: {
                "subject": self[f"subject_{key}"],
                "body": None
                if is_html_empty(self[f"body_{key}"])
                else self[f"body_{key}"],
            }
            for key in BULLETIN_LANGS
        }

    def _recipients_by_lang(self):
        texts = self._texts()
        groups = {}
        for partner in self.recipient_ids:
            key = partner._privacy_bulletin_lang(texts)
            groups[key] = groups.get(key, self.env["res.partner"]) | partner
        return groups

    def action_send(self):
        self.ensure_one()
        texts = self._texts()
        if not texts["en"]["subject"] or not texts["en"]["body"]:
            raise UserError(
                self.env._("Write the English subject and text: it is the fallback.")
            )
        if not self.recipient_ids:
            raise UserError(
                self.env._("No active customer has a contact person with an email.")
            )
        mails = self.recipient_ids._privacy_send_bulletin(texts)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s bulletins queued for sending.", count=len(mails)
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
