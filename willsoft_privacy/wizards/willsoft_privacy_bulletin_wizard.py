# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import is_html_empty

from odoo.addons.base.models.ir_qweb import QWebException

from ..models.res_partner import BULLETIN_LANGS

# The language each text of a bulletin template is read in.
BULLETIN_TEMPLATE_LANGS = {"fi": "fi_FI", "sv": "sv_SE", "en": "en_US"}


class WillsoftPrivacyBulletinWizard(models.TransientModel):
    """Send a critical usage bulletin to the contact persons of active
    customers, each in their own language, its placeholders filled in for
    each person (the person is ``object``, as in a mail template)."""

    _name = "willsoft.privacy.bulletin.wizard"
    _inherit = ["mail.render.mixin"]
    _description = "Critical usage bulletin"

    template_id = fields.Many2one(
        "mail.template",
        domain=[("privacy_bulletin", "=", True)],
        help="Fills in the texts in Finnish, Swedish and English from a bulletin "
        "template; edit them before sending if needed.",
    )
    subject_fi = fields.Char(string="Subject (Finnish)")
    body_fi = fields.Html(
        string="Text (Finnish)",
        render_engine="qweb",
        render_options={"post_process": True},
        sanitize=False,
    )
    subject_sv = fields.Char(string="Subject (Swedish)")
    body_sv = fields.Html(
        string="Text (Swedish)",
        render_engine="qweb",
        render_options={"post_process": True},
        sanitize=False,
    )
    subject_en = fields.Char(string="Subject (English)", required=True)
    body_en = fields.Html(
        string="Text (English)",
        required=True,
        render_engine="qweb",
        render_options={"post_process": True},
        sanitize=False,
    )
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

    def _compute_render_model(self):
        self.render_model = "res.partner"

    @api.depends(
        "subject_fi",
        "body_fi",
        "subject_sv",
        "body_sv",
        "subject_en",
        "body_en",
        "recipient_ids",
    )
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
                if partners:
                    parts.append(wizard._preview_sample(key, partners[:1]))
            wizard.preview = Markup().join(parts)

    def _preview_sample(self, key, partner):
        """The text as the first person of a language gets it; a placeholder
        that cannot be filled in shows the error that sending would raise."""
        try:
            text = self._render_texts({key: partner})[partner.id]
        except UserError as error:
            alert = Markup("<div class='alert alert-danger' role='alert'>%s</div>")
            return alert % error.args[0]
        return Markup(
            "<div class='border rounded p-2 mb-3'><p class='small text-muted'>%s</p>"
            "<p><strong>%s</strong></p>%s</div>"
        ) % (
            self.env._("As %(name)s gets it:", name=partner.name),
            text["subject"],
            text["body"],
        )

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

    def _render_texts(self, groups):
        """Each person's subject and text, with the person as ``object``.

        ``groups`` maps a language key to the people who get that text. A
        person whose language is the text's is rendered in it (dates, field
        labels); the English fallback in English. Returns
        {partner id: {"subject", "body"}}; a bad placeholder raises a
        UserError before anything is sent."""
        self.ensure_one()
        names = {
            "fi": self.env._("Finnish"),
            "sv": self.env._("Swedish"),
            "en": self.env._("English"),
        }
        rendered = {}
        for key, partners in groups.items():
            by_lang = {}
            for partner in partners:
                own = (partner.lang or "").split("_")[0] == key
                lang = partner.lang if own else BULLETIN_TEMPLATE_LANGS["en"]
                by_lang.setdefault(lang, self.env["res.partner"])
                by_lang[lang] |= partner
            for lang, lang_partners in by_lang.items():
                try:
                    subjects = self._render_field(
                        f"subject_{key}", lang_partners.ids, set_lang=lang
                    )
                    bodies = self._render_field(
                        f"body_{key}", lang_partners.ids, set_lang=lang
                    )
                except AccessError:
                    raise
                except (UserError, QWebException, SyntaxError, ValueError) as error:
                    raise UserError(
                        self.env._(
                            "A placeholder in the %(language)s subject or text "
                            "cannot be filled in. Correct it (e.g. "
                            "{{ object.name }} in the subject, "
                            '<t t-out="object.name"/> in the text) or remove it, '
                            "then send again.",
                            language=names[key],
                        )
                    ) from error
                for partner in lang_partners:
                    rendered[partner.id] = {
                        "subject": subjects[partner.id],
                        "body": bodies[partner.id],
                    }
        return rendered

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
        # All rendered first: a bad placeholder stops the bulletin before
        # any mail is queued.
        rendered = self._render_texts(self._recipients_by_lang())
        mails = self.recipient_ids._privacy_send_bulletin(rendered)
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
