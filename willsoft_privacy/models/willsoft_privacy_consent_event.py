# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

CHANNELS = [
    ("email", "Email"),
    ("sms", "SMS"),
    ("phone", "Phone"),
    ("post", "Post"),
]
ACTIONS = [
    ("requested", "Asked to confirm"),
    ("given", "Given"),
    ("withdrawn", "Withdrawn"),
]
SOURCES = [
    ("portal", "Portal"),
    ("public_form", "Public form"),
    # The newsletter sign-up of Odoo's website (willsoft_privacy_website_mass_mailing);
    # declared here so that the ledger's lines keep their source whatever is
    # uninstalled later.
    ("website_newsletter", "Website newsletter"),
    ("email_link", "Link in an email"),
    ("phone", "Staff, on the phone"),
    ("import", "Import"),
    ("request", "Privacy request"),
    ("retention", "Retention run"),
]
# The public sign-ups (a person not logged in asks for a confirmation mail):
# they share the limits of the sign-up form.
SIGNUP_SOURCES = ("public_form", "website_newsletter")
# The proof that names the person: the one thing the erasure takes from a
# ledger line (see ``_redact_proof``).
PROOF_FIELDS = ("ip_address", "user_agent", "note")
# Context key of that redaction; honoured in superuser mode only.
REDACT_PROOF = "willsoft_privacy_redact_proof"
# Context key of ``willsoft.privacy.consent._record_event``, the one way a
# line is written; honoured in superuser mode only.
RECORD_EVENT = "willsoft_privacy_record_event"


class WillsoftPrivacyConsentEvent(models.Model):
    """The consent ledger: one line per consent asked, given or withdrawn,
    with its proof. Append-only: nobody, the administrator included, changes
    or deletes a line through the ORM; the current state is the latest
    line per partner, purpose and channel.

    The one exception is the erasure of the person (the personal-data map):
    it blanks the proof that names them (IP address, browser, staff note) and
    keeps the line, so that the history of given and withdrawn stays provable
    without naming anyone."""

    _name = "willsoft.privacy.consent.event"
    _description = "Consent ledger entry"
    _order = "event_time desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    processing_id = fields.Many2one(
        "willsoft.privacy.processing",
        string="Purpose",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        domain=[("legal_basis", "=", "consent")],
    )
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    action = fields.Selection(ACTIONS, string="Event", required=True, readonly=True)
    event_time = fields.Datetime(
        string="Time", required=True, default=fields.Datetime.now, readonly=True
    )
    source = fields.Selection(SOURCES, required=True, readonly=True)
    note = fields.Text(readonly=True)
    ip_address = fields.Char(string="IP address", readonly=True)
    user_agent = fields.Char(string="Browser", readonly=True)
    text_shown = fields.Text(
        string="Text shown",
        readonly=True,
        help="The exact words the person was shown or read out.",
    )
    lang = fields.Char(string="Language shown", readonly=True)
    notice_id = fields.Many2one(
        "willsoft.privacy.notice",
        string="Privacy notice shown",
        readonly=True,
        ondelete="set null",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        default=lambda self: self.env.user,
        readonly=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        index=True,
        help="The company the consent was given to: its staff see the line.",
    )

    @api.constrains("processing_id")
    def _check_consent_purpose(self):
        for event in self:
            if event.processing_id.legal_basis != "consent":
                raise ValidationError(
                    self.env._(
                        "%(purpose)s is not based on consent: the consent ledger "
                        "only records purposes whose legal basis is consent.",
                        purpose=event.processing_id.name,
                    )
                )

    # On "source" only, which create always sets and nothing can write: the
    # erasure blanks the note of a phone call afterwards, on purpose.
    @api.constrains("source")
    def _check_phone_note(self):
        for event in self:
            if event.source == "phone" and not (event.note or "").strip():
                raise ValidationError(
                    self.env._(
                        "Write a note on the phone call: who called, and what was said."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # A line over RPC could be back-dated or carry made-up proof, and
        # would skip what a withdrawal sets off: lines come from
        # ``_record_event`` only, for officers too.
        if not (self.env.su and self.env.context.get(RECORD_EVENT) is True):
            raise AccessError(
                self.env._(
                    "Consents are recorded through the consent actions only "
                    "(Record a consent, the portal, the signed links)."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self._is_proof_redaction(vals):
            self._raise_append_only()
        return super().write(vals)

    def _is_proof_redaction(self, vals):
        """The erasure's redaction, and nothing else: in superuser mode (no
        user reaches it through the web client or RPC), with the redaction
        context key, setting exactly the proof fields to False."""
        return (
            self.env.su
            and self.env.context.get(REDACT_PROOF) is True
            and vals == dict.fromkeys(PROOF_FIELDS, False)
        )

    def _redact_proof(self):
        """Blank the proof that names the person (IP address, browser, staff
        note) on these lines, which stay: purpose, channel, event, time,
        source, text and notice version shown. Returns how many lines held
        proof."""
        with_proof = self.sudo().filtered(
            lambda event: any(event[fname] for fname in PROOF_FIELDS)
        )
        with_proof.with_context(**{REDACT_PROOF: True}).write(
            dict.fromkeys(PROOF_FIELDS, False)
        )
        return len(with_proof)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_ledger(self):
        self._raise_append_only()

    def _raise_append_only(self):
        raise UserError(
            self.env._(
                "The consent ledger cannot be changed. Record a new event instead."
            )
        )
