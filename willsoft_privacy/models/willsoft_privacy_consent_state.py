# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL

from .willsoft_privacy_consent_event import CHANNELS, SOURCES


class WillsoftPrivacyConsentState(models.Model):
    """The current consent per person, purpose and channel: the latest
    'given' or 'withdrawn' line of the ledger. A view, never written."""

    _name = "willsoft.privacy.consent.state"
    _description = "Current consent"
    _auto = False
    _order = "partner_id, processing_id, channel"
    _rec_name = "processing_id"

    partner_id = fields.Many2one("res.partner", string="Person", readonly=True)
    processing_id = fields.Many2one(
        "willsoft.privacy.processing", string="Purpose", readonly=True
    )
    channel = fields.Selection(CHANNELS, readonly=True)
    state = fields.Selection(
        [("given", "Given"), ("withdrawn", "Withdrawn")],
        string="Consent",
        readonly=True,
    )
    since = fields.Datetime(readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    event_id = fields.Many2one(
        "willsoft.privacy.consent.event", string="Ledger entry", readonly=True
    )
    notice_id = fields.Many2one(
        "willsoft.privacy.notice", string="Privacy notice shown", readonly=True
    )

    def init(self):
        # A database view (the model is _auto = False): the latest ledger
        # line per partner, purpose and channel (DISTINCT ON, which the ORM
        # cannot express).
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT DISTINCT ON (partner_id, processing_id, channel)
                           id, id AS event_id, partner_id, processing_id, channel,
                           action AS state, event_time AS since, source, notice_id
                      FROM willsoft_privacy_consent_event
                     WHERE action IN ('given', 'withdrawn')
                  ORDER BY partner_id, processing_id, channel, event_time DESC,
                           id DESC
                )
                """,
                SQL.identifier(self._table),
            )
        )
