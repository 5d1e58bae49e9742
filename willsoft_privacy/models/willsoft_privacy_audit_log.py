# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .insert_rows import insert_rows

EVENTS = [
    ("run", "Retention run"),
    ("stage1", "Stage 1: restricted"),
    ("stage2", "Stage 2: anonymised"),
    ("erasure", "Erasure"),
    ("export", "Export"),
    ("scope", "Request widened to contact persons"),
    ("consent", "Consent withdrawn"),
    ("hold", "Legal hold"),
    ("contact", "Last contact entered"),
    ("reopen", "Customer relationship reopened"),
    ("check", "Erasure check"),
    ("error", "Error"),
]
RESULTS = [("ok", "Done"), ("warning", "Found leftovers"), ("error", "Failed")]


class WillsoftPrivacyAuditLog(models.Model):
    """Append-only: what the privacy tools did, when, for whom and by which
    policy. It names partners by database id only, so the log itself holds no
    personal data and outlives the erasure it records."""

    _name = "willsoft.privacy.audit.log"
    _description = "Privacy audit log"
    _order = "id desc"
    _rec_name = "event"

    event = fields.Selection(EVENTS, required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Done by", required=True, readonly=True, index=True
    )
    event_date = fields.Datetime(
        string="Date", required=True, readonly=True, default=fields.Datetime.now
    )
    company_id = fields.Many2one("res.company", readonly=True)
    partner_ref = fields.Integer(
        string="Partner id",
        readonly=True,
        index=True,
        help="Database id of the partner concerned; the log keeps no name.",
    )
    counts = fields.Json(string="Records per kind", readonly=True)
    counts_text = fields.Text(string="Records", compute="_compute_counts_text")
    grace_months = fields.Integer(string="Grace months in force", readonly=True)
    voucher_years = fields.Integer(string="Voucher years in force", readonly=True)
    result = fields.Selection(RESULTS, default="ok", readonly=True)
    message = fields.Text(string="Details", readonly=True)

    @api.depends("counts")
    def _compute_counts_text(self):
        for entry in self:
            entry.counts_text = "\n".join(
                f"{kind}: {count}"
                for kind, count in sorted((entry.counts or {}).items())
            )

    @api.model_create_multi
    def create(self, vals_list):
        # The privacy tools append by :meth:`_log_many`, which inserts the
        # entries itself: nothing creates them through the ORM.
        if vals_list:
            raise UserError(
                self.env._(
                    "The privacy audit log is written by the privacy tools only."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._(
                    "The privacy audit log cannot be changed, not even by an "
                    "administrator."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "The privacy audit log cannot be deleted, not even by an administrator."
            )
        )

    @api.model
    def _log(
        self, event, partner=None, counts=None, result="ok", message=None, company=None
    ):
        """Append one entry; ``message`` must hold no personal data."""
        return self._log_many(
            [
                {
                    "event": event,
                    "partner": partner,
                    "counts": counts,
                    "result": result,
                    "message": message,
                    "company": company,
                }
            ]
        )

    @api.model
    def _log_many(self, entries):
        """Append entries in one insert: a retention batch logs one per
        partner. Each entry is a dict of :meth:`_log`'s arguments. The log
        is the privacy tools' own, so they write it by SQL (:func:`insert_rows`:
        the ORM's create adds nothing here but its cost)."""
        now = fields.Datetime.now()
        vals_list = []
        for entry in entries:
            partner = entry.get("partner")
            company = (
                entry.get("company")
                or (partner and partner._privacy_company())
                or self.env.company
            )
            vals_list.append(
                {
                    "event": entry["event"],
                    "user_id": self.env.uid,
                    "company_id": company.id,
                    "partner_ref": partner.id if partner else 0,
                    "counts": entry.get("counts") or {},
                    "grace_months": company.privacy_grace_months,
                    "voucher_years": company.privacy_voucher_years,
                    "result": entry.get("result") or "ok",
                    "message": entry.get("message"),
                    "event_date": now,
                }
            )
        return insert_rows(self.sudo(), vals_list)
