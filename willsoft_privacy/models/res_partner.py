# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

OFFICER_GROUP = "willsoft_privacy.group_privacy_officer"

CATEGORIES = [
    ("customer", "Customer"),
    ("prospect", "Potential customer"),
    ("other", "Other contact"),
]
SOURCES = [
    ("self", "The person themself"),
    ("employer", "Their employer"),
    ("partner", "A partner of ours"),
    ("other", "Other"),
]
STAGES = [
    ("none", "Not processed"),
    ("restricted", "Restricted"),
    ("anonymised", "Anonymised"),
]
STATES = [
    ("active", "Active"),
    ("ended", "Ended"),
    ("restricted", "Restricted"),
    ("anonymised", "Anonymised"),
    ("hold", "On legal hold"),
]
# Fields only a privacy officer may change.
OFFICER_FIELDS = ("privacy_hold_reason", "privacy_hold_until", "privacy_stage")


class ResPartner(models.Model):
    _inherit = "res.partner"

    privacy_category = fields.Selection(
        CATEGORIES,
        string="Data subject category",
        default="other",
        required=True,
        index=True,
        tracking=True,
        help="Customers are kept for the contract; potential customers and other "
        "contacts for a period without contact (privacy notice, section 3).",
    )
    privacy_source = fields.Selection(
        SOURCES,
        string="Source of the data",
        default="self",
        tracking=True,
        help="Where the data came from (privacy notice, section 6).",
    )
    privacy_source_note = fields.Char(string="Source note")
    privacy_relationship_start = fields.Date(string="Customer since", tracking=True)
    privacy_relationship_end = fields.Date(
        string="Customer relationship ended",
        tracking=True,
        help="The day the customer contract ended. Basic data is anonymised "
        "after the grace period set in Privacy settings.",
    )
    privacy_end_reason = fields.Char(string="Reason for ending", tracking=True)
    privacy_last_contact_date = fields.Date(
        string="Last contact",
        default=fields.Date.context_today,
        help="Potential customers and other contacts are anonymised after the "
        "period without contact set in Privacy settings.",
    )
    privacy_hold_reason = fields.Char(string="Legal hold reason", tracking=True)
    privacy_hold_until = fields.Date(
        string="Legal hold until",
        tracking=True,
        help="While a legal hold runs (a dispute, say), nothing is anonymised.",
    )
    privacy_stage = fields.Selection(
        STAGES,
        string="Retention stage",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        help="Set by the retention run: restricted (only what accounting needs "
        "is kept) and then anonymised.",
    )
    # Only there so that posting or resetting a journal entry moves the
    # accounting hold date of its partner.
    privacy_move_ids = fields.One2many(
        "account.move", "commercial_partner_id", string="Journal entries"
    )
    privacy_anonymise_date = fields.Date(
        string="Anonymisation due",
        compute="_compute_privacy_anonymise_date",
        store=True,
        index=True,
    )
    privacy_accounting_hold_date = fields.Date(
        string="Kept for accounting until",
        compute="_compute_privacy_accounting_hold_date",
        store=True,
        help="End of the voucher retention period of the partner's latest "
        "posted journal entry.",
    )
    privacy_state = fields.Selection(
        STATES,
        string="Retention state",
        compute="_compute_privacy_state",
        store=True,
        index=True,
    )
    privacy_state_info = fields.Char(
        string="Retention", compute="_compute_privacy_state_info"
    )
    privacy_retained_move_count = fields.Integer(
        string="Retained vouchers", compute="_compute_privacy_retained_move_count"
    )

    @api.model
    def _commercial_fields(self):
        # Persons follow their commercial partner: the company's relationship
        # drives its contacts.
        return super()._commercial_fields() + [
            "privacy_category",
            "privacy_relationship_start",
            "privacy_relationship_end",
            "privacy_end_reason",
            "privacy_last_contact_date",
            "privacy_hold_reason",
            "privacy_hold_until",
        ]

    # Computes

    def _privacy_company(self):
        self.ensure_one()
        return self.company_id or self.env.company

    def _privacy_on_hold(self, today=None):
        """Whether a legal hold stops erasing this partner today."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        return bool(self.privacy_hold_until and self.privacy_hold_until >= today)

    @api.depends(
        "privacy_category", "privacy_relationship_end", "privacy_last_contact_date"
    )
    def _compute_privacy_anonymise_date(self):
        for partner in self:
            company = partner._privacy_company()
            if partner.privacy_category == "customer":
                end = partner.privacy_relationship_end
                partner.privacy_anonymise_date = (
                    end and company._privacy_anonymise_date(end)
                )
            else:
                last = partner.privacy_last_contact_date
                partner.privacy_anonymise_date = (
                    last and company._privacy_prospect_expiry(last)
                )

    @api.depends(
        "commercial_partner_id",
        "commercial_partner_id.privacy_move_ids.state",
        "commercial_partner_id.privacy_move_ids.date",
    )
    def _compute_privacy_accounting_hold_date(self):
        commercial_ids = self.commercial_partner_id.ids
        hold_by_commercial = {}
        if commercial_ids:
            # One query for the whole batch: the latest voucher per partner
            # and company is the one whose period ends last.
            groups = (
                self.env["account.move"]
                .sudo()
                ._read_group(
                    [
                        ("commercial_partner_id", "in", commercial_ids),
                        ("state", "=", "posted"),
                    ],
                    ["commercial_partner_id", "company_id"],
                    ["date:max"],
                )
            )
            for commercial, company, last_date in groups:
                end = company._privacy_voucher_retention_end(last_date)
                known = hold_by_commercial.get(commercial.id)
                hold_by_commercial[commercial.id] = max(end, known) if known else end
        for partner in self:
            partner.privacy_accounting_hold_date = hold_by_commercial.get(
                partner.commercial_partner_id.id, False
            )

    @api.depends(
        "privacy_stage",
        "privacy_hold_until",
        "privacy_relationship_end",
        "privacy_category",
    )
    def _compute_privacy_state(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.privacy_stage == "anonymised":
                state = "anonymised"
            elif partner._privacy_on_hold(today):
                state = "hold"
            elif partner.privacy_stage == "restricted":
                state = "restricted"
            elif (
                partner.privacy_category == "customer"
                and partner.privacy_relationship_end
            ):
                state = "ended"
            else:
                state = "active"
            partner.privacy_state = state

    @api.depends(
        "privacy_state", "privacy_anonymise_date", "privacy_accounting_hold_date"
    )
    def _compute_privacy_state_info(self):
        env = self.env
        for partner in self:
            anonymise = format_date(env, partner.privacy_anonymise_date)
            match partner.privacy_state:
                case "ended":
                    info = env._("Ended, anonymisation due on %s", anonymise)
                case "restricted":
                    info = env._(
                        "Restricted, kept for accounting until %s",
                        format_date(env, partner.privacy_accounting_hold_date),
                    )
                case "anonymised":
                    info = env._("Anonymised")
                case "hold":
                    info = env._(
                        "On legal hold until %s",
                        format_date(env, partner.privacy_hold_until),
                    )
                case _ if partner.privacy_category != "customer" and anonymise:
                    info = env._("Active, anonymised on %s without contact", anonymise)
                case _:
                    info = env._("Active")
            partner.privacy_state_info = info

    def _compute_privacy_retained_move_count(self):
        retained = self._privacy_retained_moves()
        for partner in self:
            partner.privacy_retained_move_count = len(
                retained.filtered(
                    lambda m, p=partner: (
                        m.commercial_partner_id == p.commercial_partner_id
                    )
                )
            )

    # Constraints

    @api.constrains("privacy_relationship_start", "privacy_relationship_end")
    def _check_privacy_relationship_dates(self):
        today = fields.Date.context_today(self)
        for partner in self:
            start, end = (
                partner.privacy_relationship_start,
                partner.privacy_relationship_end,
            )
            if start and end and end < start:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the customer relationship cannot end (%(end)s) "
                        "before it started (%(start)s). Correct one of the dates.",
                        partner=partner.display_name,
                        end=format_date(self.env, end),
                        start=format_date(self.env, start),
                    )
                )
            if end and end > today:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: a customer relationship cannot have ended on "
                        "%(end)s, a date in the future. Enter the end date on the day "
                        "the contract ends.",
                        partner=partner.display_name,
                        end=format_date(self.env, end),
                    )
                )

    @api.constrains("privacy_hold_reason", "privacy_hold_until")
    def _check_privacy_hold(self):
        today = fields.Date.context_today(self)
        for partner in self.filtered(lambda p: p == p.commercial_partner_id):
            if partner.privacy_hold_until and not partner.privacy_hold_reason:
                raise ValidationError(
                    self.env._(
                        "%s: a legal hold needs a reason. Enter it beside the end "
                        "date.",
                        partner.display_name,
                    )
                )
            if partner.privacy_hold_until and partner.privacy_hold_until < today:
                raise ValidationError(
                    self.env._(
                        "%s: a legal hold must end today or later. Enter a future "
                        "end date, or clear the hold.",
                        partner.display_name,
                    )
                )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        unset = dict.fromkeys(OFFICER_FIELDS, False) | {"privacy_stage": "none"}
        partners._privacy_check_officer_fields(dict.fromkeys(partners, unset))
        partners._privacy_warn_suppressed()
        return partners

    def write(self, vals):
        self._privacy_log_hold(vals)
        if self.env.su or not set(OFFICER_FIELDS) & vals.keys():
            return super().write(vals)
        before = {p: {f: p[f] for f in OFFICER_FIELDS} for p in self}
        res = super().write(vals)
        self._privacy_check_officer_fields(before)
        return res

    def _privacy_check_officer_fields(self, before):
        """Legal holds and retention stages are a privacy officer's to change.

        Contacts receive their commercial partner's hold by Odoo's commercial
        sync; that copy is not a change of their own.
        """
        if self.env.su or self.env.user.has_group(OFFICER_GROUP):
            return
        for partner in self:
            commercial = partner.commercial_partner_id
            for fname in OFFICER_FIELDS:
                if partner[fname] == before[partner][fname]:
                    continue
                if commercial != partner and partner[fname] == commercial[fname]:
                    continue
                raise AccessError(
                    self.env._(
                        "Only a privacy officer can change legal holds and retention "
                        "stages. Ask your privacy officer to do it."
                    )
                )

    # Actions

    def action_privacy_end_relationship(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("End customer relationship"),
            "res_model": "willsoft.privacy.end.relationship",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_privacy_view_retained_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_journal_line"
        )
        action.update(
            name=self.env._("Vouchers kept for accounting"),
            domain=[("id", "in", self._privacy_retained_moves().ids)],
            context={"create": False},
        )
        return action

    # Business methods

    def _privacy_end_relationship(self, end_date, reason):
        """End the customer relationship of these partners' commercial entities."""
        commercials = self.commercial_partner_id
        if not reason or not reason.strip():
            raise UserError(
                self.env._("Give the reason the customer relationship ended.")
            )
        already = commercials.filtered("privacy_relationship_end")
        if already:
            raise UserError(
                self.env._(
                    "The customer relationship of %s has already ended. Clear its "
                    "end date first to record another one.",
                    ", ".join(already.mapped("display_name")),
                )
            )
        commercials.write(
            {
                "privacy_category": "customer",
                "privacy_relationship_end": end_date,
                "privacy_end_reason": reason.strip(),
            }
        )
        for partner in commercials:
            partner.message_post(
                body=self.env._(
                    "Customer relationship ended on %(end)s: %(reason)s. Its basic "
                    "data is anonymised on %(due)s.",
                    end=format_date(self.env, end_date),
                    reason=reason.strip(),
                    due=format_date(self.env, partner.privacy_anonymise_date),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _privacy_retained_moves(self):
        """Posted journal entries of these partners still within their period."""
        today = fields.Date.context_today(self)
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("state", "=", "posted"),
                ]
            )
        )
        return moves.filtered(
            lambda m: m.company_id._privacy_voucher_retention_end(m.date) >= today
        ).sudo(False)

    def _privacy_mark_customers(self, since):
        """Posting a sale makes its buyer a customer of ours."""
        for partner in self.filtered(lambda p: p.privacy_category != "customer"):
            partner.write(
                {
                    "privacy_category": "customer",
                    "privacy_relationship_start": partner.privacy_relationship_start
                    or since,
                }
            )

    @api.model
    def _privacy_init_customers(self):
        """Buyers of posted sales become customers, since their first sale."""
        groups = self.env["account.move"]._read_group(
            [
                ("state", "=", "posted"),
                ("move_type", "in", self.env["account.move"].get_sale_types(True)),
            ],
            ["commercial_partner_id"],
            ["invoice_date:min"],
        )
        for buyer, first in groups:
            buyer._privacy_mark_customers(first)

    @api.model
    def _cron_privacy_refresh_states(self):
        """Legal holds end by the calendar: refresh the stored state daily."""
        today = fields.Date.context_today(self)
        expired = self.with_context(active_test=False).search(
            [("privacy_state", "=", "hold"), ("privacy_hold_until", "<", today)]
        )
        self.env.add_to_compute(self._fields["privacy_state"], expired)
        expired.flush_recordset(["privacy_state"])
        return len(expired)

    def _privacy_warn_suppressed(self):
        """A partner created or imported with the email or phone of someone
        whose data was erased: tell the user, keep it out of marketing."""
        Suppression = self.env["willsoft.privacy.suppression"]
        # A national number is read in the partner's own country.
        suppressed = {}
        # One group per country, partners without one among them.
        for country in {partner.country_id for partner in self}:
            partners = self.filtered(lambda p, c=country: p.country_id == c)
            values = {v for p in partners for v in (p.email, p.phone, p.mobile) if v}
            if values:
                suppressed[country] = Suppression._privacy_is_suppressed(
                    values, country=country or None
                )
        for partner in self:
            hits = suppressed.get(partner.country_id, set()) & {
                partner.email,
                partner.phone,
                partner.mobile,
            }
            if not hits:
                continue
            if partner.email in hits and partner.email_normalized:
                self.env["mail.blacklist"].sudo()._add(
                    partner.email_normalized,
                    message=self.env._("Erased earlier at the person's request."),
                )
            partner._message_log(
                body=self.env._(
                    "The data of a person with this email address or phone number "
                    "was erased earlier. Check that they want to be in the register "
                    "again; they are kept out of marketing."
                ),
            )
            partner.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=self.env._("Erased person added again"),
                user_id=self.env.uid,
            )

    def _privacy_log_hold(self, vals):
        """A legal hold set, changed or lifted goes to the audit log (the
        commercial partner's, not the copies its contacts receive)."""
        if not {"privacy_hold_reason", "privacy_hold_until"} & vals.keys():
            return
        log = self.env["willsoft.privacy.audit.log"]
        for partner in self.filtered(lambda p: not p.parent_id):
            until = vals.get("privacy_hold_until", partner.privacy_hold_until)
            log._log(
                "hold",
                partner=partner,
                message=self.env._("Legal hold until %s.", until)
                if until
                else self.env._("Legal hold lifted."),
            )
