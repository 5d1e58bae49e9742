# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.willsoft_privacy_consent_event import CHANNELS


class WillsoftPrivacyConsentWizard(models.TransientModel):
    """Staff record a consent given or withdrawn on the phone; a privacy
    officer also records one taken over from a list (an import), with a
    note on where the list came from."""

    _name = "willsoft.privacy.consent.wizard"
    _description = "Record a consent from the phone"

    partner_id = fields.Many2one("res.partner", string="Person", required=True)
    processing_id = fields.Many2one(
        "willsoft.privacy.processing",
        string="Purpose",
        required=True,
        domain=[("legal_basis", "=", "consent")],
    )
    source = fields.Selection(
        [("phone", "Phone call"), ("import", "Import from a list")],
        required=True,
        default="phone",
        help="An import is for privacy officers: the note says where the list "
        "came from and how the consent was asked.",
    )
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    action = fields.Selection(
        [("given", "Consent given"), ("withdrawn", "Consent withdrawn")],
        string="The person",
        required=True,
        default="given",
    )
    text_shown = fields.Text(
        string="Text read out",
        compute="_compute_text_shown",
        store=True,
        readonly=False,
        help="The words read out to the person; the ledger keeps them.",
    )
    note = fields.Text(
        required=True,
        help="Who called, when, and what was said. Required as proof.",
    )

    @api.depends("processing_id", "partner_id", "action")
    def _compute_text_shown(self):
        for wizard in self:
            lang = wizard.partner_id.lang or self.env.lang
            wizard.text_shown = (
                wizard.processing_id.with_context(lang=lang).consent_text
                if wizard.action == "given"
                else False
            )

    def action_record(self):
        self.ensure_one()
        if self.source == "import" and not self.env.user.has_group(
            "willsoft_privacy.group_privacy_officer"
        ):
            raise AccessError(
                self.env._("Only privacy officers can record imported consents.")
            )
        self.env["willsoft.privacy.consent"]._record_event(
            self.partner_id,
            self.processing_id,
            self.channel,
            self.action,
            self.source,
            note=self.note,
            text_shown=self.text_shown or "",
        )
        return {"type": "ir.actions.act_window_close"}
