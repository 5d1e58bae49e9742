# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, email_normalize, format_date, split_every
from odoo.tools.sql import column_exists, existing_tables

from .willsoft_privacy_erasure_check import create_trigram_indexes

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
# Bulletin texts are written in these languages; English is the fallback.
BULLETIN_LANGS = ("fi", "sv", "en")
# Messages someone wrote or sent; system notifications count for nothing.
CONTACT_MESSAGE_TYPES = ("email", "comment", "email_outgoing")
# When the last-contact clock was last refreshed (database time).
CLOCK_PARAM = "willsoft_privacy.clock_refreshed_at"
CLOCK_CHUNK = 1000
CLOCK_OVERLAP = timedelta(hours=1)
# Context key: the caller syncs the commercial and address fields to the
# children itself, for a whole batch at once (core does it partner by
# partner, a write per company).
SYNC_CHILDREN_LATER = "willsoft_privacy_sync_children_later"
# Context key: the write sets the proof fields itself (an erasure clears
# them with the addresses and numbers): the read of the partners and the
# second write that record what an entered address or number proves are
# skipped.
PROOFS_IN_VALUES = "willsoft_privacy_proofs_in_values"
# Context key: the erasure deletes the partner's notes right after (core's
# note that a bank account was deleted, with its number, is not written to be
# erased at once).
NO_ERASED_NOTE = "willsoft_privacy_no_erased_note"
# How a proven email address was proven.
PROOFS = [
    ("company", "Entered by the company"),
    ("officer", "Verified by a privacy officer"),
    ("code", "Confirmed with a code sent to it"),
    ("link", "Confirmed with a link sent to it"),
]
# Set by the proof methods only, never written over RPC.
PROOF_FIELDS = {
    "privacy_email_proven",
    "privacy_email_proof",
    "privacy_email_proven_date",
    "privacy_phone_proven",
    "privacy_mobile_proven",
}
# The numbers a person may have typed themself, and where their proven
# value is kept: there is no code sent by SMS, so a number is proven when the
# company entered it or an officer verified it.
PHONE_FIELDS = {"phone": "privacy_phone_proven", "mobile": "privacy_mobile_proven"}


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
    privacy_category_manual = fields.Boolean(
        string="Category set by hand",
        copy=False,
        help="Staff chose the category. Clear it to let the facts decide: posted "
        "sales make a customer, a lead a potential customer, else other contact "
        "(refreshed every night).",
    )
    privacy_source = fields.Selection(
        SOURCES,
        string="Source of the data",
        default="self",
        tracking=True,
        help="Where the data came from (privacy notice, section 6).",
    )
    # Staff notes on the privacy profile are for staff: a portal user reads
    # their own partner over RPC, and these are not theirs to read.
    privacy_source_note = fields.Char(string="Source note", groups="base.group_user")
    privacy_relationship_start = fields.Date(string="Customer since", tracking=True)
    privacy_relationship_end = fields.Date(
        string="Customer relationship ended",
        tracking=True,
        help="The day the customer contract ended. Basic data is anonymised "
        "after the grace period set in Privacy settings.",
    )
    privacy_end_reason = fields.Char(
        string="Reason for ending", tracking=True, groups="base.group_user"
    )
    privacy_contact_date_manual = fields.Date(
        string="Last contact entered",
        default=fields.Date.context_today,
        tracking=True,
        help="A contact the software cannot see (a call, a meeting): enter its "
        "date here. Starts as the day the partner was created.",
    )
    privacy_last_event_date = fields.Date(
        string="Last recorded contact",
        compute="_compute_privacy_last_event_date",
        store=True,
        readonly=True,
        help="The latest voucher, payment, message to or from the person, lead, "
        "portal login, website visit, consent or privacy request of the partner "
        "and its contacts. Refreshed every night and before each retention run.",
    )
    # Writing it writes the date entered by hand (create and write).
    privacy_last_contact_date = fields.Date(
        string="Last contact",
        compute="_compute_privacy_last_contact_date",
        store=True,
        index=True,
        help="The later of the last recorded contact and the date entered by "
        "hand. Potential customers and other contacts are anonymised after the "
        "period without contact set in Privacy settings.",
    )
    privacy_hold_reason = fields.Char(
        string="Legal hold reason", tracking=True, groups="base.group_user"
    )
    privacy_hold_until = fields.Date(
        string="Legal hold until",
        tracking=True,
        groups="base.group_user",
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
    privacy_leftover_date = fields.Date(
        string="Leftovers found on",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The erasure check found this person's former email, phone or name "
        "outside what a legal obligation keeps (the audit log says in which "
        "table and column). Cleared when a later check finds nothing.",
    )
    privacy_consent_kept = fields.Char(
        string="Kept on consent",
        compute="_compute_privacy_consent_kept",
        help="What this partner's given consents keep past its retention stage, "
        "until they are withdrawn (privacy notice, section 10).",
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
    privacy_last_voucher_date = fields.Date(
        string="Last voucher",
        compute="_compute_privacy_accounting_hold_date",
        store=True,
        help="Date of the partner's latest posted journal entry. A customer "
        "relationship nobody ended counts as ended some months after it "
        "(Privacy settings).",
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

    # Consents, from the consent ledger
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

    # Who is in the register, as its action and the retention run read it
    privacy_is_subject = fields.Boolean(
        string="Data subject",
        compute="_compute_privacy_is_subject",
        search="_search_privacy_is_subject",
        help="In the customer register: not a company of this database, an "
        "employee or one of Odoo's template users.",
    )

    # The email address and phone numbers a person has proven are theirs.
    # Odoo lets a portal customer (/my/account) and an employee (Preferences)
    # type any address on their own contact. What the addon matches by email
    # or number on a person's behalf (the personal-data map, consents, the
    # blacklist) uses the proven values only, so that typing someone else's
    # address gives nothing of theirs.
    privacy_email_proven = fields.Char(
        string="Proven email",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="The address the person has proven is theirs (normalised). The "
        "personal-data map and consents match by this one only.",
    )
    privacy_email_proof = fields.Selection(
        PROOFS,
        string="Proven by",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    privacy_email_proven_date = fields.Datetime(
        string="Proven on", readonly=True, copy=False, groups="base.group_user"
    )
    privacy_phone_proven = fields.Char(
        string="Proven phone",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The number as the company entered or an officer verified it: "
        "what the personal-data map and the phone blacklist use.",
    )
    privacy_mobile_proven = fields.Char(
        string="Proven mobile",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The number as the company entered or an officer verified it: "
        "what the personal-data map and the phone blacklist use.",
    )
    privacy_email_unproven = fields.Boolean(
        string="Email not confirmed",
        compute="_compute_privacy_email_unproven",
        groups="base.group_user",
        help="The address was changed by the person and is not confirmed yet.",
    )
    privacy_phone_unproven = fields.Boolean(
        string="Phone not confirmed",
        compute="_compute_privacy_phone_unproven",
        groups="base.group_user",
        help="The person changed the phone or mobile number and no privacy "
        "officer has verified it yet.",
    )

    @api.model
    def _commercial_fields(self):
        # Persons follow their commercial partner: the company's relationship
        # drives its contacts.
        return super()._commercial_fields() + [
            "privacy_category",
            "privacy_category_manual",
            "privacy_relationship_start",
            "privacy_relationship_end",
            "privacy_end_reason",
            "privacy_contact_date_manual",
            "privacy_hold_reason",
            "privacy_hold_until",
        ]

    def _message_log(self, **kwargs):
        if self.env.context.get(NO_ERASED_NOTE):
            return self.env["mail.message"]
        return super()._message_log(**kwargs)

    def _children_sync(self, values):
        if self.env.context.get(SYNC_CHILDREN_LATER):
            return None
        return super()._children_sync(values)

    def _privacy_sync_children(self, values, children=None):
        """What core's ``_children_sync`` does after a write of ``values`` on
        these partners, for all of them at once: the commercial fields go to
        the descendants that are no companies, the address fields to the
        direct contacts. ``values`` must be the same for all (one write).

        ``children`` (``{partner id: ids of its active contacts}``), when
        given, stands for ``child_ids``: the erasure takes it before its
        writes, as reading ``child_ids`` after them would flush the writes
        half-way (:meth:`willsoft.privacy.data.map._erase_partner`)."""

        def children_of(partners):
            if children is None:
                return partners.child_ids
            return partners.browse(
                [child for p in partners for child in children.get(p.id, ())]
            )

        commercial = values.keys() & set(self._commercial_fields())
        entities = self.filtered(lambda p: p.commercial_partner_id == p)
        ctx = {SYNC_CHILDREN_LATER: True}
        if commercial and entities:
            descendants = self.browse()
            found = children_of(entities).filtered(lambda c: not c.is_company)
            while found:
                descendants |= found
                found = children_of(found).filtered(
                    lambda c, seen=descendants: not c.is_company and c not in seen
                )
            sync_vals = entities[:1]._update_fields_values(list(commercial))
            descendants.with_context(**ctx).write(sync_vals)
        if values.keys() & set(self._address_fields()):
            contacts = children_of(self).filtered(lambda c: c.type == "contact")
            contacts.with_context(**ctx).update_address(values)

    def _auto_init(self):
        """Addresses in the database before the addon came were entered or
        accepted by the company: they count as proven, once, when the column
        is created (later changes go through :meth:`_privacy_email_entered`)."""
        new = not column_exists(self.env.cr, "res_partner", "privacy_email_proven")
        new_phone = not column_exists(
            self.env.cr, "res_partner", "privacy_phone_proven"
        )
        result = super()._auto_init()
        # SQL: one UPDATE over every partner while the registry is still
        # being set up; through the ORM it would load and write each one.
        if new_phone:
            self.env.cr.execute(
                SQL(
                    """UPDATE res_partner
                          SET privacy_phone_proven = phone,
                              privacy_mobile_proven = mobile
                        WHERE phone IS NOT NULL OR mobile IS NOT NULL"""
                )
            )
        if new:
            self.env.cr.execute(
                SQL(
                    """UPDATE res_partner
                          SET privacy_email_proven = email_normalized,
                              privacy_email_proof = 'company',
                              privacy_email_proven_date = NOW() AT TIME ZONE 'UTC'
                        WHERE email_normalized IS NOT NULL"""
                )
            )
        return result

    def init(self):
        res = super().init()
        # The erasure check's searches by name and address (trigram, where
        # the database has pg_trgm).
        create_trigram_indexes(self)
        return res

    # Computes

    def _privacy_company(self):
        self.ensure_one()
        return self.company_id or self.env.company

    def _privacy_on_hold(self, today=None):
        """Whether a legal hold stops erasing this partner today."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        return bool(self.privacy_hold_until and self.privacy_hold_until >= today)

    @api.depends("commercial_partner_id")
    def _compute_privacy_last_event_date(self):
        commercial_ids = [
            i for i in self.commercial_partner_id._ids if isinstance(i, int)
        ]
        last = self._privacy_last_events(commercial_ids) if commercial_ids else {}
        for partner in self:
            partner.privacy_last_event_date = last.get(
                partner.commercial_partner_id.id, False
            )

    @api.depends("privacy_last_event_date", "privacy_contact_date_manual")
    def _compute_privacy_last_contact_date(self):
        for partner in self:
            dates = [
                d
                for d in (
                    partner.privacy_last_event_date,
                    partner.privacy_contact_date_manual,
                )
                if d
            ]
            partner.privacy_last_contact_date = max(dates) if dates else False

    @api.depends(
        "privacy_category",
        "privacy_relationship_end",
        "privacy_last_contact_date",
        "privacy_last_voucher_date",
    )
    def _compute_privacy_anonymise_date(self):
        for partner in self:
            company = partner._privacy_company()
            if partner.privacy_category == "customer":
                end = partner._privacy_relationship_end_effective()
                partner.privacy_anonymise_date = (
                    end and company._privacy_anonymise_date(end)
                )
            else:
                last = partner.privacy_last_contact_date
                partner.privacy_anonymise_date = (
                    last
                    and company._privacy_contact_expiry(last, partner.privacy_category)
                )

    def _privacy_relationship_end_effective(self):
        """The day the customer relationship ended, or, where nobody ended
        it, counts as ended: some months after the last voucher (the last
        contact for a customer with no voucher at all)."""
        self.ensure_one()
        if self.privacy_relationship_end:
            return self.privacy_relationship_end
        last = self.privacy_last_voucher_date or self.privacy_last_contact_date
        return last and self._privacy_company()._privacy_idle_end(last)

    @api.depends(
        "commercial_partner_id",
        "commercial_partner_id.privacy_move_ids.state",
        "commercial_partner_id.privacy_move_ids.date",
    )
    def _compute_privacy_accounting_hold_date(self):
        commercial_ids = self.commercial_partner_id.ids
        hold_by_commercial = {}
        last_by_commercial = {}
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
                known = last_by_commercial.get(commercial.id)
                last_by_commercial[commercial.id] = (
                    max(last_date, known) if known else last_date
                )
        for partner in self:
            partner.privacy_accounting_hold_date = hold_by_commercial.get(
                partner.commercial_partner_id.id, False
            )
            partner.privacy_last_voucher_date = last_by_commercial.get(
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

    @api.depends("privacy_stage", "privacy_consent_state_ids.state")
    def _compute_privacy_consent_kept(self):
        # Only a partner past a stage: before, a consent keeps nothing more.
        env = self.env
        done = self.filtered(lambda p: p.privacy_stage != "none")
        data_map = env["willsoft.privacy.data.map"]
        holds = data_map._consent_holds(done) if done else {}
        # Our own words: core's Finnish lacks some of these fields' labels.
        words = {
            "name": env._("Name"),
            "lang": env._("Language"),
            "email": env._("Email"),
            "phone": env._("Phone"),
            "mobile": env._("Phone"),
        }
        for partner in self:
            states = holds.get(partner.id)
            if not states:
                partner.privacy_consent_kept = False
                continue
            kept = sorted(
                data_map._consent_fields(states),
                key=lambda name: (name != "name", name != "lang", name),
            )
            # The postal fields are one address.
            labels = list(dict.fromkeys(words.get(n, env._("Address")) for n in kept))
            partner.privacy_consent_kept = env._(
                "Kept on the consent to %(purposes)s until it is withdrawn: %(fields)s",
                fields=", ".join(labels),
                purposes=", ".join(sorted(set(states.processing_id.mapped("name")))),
            )

    def _compute_privacy_retained_move_count(self):
        # Counted by day in the database, not loaded: the form shows it for
        # a customer with ten thousand invoices too. A voucher's period ends
        # later the later its date, and by its company's rule.
        today = fields.Date.context_today(self)
        counts = {}
        commercial_ids = [
            i for i in self.commercial_partner_id._ids if isinstance(i, int)
        ]
        if commercial_ids:
            groups = (
                self.env["account.move"]
                .sudo()
                ._read_group(
                    [
                        ("commercial_partner_id", "in", commercial_ids),
                        ("state", "=", "posted"),
                    ],
                    ["commercial_partner_id", "company_id", "date:day"],
                    ["__count"],
                )
            )
            for commercial, company, day, count in groups:
                if company._privacy_voucher_retention_end(day) >= today:
                    counts[commercial.id] = counts.get(commercial.id, 0) + count
        for partner in self:
            partner.privacy_retained_move_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    @api.depends("email", "privacy_email_proven")
    def _compute_privacy_email_unproven(self):
        for partner in self:
            email = email_normalize(partner.email or "") or False
            partner.privacy_email_unproven = bool(
                email and email != partner.privacy_email_proven
            )

    @api.depends(*PHONE_FIELDS, *PHONE_FIELDS.values())
    def _compute_privacy_phone_unproven(self):
        for partner in self:
            partner.privacy_phone_unproven = any(
                partner[fname] and partner[fname] != partner[proven]
                for fname, proven in PHONE_FIELDS.items()
            )

    def _compute_privacy_is_subject(self):
        protected = set(self.env["willsoft.privacy.retention"]._protected_partner_ids())
        for partner in self:
            partner.privacy_is_subject = partner.id not in protected

    def _search_privacy_is_subject(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        protected = self.env["willsoft.privacy.retention"]._protected_partners()
        is_subject = bool(value) == (operator == "=")
        return [("id", "not in" if is_subject else "in", protected)]

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
        for vals in vals_list:
            self._privacy_check_proof_vals(vals)
        vals_list = [self._privacy_clock_vals(vals) for vals in vals_list]
        partners = super().create(vals_list)
        unset = dict.fromkeys(OFFICER_FIELDS, False) | {"privacy_stage": "none"}
        partners._privacy_check_officer_fields(dict.fromkeys(partners, unset))
        partners._privacy_warn_suppressed()
        partners.filtered("email")._privacy_email_entered()
        partners.filtered(lambda p: p.phone or p.mobile)._privacy_phone_entered(
            set(PHONE_FIELDS)
        )
        return partners

    def write(self, vals):
        self._privacy_check_proof_vals(vals)
        vals = self._privacy_clock_vals(vals)
        self._privacy_log_hold(vals)
        self._privacy_log_contact_date(vals)
        if self.env.su or not set(OFFICER_FIELDS) & vals.keys():
            res = super().write(vals)
        else:
            before = {p: {f: p[f] for f in OFFICER_FIELDS} for p in self}
            res = super().write(vals)
            self._privacy_check_officer_fields(before)
        if self.env.context.get(PROOFS_IN_VALUES):
            return res
        if "email" in vals:
            self._privacy_email_entered()
        if PHONE_FIELDS.keys() & vals.keys():
            self._privacy_phone_entered(PHONE_FIELDS.keys() & vals.keys())
        return res

    def _privacy_clock_vals(self, vals):
        """The last contact is computed: a date written to it (an import, a
        form of an older version) is the date entered by hand. A category
        written by a user is theirs; the facts no longer change it."""
        if "privacy_last_contact_date" in vals:
            vals = dict(vals)
            date = vals.pop("privacy_last_contact_date")
            vals.setdefault("privacy_contact_date_manual", date)
        if "privacy_category" in vals and "privacy_category_manual" not in vals:
            vals = dict(
                vals,
                privacy_category_manual=not self.env.context.get(
                    "privacy_category_auto"
                ),
            )
        return vals

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

    @api.model
    def _privacy_check_proof_vals(self, vals):
        """The proof fields are set by :meth:`_privacy_email_prove` only (in
        sudo): written over RPC, they would let anyone prove any address."""
        if not self.env.su and PROOF_FIELDS & set(vals):
            raise AccessError(
                self.env._(
                    "A proven email address is set by its confirmation or by "
                    "Verify email, not by hand."
                )
            )

    # Actions

    def action_privacy_end_relationship(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("End customer relationship"),
            "res_model": "willsoft.privacy.end.relationship.wizard",
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

    def action_privacy_email_verify(self):
        """A privacy officer checked that the address is the person's."""
        if not self.env.user.has_group("willsoft_privacy.group_privacy_officer"):
            raise AccessError(
                self.env._("Only privacy officers can verify an email address.")
            )
        for partner in self:
            email = email_normalize(partner.email or "")
            if email:
                partner._privacy_email_prove(email, "officer")
            partner._privacy_phone_prove()
        return True

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
            partner.with_context(privacy_category_auto=True).write(
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
                suppressed[country] = Suppression._is_suppressed(
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

    def _privacy_log_contact_date(self, vals):
        """A last contact entered by hand goes to the audit log, with the user
        (the commercial partner's, not the copies its contacts receive)."""
        if "privacy_contact_date_manual" not in vals:
            return
        date = vals["privacy_contact_date_manual"]
        log = self.env["willsoft.privacy.audit.log"]
        for partner in self.filtered(lambda p: not p.parent_id):
            log._log(
                "contact",
                partner=partner,
                message=self.env._("Last contact entered by hand: %s.", date)
                if date
                else self.env._("Last contact entered by hand cleared."),
            )

    # The last-contact clock

    @api.model
    def _privacy_clock_sources(self):
        """Where contact with a person shows, one entry per source: the model
        to flush, the SQL ``FROM`` (the source aliased ``src``), the column
        that names the person, the event's date, a condition, and the column
        that tells what changed since the last refresh. Bridges add theirs."""
        message_where = SQL("src.message_type IN %s", CONTACT_MESSAGE_TYPES)
        return [
            {
                "model": "account.move",
                "from": SQL("account_move src"),
                "person": SQL("src.commercial_partner_id"),
                "date": SQL("src.date"),
                "where": SQL("src.state = 'posted'"),
                "changed": SQL("src.write_date"),
            },
            {
                "model": "account.payment",
                "from": SQL("account_payment src"),
                "person": SQL("src.partner_id"),
                "date": SQL("src.date"),
                "where": SQL("src.state IN ('in_process', 'paid')"),
                "changed": SQL("src.write_date"),
            },
            # Messages by the person, and to them: as a recipient or as a
            # follower notified, on any document.
            {
                "model": "mail.message",
                "from": SQL("mail_message src"),
                "person": SQL("src.author_id"),
                "date": SQL("src.date"),
                "where": message_where,
                "changed": SQL("src.create_date"),
            },
            {
                "model": "mail.message",
                "from": SQL(
                    "mail_message_res_partner_rel rel "
                    "JOIN mail_message src ON src.id = rel.mail_message_id"
                ),
                "person": SQL("rel.res_partner_id"),
                "date": SQL("src.date"),
                "where": message_where,
                "changed": SQL("src.create_date"),
            },
            {
                "model": "mail.notification",
                "from": SQL(
                    "mail_notification rel "
                    "JOIN mail_message src ON src.id = rel.mail_message_id"
                ),
                "person": SQL("rel.res_partner_id"),
                "date": SQL("src.date"),
                "where": message_where,
                "changed": SQL("src.create_date"),
            },
            {
                "model": "res.users.log",
                "from": SQL(
                    "res_users_log src "
                    "JOIN res_users login ON login.id = src.create_uid AND login.share"
                ),
                "person": SQL("login.partner_id"),
                "date": SQL("src.create_date"),
                "where": None,
                "changed": SQL("src.create_date"),
            },
            {
                "model": "willsoft.privacy.consent.event",
                # A contact person's consent keeps that person alone (the
                # retention run leaves them out), not their organisation.
                "from": SQL(
                    "willsoft_privacy_consent_event src JOIN res_partner "
                    "consenter ON consenter.id = src.partner_id "
                    "AND consenter.parent_id IS NULL"
                ),
                "person": SQL("src.partner_id"),
                "date": SQL("src.event_time"),
                "where": None,
                "changed": SQL("src.create_date"),
            },
            {
                "model": "willsoft.privacy.request",
                "from": SQL("willsoft_privacy_request src"),
                "person": SQL("src.partner_id"),
                "date": SQL("GREATEST(src.received_date, src.closed_date)"),
                "where": None,
                "changed": SQL("src.write_date"),
            },
        ]

    @api.model
    def _privacy_last_events(self, commercial_ids=None, since=None):
        """The latest contact event per commercial partner, over it and its
        contact persons: ``{commercial id: date}``. One query for all the
        sources and the whole batch; ``commercial_ids`` None for every
        partner, ``since`` (database time) for events recorded since then."""
        sources = self._privacy_clock_sources()
        if not self.pool.ready:
            # Installing: the sources' tables may not be there yet.
            tables = {self.env[source["model"]]._table for source in sources}
            tables = existing_tables(self.env.cr, tables)
            sources = [s for s in sources if self.env[s["model"]]._table in tables]
        for model in {source["model"] for source in sources}:
            self.env[model].flush_model()
        self.flush_model(["commercial_partner_id"])
        selects = []
        for source in sources:
            conditions = [source["where"]] if source["where"] else []
            if commercial_ids is not None:
                conditions.append(
                    SQL("person.commercial_partner_id = ANY(%s)", list(commercial_ids))
                )
            if since:
                conditions.append(SQL("%s >= %s", source["changed"], since))
            selects.append(
                SQL(
                    "SELECT person.commercial_partner_id AS commercial_id, "
                    "max(%s)::date AS day FROM %s "
                    "JOIN res_partner person ON person.id = %s%s "
                    "GROUP BY person.commercial_partner_id",
                    source["date"],
                    source["from"],
                    source["person"],
                    SQL(" WHERE %s", SQL(" AND ").join(conditions))
                    if conditions
                    else SQL(),
                )
            )
        if not selects:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT commercial_id, max(day) FROM (%s) events "
                "WHERE commercial_id IS NOT NULL AND day IS NOT NULL "
                "GROUP BY commercial_id",
                SQL(" UNION ALL ").join(selects),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _privacy_fact_categories(self, commercials):
        """What the facts make of these commercial partners: posted sales a
        customer, anything else (the CRM bridge: a lead) an other contact."""
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", commercials.ids),
                    ("state", "=", "posted"),
                    ("move_type", "in", self.env["account.move"].get_sale_types(True)),
                ],
                ["commercial_partner_id"],
            )
        )
        buyers = {buyer.id for (buyer,) in groups}
        return {
            partner.id: "customer" if partner.id in buyers else "other"
            for partner in commercials
        }

    def _privacy_apply_fact_categories(self):
        """Set the category from the facts where staff have not chosen it."""
        commercials = self.filtered(
            lambda p: p == p.commercial_partner_id and not p.privacy_category_manual
        )
        if not commercials:
            return
        facts = self._privacy_fact_categories(commercials)
        by_category = {}
        for partner in commercials:
            category = facts[partner.id]
            if partner.privacy_category != category:
                by_category.setdefault(category, partner.browse())
                by_category[category] |= partner
        for category, partners in by_category.items():
            partners.with_context(privacy_category_auto=True).write(
                {"privacy_category": category}
            )

    @api.model
    def _privacy_refresh_clock(self, full=False):
        """Move the last contact of the partners with contact events recorded
        since the last refresh (all of them when ``full``), and their
        category where the facts decide it. The nightly cron and each
        retention run call it. Returns the number of commercial partners
        refreshed."""
        params = self.env["ir.config_parameter"].sudo()
        since = False if full else params.get_param(CLOCK_PARAM)
        if since:
            # Events are stamped when their transaction began: one still
            # running at the last refresh is found by looking back a while.
            since = fields.Datetime.to_datetime(since) - CLOCK_OVERLAP
        started = self.env.cr.now()
        Partner = self.sudo().with_context(active_test=False)
        if since:
            commercial_ids = Partner._privacy_clock_may_move(
                Partner._privacy_last_events(since=since)
            )
        else:
            commercial_ids = Partner.search([("parent_id", "=", False)]).ids
        for chunk in split_every(CLOCK_CHUNK, commercial_ids):
            partners = Partner.search([("commercial_partner_id", "in", list(chunk))])
            # Marked by hand, so the dates that follow from it are too.
            for fname in (
                "privacy_last_event_date",
                "privacy_last_contact_date",
                "privacy_anonymise_date",
            ):
                self.env.add_to_compute(self._fields[fname], partners)
            partners._privacy_apply_fact_categories()
            # Memory bounded by the chunk: a refresh after an import, or late
            # in a long run (the hour it looks back holds what the run wrote),
            # covers tens of thousands of partners.
            self.env.flush_all()
            self.env.invalidate_all()
        params.set_param(CLOCK_PARAM, fields.Datetime.to_string(started))
        return len(commercial_ids)

    @api.model
    def _privacy_clock_may_move(self, events):
        """Of the commercial partners with events changed since the last
        refresh (``{id: latest day}``), those a refresh may change: all but
        the erased ones (restricted or anonymised) with no event newer than
        their clock. Those are the retention run's own writes on what it
        erased (their journal entries renamed, their messages deleted): every
        call of a long run would read them again, a call's worth more each
        time (the hour the refresh looks back holds them all), and nothing
        of theirs would change. A newer event still moves their clock."""
        if not events:
            return []
        self.flush_model(["privacy_stage", "privacy_last_event_date"])
        ids, days = zip(*events.items(), strict=True)
        self.env.cr.execute(
            SQL(
                "SELECT p.id FROM unnest(%s::int[], %s::date[]) AS e(id, day) "
                "JOIN res_partner p ON p.id = e.id "
                "WHERE p.privacy_stage != 'none' "
                "AND p.privacy_last_event_date >= e.day",
                list(ids),
                list(days),
            )
        )
        settled = {row[0] for row in self.env.cr.fetchall()}
        return [i for i in ids if i not in settled]

    def _privacy_reopen_relationship(self, invoice_date):
        """A customer invoiced after its relationship ended came back: the
        end is cleared (tracked on the partner) and logged."""
        log = self.env["willsoft.privacy.audit.log"]
        for partner in self:
            ended = partner.privacy_relationship_end
            partner.write(
                {"privacy_relationship_end": False, "privacy_end_reason": False}
            )
            partner.message_post(
                body=self.env._(
                    "Invoiced on %(invoice)s, after the customer relationship "
                    "ended on %(end)s: the relationship continues.",
                    invoice=format_date(self.env, invoice_date),
                    end=format_date(self.env, ended),
                ),
                subtype_xmlid="mail.mt_note",
            )
            log._log(
                "reopen",
                partner=partner,
                message=self.env._("Customer relationship reopened by an invoice."),
            )

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

    # Proven email and phones

    def _privacy_email_entered(self):
        """An address was set: proven when the company entered it (an
        internal user, for someone else's contact); otherwise the proven
        address stays as it was until the new one is confirmed."""
        user = self.env.user
        by_company = user._is_internal() and not self.env.context.get(
            "privacy_email_self_service"
        )
        # One write per address, not per partner: an erasure clears the
        # addresses of a whole batch at once.
        to_prove = {}
        for partner in self.sudo():
            email = email_normalize(partner.email or "") or False
            if email == partner.privacy_email_proven:
                continue
            own = partner == user.partner_id or user in partner.user_ids
            if by_company and not own:
                to_prove[email] = to_prove.get(email, partner.browse()) | partner
        for email, partners in to_prove.items():
            partners._privacy_email_prove(email, "company")

    def _privacy_phone_entered(self, fnames):
        """A phone or mobile was set: proven when the company entered it (the
        rule of :meth:`_privacy_email_entered`); a number the person typed on
        their own account proves nothing until an officer verifies it."""
        user = self.env.user
        if not user._is_internal() or self.env.context.get(
            "privacy_email_self_service"
        ):
            return
        for partner in self.sudo():
            if partner == user.partner_id or user in partner.user_ids:
                continue
            partner._privacy_phone_prove(fnames)

    def _privacy_phone_prove(self, fnames=None):
        """Record the current ``fnames`` (phone, mobile; both by default) as
        proven."""
        fnames = PHONE_FIELDS if fnames is None else fnames
        # One write per set of values, not per partner (see above).
        to_write = {}
        for partner in self.sudo():
            vals = tuple(
                (PHONE_FIELDS[fname], partner[fname] or False)
                for fname in fnames
                if partner[fname] != partner[PHONE_FIELDS[fname]]
            )
            if vals:
                to_write[vals] = to_write.get(vals, partner.browse()) | partner
        for vals, partners in to_write.items():
            partners.write(dict(vals))

    def _privacy_proven_phones(self):
        """The proven phone and mobile numbers of these partners, as entered:
        what anything done on a person's behalf may match by number."""
        partners = self.sudo()
        return [
            number
            for number in dict.fromkeys(
                partners.mapped("privacy_mobile_proven")
                + partners.mapped("privacy_phone_proven")
            )
            if number
        ]

    def _privacy_email_prove(self, email, proof):
        """Record ``email`` (normalised) as proven by ``proof``."""
        self.sudo().write(
            {
                "privacy_email_proven": email or False,
                "privacy_email_proof": proof if email else False,
                "privacy_email_proven_date": fields.Datetime.now() if email else False,
            }
        )

    def _privacy_proven_emails(self):
        """The proven addresses of these partners, normalised: what anything
        done on a person's behalf may match by email."""
        return list(
            {email for email in self.sudo().mapped("privacy_email_proven") if email}
        )

    def _privacy_proven_email(self):
        self.ensure_one()
        return self.sudo().privacy_email_proven or False

    # Scheduled actions

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

    @api.model
    def _cron_privacy_refresh_clock(self):
        return self._privacy_refresh_clock()
