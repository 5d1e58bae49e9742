# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import io
import json
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import consteq, email_normalize, format_date
from odoo.tools.misc import hmac as hmac_tool

from .willsoft_privacy_data_map import BUYER_FIELDS

OFFICER_GROUP = "willsoft_privacy.group_privacy_officer"
EXPORT_SCHEMA = "willsoft_privacy.export/1"
EXPORT_TOKEN_SCOPE = "willsoft_privacy.request.export"
EXPORT_VALID_DAYS = 7
# The readable (PDF) copy prints at most this many records of each kind: a
# customer's ten thousand messages would take wkhtmltopdf minutes and fill
# thousands of pages. The JSON and CSV files hold every record.
EXPORT_PDF_RECORDS = 100
# GDPR 18(3): the person is told this many days before a restriction ends.
RESTRICTION_NOTICE_DAYS = 14

KINDS = [
    ("access", "A copy of my data"),
    ("portability", "My data in a machine-readable format"),
    ("rectification", "Correct my data"),
    ("erasure", "Delete my data"),
    ("restriction", "Restrict the processing of my data"),
    ("objection", "Object to direct marketing"),
    ("consent", "Withdraw my consent"),
]
CHANNELS = [
    ("portal", "Portal"),
    ("web", "Public form"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("phone", "Phone or in person"),
]
STATES = [
    ("new", "New"),
    ("identity", "Identity check"),
    ("progress", "In progress"),
    ("done", "Done"),
    ("refused", "Refused"),
]
OPEN_STATES = ("new", "identity", "progress")
# The legal due date of each open request is an activity of its officer, so
# that requests show in My Activities beside the rest of their work.
DEADLINE_ACTIVITY = "willsoft_privacy.mail_activity_type_request_deadline"
# A change of these moves, reassigns or closes the deadline activity.
DEADLINE_FIELDS = {"state", "received_date", "extension_months", "user_id"}
# Kinds of an emailed request that may follow its From: header without an
# identity check: they only stop sending.
ACT_ON_SENDER_KINDS = ("objection", "consent")
DEADLINES = [
    ("overdue", "Overdue"),
    ("week", "Due this week"),
    ("later", "On time"),
    ("closed", "Answered"),
]
# The partner fields a person may ask to correct, and the request field
# holding the proposed value of each.
RECTIFIABLE = {
    "name": "rect_name",
    "email": "rect_email",
    "phone": "rect_phone",
    "street": "rect_street",
    "zip": "rect_zip",
    "city": "rect_city",
    "country_id": "rect_country_id",
    "lang": "rect_lang",
}
# The letter sent when a request enters a state.
STATE_LETTERS = {
    "identity": "willsoft_privacy.mail_template_request_identity",
    "done": "willsoft_privacy.mail_template_request_done",
    "refused": "willsoft_privacy.mail_template_request_refused",
}


def _lang_selection(model):
    return model.env["res.lang"].get_installed()


# A spreadsheet runs a cell that starts with one of these as a formula.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """The value as a spreadsheet shows it as text: a leading quote keeps a
    name such as "=HYPERLINK(...)" from running (OWASP's CSV injection)."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return f"'{value}"
    return value


class WillsoftPrivacyRequest(models.Model):
    _name = "willsoft.privacy.request"
    _description = "Data-subject request"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, due_date, id desc"
    _mail_post_access = "read"
    _rec_names_search = ["name", "partner_id", "requester_name", "requester_email"]

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    kind = fields.Selection(
        KINDS, string="Request", required=True, default="access", tracking=True
    )
    kind_label = fields.Char(string="Request type", compute="_compute_kind_label")
    channel = fields.Selection(
        CHANNELS, string="Received by", required=True, default="letter"
    )
    state = fields.Selection(
        STATES,
        string="Status",
        required=True,
        default="new",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    notice_id = fields.Many2one(
        "willsoft.privacy.notice",
        string="Privacy notice version",
        readonly=True,
        ondelete="set null",
        help="The version of the privacy notice in force, or shown on the form, "
        "when the request was made.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        index=True,
        tracking=True,
        help="The data subject. Leave empty while the sender is not identified.",
    )
    requester_name = fields.Char(string="Name given")
    requester_email = fields.Char(string="Email given")
    reply_email = fields.Char(string="Reply to", compute="_compute_reply_email")
    # What the answer needs even once an erasure has cleared the person's own
    # record: kept from intake until the answer is sent, then cleared.
    answer_email = fields.Char(
        string="Answer goes to",
        readonly=True,
        copy=False,
        help="The address the request came from or was proven at intake. The "
        "answer goes there, even after an erasure, and it is cleared once the "
        "answer is sent.",
    )
    answer_name = fields.Char(string="Name for the answer", readonly=True, copy=False)
    answer_lang = fields.Char(
        string="Language of the answer", readonly=True, copy=False
    )
    contact_ids = fields.Many2many(
        "res.partner",
        "willsoft_privacy_request_contact_rel",
        "request_id",
        "partner_id",
        string="Contact persons also covered",
        domain="[('parent_id', '=', partner_id)]",
        help="A request is about one person: a company's request covers the "
        "company's own data only. Add a contact person here only when they "
        "asked too; each addition is logged in the audit log.",
    )
    lang = fields.Char(string="Language", compute="_compute_lang")
    description = fields.Text(string="What the person asks")
    received_date = fields.Date(
        string="Received on",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    first_due_date = fields.Date(
        string="Due within one month",
        compute="_compute_due_date",
        store=True,
        help="GDPR Art. 12(3): one calendar month from receipt.",
    )
    due_date = fields.Date(
        string="Due on",
        compute="_compute_due_date",
        store=True,
        index=True,
        help="One month from receipt, plus any extension.",
    )
    extension_months = fields.Integer(
        string="Extended by (months)", readonly=True, copy=False, tracking=True
    )
    extension_reason = fields.Text(string="Reason for the extension", copy=False)
    deadline_status = fields.Selection(
        DEADLINES, string="Deadline", compute="_compute_deadline_status"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Officer in charge",
        tracking=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref(OFFICER_GROUP).ids),
        ],
    )
    outcome = fields.Text(help="What was done. The completion letter quotes it.")
    kept_note = fields.Text(
        string="What is kept and why",
        compute="_compute_kept_note",
        help="Data a legal obligation keeps, quoted in the completion letter.",
    )
    refusal_reason = fields.Text(
        string="Reason for refusal", help="The refusal letter quotes it."
    )
    erasure_preview = fields.Html(
        string="Erasure preview",
        compute="_compute_erasure_preview",
        sanitize=False,
        help="The dry run of Erase now: what the personal-data map finds about "
        "the person and what a legal obligation keeps.",
    )
    access_information = fields.Html(
        string="What the law says we tell",
        compute="_compute_access_information",
        sanitize=False,
        help="GDPR Art. 15(1), generated from the register of processing in the "
        "person's language: the completion letter of a copy carries it, as "
        "does the export.",
    )
    restriction_until = fields.Date(
        string="Restricted until",
        readonly=True,
        copy=False,
        help="The day the restriction of processing ends; the person is told "
        "beforehand (GDPR 18(3)).",
    )
    restriction_notice_date = fields.Datetime(
        string="Told of the end of the restriction on", readonly=True, copy=False
    )
    # GDPR Art. 19: the recipients told of a correction, erasure or
    # restriction.
    recipient_ids = fields.One2many(
        "willsoft.privacy.request.recipient",
        "request_id",
        string="Recipients (GDPR 19)",
        copy=False,
    )
    recipients_requested = fields.Boolean(
        string="The person asks who the recipients are",
        help="The completion letter then names them (GDPR Art. 19).",
    )
    recipients_summary = fields.Html(
        string="Recipients told",
        compute="_compute_recipients_summary",
        sanitize=False,
    )
    closed_date = fields.Date(string="Answered on", readonly=True, copy=False)
    marketing_stopped_date = fields.Datetime(
        string="Marketing stopped on", readonly=True, copy=False
    )
    objection_processing_id = fields.Many2one(
        "willsoft.privacy.processing",
        string="Marketing objected to",
        default=lambda self: self.env.ref(
            "willsoft_privacy.processing_marketing", raise_if_not_found=False
        ),
        domain="[('legal_basis', '=', 'consent')]",
        help="Only the person's own new consent to this purpose lifts the "
        "objection (GDPR 21(3)); a consent to another purpose never does.",
    )
    # Rectification: the values the person proposes.
    rect_name = fields.Char(string="Proposed name")
    rect_email = fields.Char(string="Proposed email")
    rect_phone = fields.Char(string="Proposed phone")
    rect_street = fields.Char(string="Proposed street")
    rect_zip = fields.Char(string="Proposed postcode")
    rect_city = fields.Char(string="Proposed city")
    rect_country_id = fields.Many2one("res.country", string="Proposed country")
    rect_lang = fields.Selection(_lang_selection, string="Proposed language")
    rectification_diff = fields.Html(
        string="Proposed changes", compute="_compute_rectification_diff", sanitize=True
    )
    rectification_applied = fields.Boolean(readonly=True, copy=False)
    # Copy and portability.
    export_attachment_id = fields.Many2one(
        "ir.attachment", string="Export (JSON)", readonly=True, copy=False
    )
    export_csv_attachment_id = fields.Many2one(
        "ir.attachment", string="Export (CSV)", readonly=True, copy=False
    )
    export_pdf_attachment_id = fields.Many2one(
        "ir.attachment", string="Export (PDF)", readonly=True, copy=False
    )
    export_date = fields.Datetime(string="Export made on", readonly=True, copy=False)
    export_expiry = fields.Datetime(
        string="Download link valid until", readonly=True, copy=False
    )
    export_available = fields.Boolean(
        string="Export ready", compute="_compute_export_available"
    )
    proof_only_date = fields.Date(
        string="Reduced to its proof on",
        readonly=True,
        copy=False,
        help="After the company's months of proof, a request keeps only what "
        "proves how it was answered: its kind, dates and outcome.",
    )

    _sql_constraints = [
        (
            "extension_range",
            "CHECK(extension_months BETWEEN 0 AND 2)",
            "A request can be extended by two further months at most.",
        ),
    ]

    # Computes

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {key: index for index, (key, _label) in enumerate(STATES)}
        for request in self:
            request.state_sequence = order.get(request.state, 0)

    @api.depends("kind")
    @api.depends_context("lang")
    def _compute_kind_label(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for request in self:
            request.kind_label = labels.get(request.kind)

    @api.depends("partner_id.email", "requester_email", "answer_email")
    def _compute_reply_email(self):
        for request in self:
            request.reply_email = (
                request.answer_email
                or request.partner_id.email
                or request.requester_email
            )

    @api.depends("partner_id.lang", "answer_lang")
    def _compute_lang(self):
        for request in self:
            request.lang = (
                request.partner_id.lang
                or request.answer_lang
                or request.company_id.partner_id.lang
            )

    @api.depends("received_date", "extension_months")
    def _compute_due_date(self):
        for request in self:
            if not request.received_date:
                request.first_due_date = request.due_date = False
                continue
            # relativedelta clamps to the month's last day: 31 January + one
            # month is 28 (or 29) February.
            request.first_due_date = request.received_date + relativedelta(months=1)
            request.due_date = request.received_date + relativedelta(
                months=1 + request.extension_months
            )

    @api.depends("state", "due_date")
    @api.depends_context("tz")
    def _compute_deadline_status(self):
        today = fields.Date.context_today(self)
        for request in self:
            if request.state not in OPEN_STATES:
                request.deadline_status = "closed"
            elif request.due_date and request.due_date < today:
                request.deadline_status = "overdue"
            elif request.due_date and request.due_date <= today + timedelta(days=7):
                request.deadline_status = "week"
            else:
                request.deadline_status = "later"

    @api.depends("partner_id.privacy_accounting_hold_date", "kind")
    def _compute_kept_note(self):
        today = fields.Date.context_today(self)
        for request in self:
            partner = request.partner_id.commercial_partner_id
            hold = partner.privacy_accounting_hold_date
            if request.kind in ("erasure", "restriction") and hold and hold >= today:
                request.kept_note = self.env._(
                    "Accounting vouchers (invoices) with your name and address "
                    "are kept until %(date)s, as the Finnish Accounting Act "
                    "(kirjanpitolaki, chapter 2, section 10) requires.",
                    date=format_date(self.env, hold, lang_code=request.lang),
                )
            else:
                request.kept_note = False

    @api.depends("partner_id", "kind", "state")
    def _compute_erasure_preview(self):
        data_map = self.env["willsoft.privacy.data.map"].sudo()
        labels = {h["kind"]: h["label"] for h in data_map._handlers()}
        for request in self:
            if request.kind != "erasure" or not request.partner_id:
                request.erasure_preview = False
                continue
            counts = data_map._counts(request._erasure_subjects())
            rows = Markup("").join(
                Markup(
                    "<tr><td>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end'>%s</td></tr>"
                )
                % (
                    labels.get(kind, kind),
                    count["found"] - count["held"],
                    count["held"],
                )
                for kind, count in counts.items()
                if count["found"]
            )
            request.erasure_preview = Markup(
                "<table class='table table-sm o_privacy_erasure_preview'><thead><tr>"
                "<th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
                "</tr></thead><tbody>%s</tbody></table>"
            ) % (
                self.env._("Kind of record"),
                self.env._("Erased"),
                self.env._("Kept by law"),
                rows,
            )

    @api.depends("kind", "company_id", "partner_id.lang", "answer_lang")
    def _compute_access_information(self):
        Processing = self.env["willsoft.privacy.processing"]
        for request in self:
            if request.kind not in ("access", "portability"):
                request.access_information = False
                continue
            processing = Processing.with_context(lang=request.lang)
            labels = processing._art15_labels()
            parts = Markup("")
            for part in processing._art15_information(request.company_id):
                items = Markup("").join(
                    Markup("<li>%s</li>")
                    % Markup("<br/>").join(
                        Markup("%s: %s") % (labels.get(key, key), value)
                        if len(item) > 1
                        else value
                        for key, value in item.items()
                        if value
                    )
                    for item in part["items"]
                )
                parts += Markup("<p><strong>%s</strong></p><ul>%s</ul>") % (
                    part["title"],
                    items,
                )
            request.access_information = parts

    @api.depends("recipient_ids.name", "recipient_ids.state", "partner_id.lang")
    def _compute_recipients_summary(self):
        for request in self:
            if not request.recipient_ids:
                request.recipients_summary = False
                continue
            env = request.with_context(lang=request.lang).env
            states = dict(
                env["willsoft.privacy.request.recipient"]
                ._fields["state"]
                ._description_selection(env)
            )
            request.recipients_summary = Markup(
                "<p><strong>%s</strong></p><ul>%s</ul>"
            ) % (
                env._("Whom we told (GDPR Art. 19):"),
                Markup("").join(
                    Markup("<li>%s: %s</li>") % (line.name, states[line.state])
                    for line in request.recipient_ids
                ),
            )

    @api.depends("partner_id", *RECTIFIABLE.values())
    def _compute_rectification_diff(self):
        for request in self:
            rows = request._rectification_changes()
            if not rows:
                request.rectification_diff = False
                continue
            body = Markup("").join(
                Markup(
                    "<tr><th>%s</th><td><del>%s</del></td><td><ins>%s</ins></td></tr>"
                )
                % (label, old or "", new or "")
                for label, old, new in request._rectification_rows()
            )
            request.rectification_diff = Markup(
                '<table class="table table-sm o_privacy_rect_diff">'
                "<thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
                "<tbody>%s</tbody></table>"
            ) % (self.env._("Field"), self.env._("Now"), self.env._("Proposed"), body)

    @api.depends("export_attachment_id", "export_expiry")
    def _compute_export_available(self):
        now = fields.Datetime.now()
        for request in self:
            request.export_available = bool(
                request.export_attachment_id
                and request.export_expiry
                and request.export_expiry > now
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/privacy/request/{request.id}"

    # Constraints

    @api.constrains("partner_id", "requester_email", "kind")
    def _check_person(self):
        for request in self:
            if not request.partner_id and not request.requester_email:
                raise ValidationError(
                    self.env._(
                        "Give the person: choose a contact, or type the name and "
                        "email address the request came from."
                    )
                )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        Notice = self.env["willsoft.privacy.notice"]
        for vals in vals_list:
            if not vals.get("notice_id"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["notice_id"] = Notice._current(company).id
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "willsoft.privacy.request"
                ) or self.env._("New")
            vals.update(self._answer_values(vals))
        requests = super().create(vals_list)
        requests._log_contacts(requests.contact_ids)
        for request in requests:
            if request.partner_id:
                request.message_subscribe(partner_ids=request.partner_id.ids)
            # A request that starts in identity check gets that letter only.
            request._send_letter(
                STATE_LETTERS.get(request.state)
                or "willsoft_privacy.mail_template_request_received"
            )
            if request.kind == "objection" and request.partner_id:
                request._stop_marketing()
        requests._sync_deadline_activity()
        return requests

    def write(self, vals):
        added = {}
        if "contact_ids" in vals:
            added = {request: request.contact_ids for request in self}
        if vals.get("partner_id"):
            for request in self.filtered(lambda r: not r.answer_email):
                # Identified only now: the answer goes to the person's address.
                super(WillsoftPrivacyRequest, request).write(
                    request._answer_values(vals)
                )
        result = super().write(vals)
        for request, before in added.items():
            request._log_contacts(request.contact_ids - before)
        if DEADLINE_FIELDS & vals.keys():
            self._sync_deadline_activity()
        return result

    @api.model
    def _answer_values(self, vals):
        """Where and how the answer goes, taken at intake: the address the
        request came from, else the person's."""
        partner = self.env["res.partner"].sudo().browse(vals.get("partner_id"))
        values = {}
        if not vals.get("answer_email"):
            email = vals.get("requester_email") or partner.email
            if email:
                values["answer_email"] = email
        if not vals.get("answer_name"):
            name = vals.get("requester_name") or partner.name
            if name:
                values["answer_name"] = name
        if not vals.get("answer_lang") and partner.lang:
            values["answer_lang"] = partner.lang
        return values

    def _log_contacts(self, contacts):
        """An officer widened the request to contact persons: the audit log
        says so (by database ids, as it names nobody)."""
        for request in self:
            added = contacts & request.contact_ids
            if not added:
                continue
            self.env["willsoft.privacy.audit.log"]._log(
                "scope",
                partner=request.partner_id,
                counts={"contacts": len(added)},
                message=self.env._(
                    "Request %(name)s also covers contact persons %(ids)s, "
                    "added by the officer.",
                    name=request.name,
                    ids=", ".join(str(i) for i in added.ids),
                ),
            )
            request.message_post(
                body=self.env._(
                    "Also covers: %(names)s.",
                    names=", ".join(added.mapped("display_name")),
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A request by email: the sender is matched to the contact whose
        proven address it is, and the request waits in identity check unless
        it only stops sending (an objection, a withdrawal); an unknown
        sender's always waits."""
        author = self._proven_sender(msg_dict)
        user, root = self.env.user, self.env.ref("base.user_root")
        if (
            user != root
            and user.partner_id != author
            and email_normalize(user.email or "")
            == email_normalize(msg_dict.get("email_from") or "")
        ):
            # The gateway runs as the user whose typed address is the
            # sender's: the request would be that user's, and so the letters.
            return self.with_user(root).message_new(msg_dict, custom_values)
        values = dict(custom_values or {})
        # The message's author too, not the gateway's guess: it matched the
        # typed address, and would make that partner the author and a
        # follower of someone else's request.
        msg_dict["author_id"] = author.id
        text = tools.html2plaintext(msg_dict.get("body") or "")
        subject = msg_dict.get("subject") or ""
        values.setdefault("channel", "email")
        values.setdefault("kind", self._guess_kind(f"{subject} {text}"))
        values["description"] = "\n\n".join(part for part in (subject, text) if part)
        if author:
            values["partner_id"] = author.id
            # Anyone can write a From: header. A request that would hand over
            # or change the person's data waits for the identity check; one
            # that only stops sending may go ahead.
            if values["kind"] not in ACT_ON_SENDER_KINDS:
                values.setdefault("state", "identity")
        else:
            name, email = tools.parse_contact_from_email(
                msg_dict.get("email_from") or ""
            )
            values.update(
                {
                    "requester_name": name or email,
                    "requester_email": email,
                    "state": "identity",
                }
            )
        # The reference comes from the sequence, not from the subject.
        values["name"] = "/"
        return super().message_new(msg_dict, custom_values=values)

    @api.model
    def _proven_sender(self, msg_dict):
        """The contact an emailed request comes from: the one whose proven
        address is the sender's. The mail gateway matches the typed address,
        which a portal user may set to anyone's on their own account
        (``res_partner.py``). Several contacts with the sender's
        proven address: the gateway's choice if it is one of them, else
        nobody (the officer chooses)."""
        Partner = self.env["res.partner"].sudo()
        email = email_normalize(msg_dict.get("email_from") or "")
        if not email:
            return Partner
        proven = Partner.search([("privacy_email_proven", "=", email)])
        author = proven.filtered(lambda p: p.id == msg_dict.get("author_id"))
        return author or (proven if len(proven) == 1 else Partner)

    @api.model
    def _guess_kind(self, text):
        """The kind of an emailed request, from words in English, Finnish
        and Swedish; the officer corrects it when needed."""
        text = text.lower()
        words = [
            ("objection", ("marketing", "markkinoin", "marknadsför", "newsletter")),
            ("erasure", ("delete", "erase", "poista", "radera", "ta bort")),
            ("rectification", ("correct", "korja", "rätta", "update my")),
            ("portability", ("portab", "siirr", "flytt")),
            ("consent", ("consent", "suostum", "samtyck")),
            ("restriction", ("restrict", "rajoit", "begräns")),
        ]
        for kind, keys in words:
            if any(key in text for key in keys):
                return kind
        return "access"

    # Actions

    def action_identity_check(self):
        self._check_officer()
        self._check_state(
            ("new",), self.env._("Only a new request can go to identity check.")
        )
        self.write({"state": "identity"})
        self._send_state_letter()
        return True

    def action_start(self):
        self._check_officer()
        self._check_state(
            ("new", "identity"),
            self.env._("Only a new request or one in identity check can be started."),
        )
        for request in self:
            if not request.partner_id:
                raise UserError(
                    self.env._(
                        "Identify the person first: choose the contact this "
                        "request is about."
                    )
                )
        self.write({"state": "progress", "user_id": self.user_id.id or self.env.uid})
        for request in self.filtered(lambda r: r.kind == "objection"):
            request._stop_marketing()
        return True

    def action_extend(self, months, reason):
        """Extend the deadline by ``months`` (GDPR 12(3)), telling the person
        why. Only while the first month runs and two months in all."""
        self._check_officer()
        self._check_state(
            OPEN_STATES, self.env._("An answered request cannot be extended.")
        )
        today = fields.Date.context_today(self)
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Give the reason for the extension; the person is told.")
            )
        for request in self:
            if today > request.first_due_date:
                raise UserError(
                    self.env._(
                        "The first month ran out on %(date)s: an extension must "
                        "be told to the person within the first month.",
                        date=format_date(self.env, request.first_due_date),
                    )
                )
            if months < 1 or request.extension_months + months > 2:
                raise UserError(
                    self.env._(
                        "A request can be extended by two further months at most."
                    )
                )
        for request in self:
            request.write(
                {
                    "extension_months": request.extension_months + months,
                    "extension_reason": reason,
                }
            )
            request._send_letter("willsoft_privacy.mail_template_request_extended")
        return True

    def action_done(self):
        self._check_officer()
        self._check_state(
            ("progress",), self.env._("Only a request in progress can be completed.")
        )
        for request in self:
            if not (request.outcome or "").strip():
                raise UserError(
                    self.env._(
                        "Write the outcome first: the completion letter tells it."
                    )
                )
            if (
                request.kind == "rectification"
                and request._rectification_changes()
                and not request.rectification_applied
            ):
                raise UserError(
                    self.env._("Apply or clear the proposed corrections first.")
                )
            if "pending" in request.recipient_ids.mapped("state"):
                raise UserError(
                    self.env._(
                        "Record for each recipient whether they were told of the "
                        "change, or why not (GDPR Art. 19)."
                    )
                )
        self.write({"state": "done", "closed_date": fields.Date.context_today(self)})
        self._send_state_letter()
        return True

    def action_refuse(self):
        self._check_officer()
        self._check_state(OPEN_STATES, self.env._("This request is already answered."))
        for request in self:
            if not (request.refusal_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write the reason for the refusal first: the person is told."
                    )
                )
        self.write({"state": "refused", "closed_date": fields.Date.context_today(self)})
        self._send_state_letter()
        return True

    def action_apply_rectification(self):
        """Write the proposed values on the person and tell them."""
        self._check_officer()
        self._check_state(
            ("progress",), self.env._("Start the request before applying corrections.")
        )
        for request in self:
            changes = request._rectification_changes()
            if not changes:
                raise UserError(self.env._("No corrections are proposed."))
            summary = Markup("<ul>%s</ul>") % Markup("").join(
                Markup("<li>%s: %s → %s</li>") % (label, old or "", new or "")
                for label, old, new in request._rectification_rows()
            )
            request._keep_invoice_documents(changes)
            request.partner_id.sudo().write(changes)
            request.rectification_applied = True
            request._list_recipients()
            request.message_post(
                body=Markup("<p>%s</p>%s")
                % (self.env._("Corrections applied to the person:"), summary),
                partner_ids=request.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
        return True

    def action_prepare_export(self):
        self._check_officer()
        self._check_state(
            ("progress",), self.env._("Start the request before preparing the export.")
        )
        for request in self:
            if request.kind not in ("access", "portability"):
                raise UserError(
                    self.env._("Only a copy or portability request gets an export.")
                )
            request._make_export()
        return True

    def action_run_erasure(self):
        self._check_officer()
        self._check_state(
            ("progress",), self.env._("Start the request before erasing.")
        )
        for request in self:
            if request.kind != "erasure":
                raise UserError(self.env._("Only an erasure request erases data."))
            outcome = request._run_erasure()
            request.outcome = outcome
            request._list_recipients()
            request.message_post(body=outcome, subtype_xmlid="mail.mt_note")
        return True

    @api.model
    def action_open_desk(self):
        """The officers' desk, its title counting what is open and late."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "willsoft_privacy.willsoft_privacy_request_action"
        )
        today = fields.Date.context_today(self)
        open_domain = [("state", "in", OPEN_STATES)]
        open_count = self.search_count(open_domain)
        overdue_count = self.search_count(open_domain + [("due_date", "<", today)])
        if overdue_count:
            action["name"] = self.env._(
                "Requests: %(open)s open, %(overdue)s overdue",
                open=open_count,
                overdue=overdue_count,
            )
        else:
            action["name"] = self.env._("Requests: %(open)s open", open=open_count)
        return action

    def action_restrict_processing(self):
        """GDPR 18: keep the person's data but do nothing else with it. The
        data goes under a legal hold (nothing is anonymised meanwhile) and
        marketing stops; the officer lifts the hold on the partner when the
        restriction ends."""
        self._check_officer()
        self._check_state(
            ("progress",), self.env._("Start the request before restricting.")
        )
        for request in self:
            if request.kind != "restriction":
                raise UserError(
                    self.env._("Only a restriction request restricts processing.")
                )
            until = fields.Date.context_today(self) + relativedelta(years=1)
            # The person who asked, not their colleagues or organisation: a
            # contact person's restriction holds that person alone; a legal
            # hold that runs longer (a dispute) stays as it is.
            person = request.partner_id.sudo()
            if person.privacy_hold_until and person.privacy_hold_until > until:
                until = person.privacy_hold_until
            else:
                person.write(
                    {
                        "privacy_hold_reason": self.env._(
                            "Processing restricted on request %(name)s (GDPR 18)",
                            name=request.name,
                        ),
                        "privacy_hold_until": until,
                    }
                )
            request.restriction_until = person.privacy_hold_until
            request._list_recipients()
            request._stop_marketing()
            request.outcome = self.env._(
                "The processing of your data is restricted: we keep it, but use "
                "it for nothing else and send you no marketing, until %(date)s "
                "or until you tell us the reason has ended.",
                date=format_date(self.env, until, lang_code=request.lang),
            )
            request.message_post(body=request.outcome, subtype_xmlid="mail.mt_note")
        return True

    def action_lift_restriction(self):
        """End a restriction early (its reason has ended): the person is told
        first (GDPR 18(3)), and the restriction ends after the notice
        period."""
        self._check_officer()
        for request in self:
            if request.kind != "restriction" or not request.restriction_until:
                raise UserError(self.env._("This request restricted nothing."))
        lift_on = fields.Date.context_today(self) + timedelta(
            days=RESTRICTION_NOTICE_DAYS
        )
        for request in self.filtered(lambda r: r.restriction_until > lift_on):
            partner = request.partner_id.sudo()
            if partner.privacy_hold_until == request.restriction_until:
                partner.privacy_hold_until = lift_on
            request.restriction_until = lift_on
            request.restriction_notice_date = False
        self._tell_restriction_end()
        return True

    # Business methods

    def _check_officer(self):
        if not self.env.su and not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(self.env._("Only a privacy officer can answer requests."))

    def _check_state(self, states, message):
        if any(request.state not in states for request in self):
            raise UserError(message)

    def _send_state_letter(self):
        for request in self:
            xmlid = STATE_LETTERS.get(request.state)
            if xmlid:
                request._send_letter(xmlid)
            if request.state in ("done", "refused"):
                # The answer is on its way: the address has served its purpose.
                request.write({"answer_email": False, "answer_name": False})

    def _send_letter(self, template_xmlid):
        """Send the letter in the person's language; the mail appears in the
        request's chatter."""
        self.ensure_one()
        if not self.reply_email:
            self.message_post(
                body=self.env._("No email address: send this letter by post."),
                subtype_xmlid="mail.mt_note",
            )
            return
        template = self.env.ref(template_xmlid)
        email_values = None
        if self.answer_email and email_normalize(
            self.partner_id.email or ""
        ) != email_normalize(self.answer_email):
            # The person's record no longer has the address the request came
            # from (an erasure cleared it): the letter goes there all the same.
            email_values = {"email_to": self.answer_email, "recipient_ids": []}
        template.sudo().send_mail(
            self.id,
            email_values=email_values,
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _rectification_changes(self):
        """The proposed values that differ from the person's, as a dict for
        ``res.partner.write``."""
        self.ensure_one()
        partner = self.partner_id
        changes = {}
        for field_name, rect_name in RECTIFIABLE.items():
            proposed = self[rect_name]
            if not proposed:
                continue
            current = partner[field_name] if partner else False
            if isinstance(proposed, models.BaseModel):
                if proposed != current:
                    changes[field_name] = proposed.id
            elif proposed != current:
                changes[field_name] = proposed
        return changes

    def _keep_invoice_documents(self, changes):
        """Before a correction changes what a retained invoice shows of its
        buyer, store each such invoice's document as core prints it (its
        invoice PDF, as account.move.send makes it): printed or sent again,
        the invoice shows what it showed (VAT Act 209 e §), and the
        correction applies from then on."""
        self.ensure_one()
        if not set(changes) & set(BUYER_FIELDS):
            return self.env["account.move"]
        partner = self.partner_id.sudo()
        today = fields.Date.context_today(self)
        Move = self.env["account.move"].sudo()
        moves = Move.search(
            [
                "|",
                "|",
                ("partner_id", "=", partner.id),
                ("partner_shipping_id", "=", partner.id),
                ("commercial_partner_id", "=", partner.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
            ]
        ).filtered(
            lambda m: (
                not m.invoice_pdf_report_id
                and m.company_id._privacy_voucher_retention_end(m.date) >= today
            )
        )
        if not moves:
            return moves
        # Core's own generation, without sending anything.
        Send = self.env["account.move.send"].sudo()
        moves_data = {
            move: Send._get_default_sending_settings(
                move, sending_methods=set(), extra_edis=set()
            )
            for move in moves
        }
        Send._generate_invoice_documents(moves_data)
        errors = {m: d for m, d in moves_data.items() if d.get("error")}
        if errors:
            Send._hook_if_errors(errors, allow_raising=True)
        self.message_post(
            body=self.env._(
                "Before the correction, the documents of %(count)s retained "
                "invoices were stored as they were: %(names)s.",
                count=len(moves),
                names=", ".join(moves.mapped("name")),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return moves

    def _rectification_rows(self):
        self.ensure_one()
        partner = self.partner_id
        rows = []
        for field_name in self._rectification_changes():
            field = partner._fields[field_name]
            label = field._description_string(self.env)
            rect = self[RECTIFIABLE[field_name]]
            old = partner[field_name]
            if field.type == "many2one":
                old, new = old.display_name, rect.display_name
            elif field.type == "selection":
                labels = dict(field._description_selection(self.env))
                old, new = labels.get(old, old), labels.get(rect, rect)
            else:
                new = rect
            rows.append((label, old, new))
        return rows

    def _tell_restriction_end(self):
        """Tell each person, once, the day their restriction ends."""
        for request in self.filtered(lambda r: not r.restriction_notice_date):
            request._send_letter(
                "willsoft_privacy.mail_template_request_restriction_ending"
            )
            request.restriction_notice_date = fields.Datetime.now()
            request.message_post(
                body=self.env._(
                    "The person was told that the restriction ends on %(date)s.",
                    date=format_date(self.env, request.restriction_until),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _list_recipients(self):
        """GDPR Art. 19: the recipients the register of processing names, one
        line each, for the officer to record that each was told (or why
        not)."""
        self.ensure_one()
        if self.recipient_ids:
            return self.recipient_ids
        register = (
            self.env["willsoft.privacy.processing"]
            .sudo()
            .with_context(lang=self.env.lang)
            .search([("company_id", "in", [False, self.company_id.id])])
        )
        names = []
        for text in register.mapped("recipients"):
            for name in (text or "").split(";"):
                name = name.strip().rstrip(".")
                name = name[:1].upper() + name[1:]
                if name and name not in names:
                    names.append(name)
        return self.env["willsoft.privacy.request.recipient"].create(
            [{"request_id": self.id, "name": name} for name in names]
        )

    def _stop_marketing(self):
        """GDPR 21(3): an objection to direct marketing is absolute. Put the
        person's proven address on the blacklist at once and for good. An
        address the person only typed on their own account may be someone
        else's (``res_partner.py``): it never goes on the
        blacklist. Without a proven address the objection waits: the officer
        verifies the address, then starts the request."""
        self.ensure_one()
        if self.marketing_stopped_date or not self.partner_id:
            return
        proven = self.partner_id._privacy_proven_email()
        typed = email_normalize(self.partner_id.email or "")
        if not proven:
            if typed:
                self.message_post(
                    body=self.env._(
                        "Objection to direct marketing recorded, but nothing was "
                        "put on the blacklist: %(email)s is not confirmed as the "
                        "person's address. Verify the email on the contact, then "
                        "start the request.",
                        email=typed,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            return
        note = self.env._(
            "Objection to direct marketing (request %(name)s): never send "
            "marketing to this address again.",
            name=self.name,
        )
        self.env["mail.blacklist"].sudo()._add(proven, message=note)
        self.marketing_stopped_date = fields.Datetime.now()
        body = self.env._(
            "Marketing stopped: %(email)s is on the blacklist.", email=proven
        )
        if typed and typed != proven:
            body = self.env._(
                "Marketing stopped: %(email)s is on the blacklist. %(typed)s, "
                "on the contact but not confirmed as the person's, is not.",
                email=proven,
                typed=typed,
            )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _collect_export(self):
        """Everything held about the person, for a copy (Art. 15) or
        portability (Art. 20): what the personal-data map finds (their
        consents and privacy requests among it), with what a legal obligation
        keeps.

        Returns ``{kind: {"label": str, "records": [dict, ...],
        "withheld": [{"id": int, "reason": str}]}}``.
        """
        self.ensure_one()
        # The map runs as superuser over a fixed person: the caller is an
        # officer (checked by the actions) or the portal user themself.
        return (
            self.env["willsoft.privacy.data.map"]
            .sudo()
            ._export(self.partner_id, self.contact_ids)
        )

    def _erasure_subjects(self):
        """Whom the request is about: the person (a contact person, or a
        company for its own data), and the contact persons the officer
        explicitly added."""
        self.ensure_one()
        return (
            (self.partner_id | self.contact_ids).sudo().with_context(active_test=False)
        )

    def _run_erasure(self):
        """Erase the person's data now (GDPR 17) with stage 1 of the retention
        engine, and return, as text in the person's language, what was erased
        and what a legal obligation keeps, why and until when."""
        self.ensure_one()
        subjects = self._erasure_subjects()
        today = fields.Date.context_today(self)
        for partner in subjects:
            if partner._privacy_on_hold(today):
                raise UserError(
                    self.env._(
                        "%(person)s is on legal hold until %(date)s: nothing can "
                        "be erased before. Extend or refuse the request, giving "
                        "the hold as the reason.",
                        person=partner.display_name,
                        date=format_date(self.env, partner.privacy_hold_until),
                    )
                )
        # Before the erasure, in the person's language: what there is to
        # erase and what is kept.
        data_map = (
            self.env["willsoft.privacy.data.map"].sudo().with_context(lang=self.lang)
        )
        summary = data_map._summary(subjects)
        # The erasure ends the consents it erases the data of: the ledger
        # never says "given" for data that is gone.
        self.env["willsoft.privacy.retention"].sudo()._erase_persons(
            subjects,
            note=self.env._(
                "Withdrawn by the erasure request %(name)s.", name=self.name
            ),
        )
        env = self.with_context(lang=self.lang).env
        erased = [
            f"{row['label']} ({row['found'] - row['held']})"
            for row in summary
            if row["found"] > row["held"]
        ]
        kept = [
            f"{row['label']} ({row['held']}): {' '.join(sorted(row['reasons']))}"
            for row in summary
            if row["held"]
        ]
        parts = [
            env._(
                "Your personal data has been erased: %(what)s.", what=", ".join(erased)
            )
            if erased
            else env._("We found no personal data about you to erase.")
        ]
        if kept:
            parts.append(
                env._(
                    "We keep, because the law requires it: %(what)s",
                    what=" ".join(kept),
                )
            )
        return "\n".join(parts)

    def _make_export(self):
        """Build the export files (JSON, CSV and a readable PDF) and open the
        download links."""
        self.ensure_one()
        # Labels and the readable copy in the person's language.
        self_lang = self.with_context(lang=self.lang)
        data = self_lang._collect_export()
        now = fields.Datetime.now()
        Processing = self_lang.env["willsoft.privacy.processing"]
        information = Processing._art15_information(self.company_id)
        document = {
            "schema": EXPORT_SCHEMA,
            "generated_at": fields.Datetime.to_string(now),
            "controller": self.company_id.name,
            "request": self.name,
            "subject": {"id": self.partner_id.id, "name": self.partner_id.name},
            "information": information,
            "categories": data,
        }
        readable = (
            self_lang.env["willsoft.privacy.data.map"]
            .sudo()
            ._readable(data, limit=EXPORT_PDF_RECORDS)
        )
        stem = f"{self.name.replace('/', '-')}-export"
        Attachment = self.env["ir.attachment"].sudo()
        (
            self.export_attachment_id
            | self.export_csv_attachment_id
            | self.export_pdf_attachment_id
        ).sudo().unlink()
        json_file = Attachment.create(
            {
                "name": f"{stem}.json",
                # Not indented: the C encoder writes ten thousand messages in
                # a tenth of the time; the PDF is the copy people read.
                "raw": json.dumps(document, ensure_ascii=False).encode(),
                "mimetype": "application/json",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        csv_file = Attachment.create(
            {
                "name": f"{stem}.csv",
                "raw": self._export_csv(data, information).encode("utf-8-sig"),
                "mimetype": "text/csv",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        pdf, _report_type = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(lang=self.lang)
            ._render_qweb_pdf(
                "willsoft_privacy.willsoft_privacy_request_export_report",
                self.ids,
                data={
                    # The report prints the sections, not the raw categories.
                    "export": {k: v for k, v in document.items() if k != "categories"},
                    "sections": readable,
                    "information_labels": Processing._art15_labels(),
                },
            )
        )
        pdf_file = Attachment.create(
            {
                "name": f"{stem}.pdf",
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.write(
            {
                "export_attachment_id": json_file.id,
                "export_csv_attachment_id": csv_file.id,
                "export_pdf_attachment_id": pdf_file.id,
                "export_date": now,
                "export_expiry": now + timedelta(days=EXPORT_VALID_DAYS),
            }
        )
        self.message_post(
            body=self.env._(
                "Your data export is ready. Download it from My privacy "
                "until %(date)s.",
                date=format_date(self.env, self.export_expiry, lang_code=self.lang),
            ),
            partner_ids=self.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )

    @api.model
    def _export_csv(self, data, information=()):
        """One row per record and field: category, record id, field, value.
        The Art. 15(1) information first, under the category
        ``information.<part>`` with the item's number as record id."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["category", "record_id", "field", "value"])
        for part in information:
            for number, item in enumerate(part["items"], start=1):
                for key, value in item.items():
                    writer.writerow([f"information.{part['key']}", number, key, value])
        for kind, section in data.items():
            for record in section["records"]:
                for key, value in record.items():
                    if key != "id":
                        writer.writerow([kind, record.get("id"), key, csv_safe(value)])
            for withheld in section["withheld"]:
                writer.writerow(
                    [kind, withheld["id"], "withheld", csv_safe(withheld["reason"])]
                )
        return out.getvalue()

    def _export_token(self, fmt):
        self.ensure_one()
        message = (
            self.id,
            fmt,
            self.export_attachment_id.id,
            fields.Datetime.to_string(self.export_expiry),
        )
        return hmac_tool(self.env(su=True), EXPORT_TOKEN_SCOPE, message)

    def _export_url(self, fmt="json"):
        self.ensure_one()
        if not self.export_attachment_id:
            return False
        return f"/my/privacy/export/{self.id}/{fmt}/{self._export_token(fmt)}"

    def _export_check_token(self, fmt, token):
        """The attachment behind a download link, or an empty recordset when
        the token is wrong or has expired."""
        self.ensure_one()
        attachment = {
            "json": self.export_attachment_id,
            "csv": self.export_csv_attachment_id,
            "pdf": self.export_pdf_attachment_id,
        }.get(fmt)
        if (
            not attachment
            or not self.export_expiry
            or self.export_expiry < fields.Datetime.now()
            # consteq refuses non-ASCII text with a TypeError: such a token
            # is simply wrong.
            or not isinstance(token, str)
            or not token.isascii()
            or not consteq(self._export_token(fmt), token)
        ):
            return self.env["ir.attachment"]
        return attachment.sudo()

    @api.model
    def _open_kinds(self, partner):
        return set(
            self.sudo()
            .search([("partner_id", "=", partner.id), ("state", "in", OPEN_STATES)])
            .mapped("kind")
        )

    @api.model
    def _portal_create(self, partner, values):
        """A request filed by ``partner`` in the portal: whitelisted values,
        one open request per kind."""
        kind = values.get("kind")
        if kind not in dict(KINDS):
            raise UserError(self.env._("Choose what you ask for."))
        if kind in self._open_kinds(partner):
            raise UserError(
                self.env._(
                    "You already have an open request of this kind. Add a "
                    "message to it instead."
                )
            )
        company = partner.company_id or self.env.company
        vals = {
            "kind": kind,
            "channel": values.get("channel", "portal"),
            "partner_id": partner.id,
            "company_id": company.id,
            "notice_id": self.env["willsoft.privacy.notice"]
            ._shown(company, values.get("notice_id"))
            .id,
            "description": (values.get("description") or "").strip()[:5000],
        }
        if kind == "rectification":
            for field_name in RECTIFIABLE.values():
                value = values.get(field_name)
                if field_name == "rect_country_id":
                    value = (
                        str(value).isascii()
                        and str(value).isdigit()
                        and int(value) < 2**31
                        and self.env["res.country"].browse(int(value)).exists().id
                    )
                elif field_name == "rect_lang":
                    value = value if value in dict(_lang_selection(self)) else False
                elif value:
                    value = value.strip()[:200]
                if value:
                    vals[field_name] = value
        privacy_request = self.sudo().create(vals)
        if vals["channel"] == "portal" and privacy_request._auto_export():
            privacy_request._answer_with_export()
        return privacy_request

    def _auto_export(self):
        self.ensure_one()
        return self.kind in ("access", "portability") and bool(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("willsoft_privacy.request_auto_export")
        )

    def _answer_with_export(self):
        """Answer a logged-in portal user's copy request at once: the session
        proves who they are."""
        request = self.sudo()
        request.write({"state": "progress"})
        request._make_export()
        request.outcome = self.env._(
            "We prepared an export of your data: download it from My privacy."
        )
        request.action_done()

    def _log_download(self, fmt):
        self.ensure_one()
        # The link works without a login: log it as the system, not as the
        # public user.
        self.sudo().message_post(
            body=self.env._(
                "The export (%(format)s) was downloaded.", format=fmt.upper()
            ),
            author_id=self.env.ref("base.partner_root").id,
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _portal_holdings(self, partner):
        """What we hold about ``partner``, by the categories of the privacy
        notice (section 5), for the My privacy page."""
        partner = partner.sudo()
        address = ", ".join(
            part
            for part in (
                partner.street,
                partner.street2,
                " ".join(p for p in (partner.zip, partner.city) if p),
                partner.country_id.name,
            )
            if part
        )
        lang = dict(self.env["res.lang"].get_installed()).get(
            partner.lang, partner.lang
        )
        # What the personal-data map finds, by the notice's categories: the
        # same search as the export and the erasure.
        data_map = self.env["willsoft.privacy.data.map"]
        records = {"contacts": [], "website": []}
        # Invoices and payments have no card of their own: the export lists
        # them.
        counts = data_map._portal_counts(partner, tuple(records))
        for handler in data_map._handlers():
            found = counts.get(handler["kind"])
            category = handler.get("category", "contacts")
            if found and category in records:
                records[category].append((handler["label"], found))
        organisation = partner.parent_id
        return [
            {
                "title": self.env._(
                    "Your name, position, phone number, email address, postal "
                    "address and language"
                ),
                "items": [
                    (self.env._("Name"), partner.name),
                    (self.env._("Position"), partner.function),
                    (self.env._("Phone"), partner.phone or partner.mobile),
                    (self.env._("Email"), partner.email),
                    (self.env._("Address"), address),
                    (self.env._("Language"), lang),
                ],
            },
            {
                "title": self.env._("Your organisation's name and contact details"),
                "items": [
                    (self.env._("Organisation"), organisation.name),
                    (self.env._("Email"), organisation.email),
                    (self.env._("Phone"), organisation.phone),
                ]
                if organisation
                else [],
            },
            {
                "title": self.env._("Contacts with us (communications, inquiries)"),
                "items": records["contacts"],
            },
            {
                "title": self.env._(
                    "Use of our website (pages visited, IP address and browser)"
                ),
                "items": records["website"],
            },
        ]

    # The deadline as an activity of the officer

    def _deadline_officer(self):
        """The officer in charge, else the first privacy officer."""
        self.ensure_one()
        if self.user_id:
            return self.user_id
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", self.env.ref(OFFICER_GROUP).ids),
                    ("share", "=", False),
                    ("company_ids", "in", self.company_id.ids),
                ],
                order="id",
                limit=1,
            )
        )

    def _sync_deadline_activity(self):
        """One activity per open request, due on its legal date; marked done
        when the request is answered, refused or closed."""
        activity_type = self.env.ref(DEADLINE_ACTIVITY, raise_if_not_found=False)
        if not activity_type:
            return
        # Staff bookkeeping: in the name of the officer acting, or of OdooBot
        # when the person files or is answered through the portal (the notices
        # would read as written by the person, and go into their export).
        requests = self.with_user(SUPERUSER_ID) if self.env.user.share else self.sudo()
        for request in requests:
            activities = request.activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t
            )
            if request.state not in OPEN_STATES:
                activities.action_feedback(
                    feedback=dict(
                        request._fields["state"]._description_selection(self.env)
                    ).get(request.state)
                )
                continue
            if not request.due_date:
                continue
            officer = request._deadline_officer()
            if activities:
                activities.write(
                    {"date_deadline": request.due_date, "user_id": officer.id}
                )
            else:
                request.activity_schedule(
                    act_type_xmlid=DEADLINE_ACTIVITY,
                    date_deadline=request.due_date,
                    user_id=officer.id,
                )

    # Retention of the requests themselves

    def _drop_exports(self):
        """Delete the export files (full copies of the person's data) and
        close their links; returns how many requests had some."""
        with_exports = self.filtered(
            lambda r: (
                r.export_attachment_id
                or r.export_csv_attachment_id
                or r.export_pdf_attachment_id
            )
        )
        (
            with_exports.export_attachment_id
            | with_exports.export_csv_attachment_id
            | with_exports.export_pdf_attachment_id
        ).sudo().unlink()
        with_exports.sudo().write(
            {
                "export_attachment_id": False,
                "export_csv_attachment_id": False,
                "export_pdf_attachment_id": False,
                "export_expiry": False,
            }
        )
        return len(with_exports)

    def _proven(self, today=None):
        """The answered requests whose months of proof have passed."""
        today = today or fields.Date.context_today(self)
        return self.filtered(
            lambda r: (
                r.state in ("done", "refused")
                and r.closed_date
                and r.closed_date
                + relativedelta(months=r.company_id.privacy_request_proof_months)
                <= today
            )
        )

    def _reduce_to_proof(self):
        """Keep only what proves how the right was answered: reference, kind,
        channel, state, dates, outcome and reason of a refusal. The person's
        words, the proposed values, the copies and the mails go."""
        requests = self.sudo().filtered(lambda r: not r.proof_only_date)
        if not requests:
            return 0
        requests._drop_exports()
        keep = {
            "state",
            "kind",
            "received_date",
            "due_date",
            "closed_date",
            "extension_months",
            "user_id",
        }
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", self._name), ("res_id", "in", requests.ids)])
        )
        tracking = messages.tracking_value_ids.filtered(
            lambda t: t.field_id.name not in keep
        )
        tracking.write(
            {
                "old_value_char": False,
                "new_value_char": False,
                "old_value_text": False,
                "new_value_text": False,
            }
        )
        messages.filtered(lambda m: m.message_type != "notification").unlink()
        messages.exists().filtered(lambda m: m.body).write({"body": False})
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", requests.ids)]
        ).unlink()
        values = {
            fname: False
            for fname in (
                "requester_name",
                "requester_email",
                "description",
                "extension_reason",
                "marketing_stopped_date",
                *RECTIFIABLE.values(),
            )
        }
        requests.with_context(tracking_disable=True).write(
            {**values, "proof_only_date": fields.Date.context_today(self)}
        )
        return len(requests)

    @api.model
    def _run_request_retention(self):
        """Daily, with the retention run: export links that have expired lose
        their files, and answered requests past their months of proof are
        reduced to it. Returns (exports deleted, requests reduced)."""
        Request = self.sudo().with_context(active_test=False)
        expired = Request.search(
            [
                ("export_expiry", "<", fields.Datetime.now()),
                "|",
                "|",
                ("export_attachment_id", "!=", False),
                ("export_csv_attachment_id", "!=", False),
                ("export_pdf_attachment_id", "!=", False),
            ]
        )
        dropped = expired._drop_exports()
        answered = Request.search(
            [
                ("state", "in", ("done", "refused")),
                ("proof_only_date", "=", False),
                ("closed_date", "!=", False),
            ]
        )
        reduced = answered._proven()._reduce_to_proof()
        return dropped, reduced

    # Scheduled actions

    @api.model
    def _cron_privacy_restriction_notices(self):
        """Daily: tell the people whose restriction ends within the notice
        period, before it ends."""
        today = fields.Date.context_today(self)
        requests = self.sudo().search(
            [
                ("kind", "=", "restriction"),
                ("restriction_until", ">=", today),
                (
                    "restriction_until",
                    "<=",
                    today + timedelta(days=RESTRICTION_NOTICE_DAYS),
                ),
                ("restriction_notice_date", "=", False),
            ]
        )
        requests._tell_restriction_end()
        return len(requests)
