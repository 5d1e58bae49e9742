# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import lxml.html

from odoo import Command, api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, Query, email_normalize, escape_psql
from odoo.tools.mail import email_split_tuples, formataddr, html2plaintext

from odoo.addons.account.models.mail_message import bypass_token

from .res_partner import NO_ERASED_NOTE, PROOFS_IN_VALUES, SYNC_CHILDREN_LATER
from .willsoft_privacy_erasure_check import normalize_email

# What a retained invoice shows about its buyer (VAT Act 209 e §): these stay
# until the voucher period ends, everything else goes at stage 1.
BUYER_FIELDS = (
    "name",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "vat",
    "company_registry",
    "is_company",
    "parent_id",
    "type",
)
# The person's business documents, and the partner fields that make them
# theirs: their messages, tracked values and attachments are the person's
# too. Models of apps that are not installed are skipped.
DOCUMENT_FIELDS = {
    "account.move": ("partner_id", "commercial_partner_id", "partner_shipping_id"),
    "account.payment": ("partner_id",),
    "sale.order": ("partner_id", "partner_invoice_id", "partner_shipping_id"),
    "purchase.order": ("partner_id",),
}
# Partner fields that identify a person and are exported and erased.
PERSONAL_FIELDS = (
    "name",
    "email",
    "phone",
    "mobile",
    "function",
    "title",
    "website",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "vat",
    "company_registry",
    "ref",
    "lang",
    "comment",
)
# The invoices and credit notes of the invoices handler.
# Characters a mail layout pads its hidden preview with.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def html_text(html):
    """What a mail's reader sees of an HTML body, as lines of text: the
    readable copy prints this, not the markup (the JSON keeps the markup as
    stored). The layout's hidden preview and its empty lines are left out."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    for node in tree.xpath("//*[contains(translate(@style, ' ', ''), 'display:none')]"):
        node.drop_tree()
    # html2plaintext breaks lines at paragraphs and rows only.
    for node in tree.iter("li", "div", "h1", "h2", "h3", "h4", "h5", "h6"):
        node.append(lxml.html.Element("br"))
    text = html2plaintext(lxml.html.tostring(tree, encoding="unicode"))
    lines = (" ".join(line.translate(ZERO_WIDTH).split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# The most fields a kind's records may have to print as one table's rows.
READABLE_COLUMNS = 6
INVOICE_TYPES = ("out_invoice", "out_refund", "in_invoice", "in_refund")

# What a consent keeps of the partner row while it is given (notice,
# section 10): the name and language it was given with, and the address of
# its channel, the one it reaches the person at.
CONSENT_FIELDS = ("name", "lang")
CONSENT_CHANNEL_FIELDS = {
    "email": ("email",),
    "sms": ("mobile", "phone"),
    "phone": ("phone", "mobile"),
    "post": ("street", "street2", "zip", "city", "state_id", "country_id"),
}
# The proof fields of a partner's address and numbers (res_partner.py).
PROOFS_OF = {
    "email": (
        "privacy_email_proven",
        "privacy_email_proof",
        "privacy_email_proven_date",
    ),
    "phone": ("privacy_phone_proven",),
    "mobile": ("privacy_mobile_proven",),
}
PARTNER_EXPORT_FIELDS = (
    *PERSONAL_FIELDS,
    "is_company",
    "parent_id",
    "type",
    "privacy_category",
    "privacy_source",
    "privacy_relationship_start",
    "privacy_relationship_end",
    "privacy_last_contact_date",
)


class WillsoftPrivacyDataMap(models.AbstractModel):
    """Where the personal data of a partner lives, and how it goes.

    One handler per kind of record. A handler is a kind name listed by
    :meth:`_handlers` and the methods of its steps, named step first as
    core names a field's (``_compute_<field>``), so that no other method of
    the map starts with a step and an underscore:

    - ``_find_<kind>(plan)``: the records of every partner of the
      batch, in a fixed number of queries whatever the batch size;
    - ``_domain_<kind>(plan)`` (optional): a domain on the handler's
      model matching exactly what ``find`` finds, so that
      :meth:`_portal_counts` counts the kind in one query with the
      others (a kind without it is counted through its ``find``);
    - ``_export_<kind>(records, plan)``: JSON-serialisable rows;
    - ``_held_<kind>(records, plan)``: ``{id: reason}`` for the
      records a legal obligation keeps (left out: nothing is kept);
    - ``_erase_<kind>(records, plan)``: erase or redact the others,
      return how many were touched (left out: the records are deleted);
    - ``_left_<kind>(records, plan)``: of the records not held that
      are found after the erasure, those that still hold personal data, for
      the erasure check (left out: all of them; a kind whose erasure redacts
      records in place, and finds them again, says which are not redacted).

    A bridge addon adds a kind by inheriting this model, extending
    :meth:`_handlers` (with :meth:`_insert_handlers`) and
    defining the methods; :meth:`_by_partner` and
    :meth:`_emails` serve most finds.
    """

    _name = "willsoft.privacy.data.map"
    _description = "Personal data map"

    @api.model
    def _handlers(self):
        """Kinds in the order they are erased, each a dict with ``kind``,
        ``model`` (whose rows its ``held`` ids are: the erasure check allows
        its hits on them), ``label`` and, optionally:

        - ``category``: the card of the My privacy page that counts it
          (``contacts``, the default, or ``website``);
        - ``why``: what keeps its held records, and until when;
        - ``fields``: ``{key: field name}`` for export keys named otherwise
          than their field of ``model`` (a key that is a field reads as the
          field's label, and a selection's codes as their words, in the
          reader's language);
        - ``labels``: ``{key: label}`` for the keys that are no field;
        - ``value_labels``: ``{key: {code: words}}`` for coded keys that are
          no selection field.

        Portal users before messages
        (retiring a user logs a note on its partner, and archives the partner
        with its activities), the partner last. Consents and requests point
        at the partner and need nothing erased before them: just before it."""
        env = self.env
        accounting = env._(
            "Held while a voucher it belongs to is kept (Accounting Act 2:10), "
            "then erased."
        )
        handlers = [
            {
                "kind": "activities",
                "fields": {"type": "activity_type_id", "due": "date_deadline"},
                "model": "mail.activity",
                "label": env._("Activities"),
            },
            {
                "kind": "login_logs",
                "labels": {"date": env._("Logged in")},
                "model": "res.users.log",
                "label": env._("Portal logins"),
                "category": "website",
            },
        ]
        if "res.device.log" in env:
            handlers.append(
                {
                    "kind": "devices",
                    "fields": {
                        "first": "first_activity",
                        "last": "last_activity",
                        "device": "device_type",
                    },
                    "model": "res.device.log",
                    "label": env._("Devices and sessions"),
                    "category": "website",
                }
            )
        handlers += [
            {
                "kind": "users",
                "model": "res.users",
                "label": env._("Portal users"),
                "why": env._(
                    "An employee's user account: managed by an administrator."
                ),
            },
            {
                "kind": "statement_lines",
                "fields": {
                    "currency": "currency_id",
                    "label": "payment_ref",
                    "holder": "partner_name",
                    "account": "account_number",
                },
                "model": "account.bank.statement.line",
                "label": env._("Bank statement lines"),
                "why": accounting,
            },
            {
                "kind": "banks",
                "fields": {"account": "acc_number", "bank": "bank_id"},
                "model": "res.partner.bank",
                "label": env._("Bank accounts"),
                "why": accounting,
            },
            {
                "kind": "queued_mails",
                "model": "mail.mail",
                "label": env._("Queued e-mails"),
            },
            {
                "kind": "messages",
                "fields": {"type": "message_type"},
                "labels": {
                    "role": env._("Your part"),
                    "document": env._("Document"),
                },
                "value_labels": {
                    "role": {
                        "about": env._("About you"),
                        "author": env._("Written by you"),
                        "recipient": env._("Sent to you"),
                        "document": env._("On your document"),
                    }
                },
                "model": "mail.message",
                "label": env._("Messages and notes"),
                "why": accounting,
            },
            {
                "kind": "tracking",
                "fields": {"field": "field_id"},
                "labels": {
                    "date": env._("Date"),
                    "old": env._("Old value"),
                    "new": env._("New value"),
                },
                "model": "mail.tracking.value",
                "label": env._("Tracked changes"),
                "why": accounting,
            },
            {
                "kind": "attachments",
                "fields": {"size": "file_size"},
                "model": "ir.attachment",
                "label": env._("Attachments"),
                "why": accounting,
            },
            {
                "kind": "followers",
                "fields": {"model": "res_model", "record": "res_id"},
                "model": "mail.followers",
                "label": env._("Followers"),
            },
            # Accounting vouchers: the erasure leaves them as they are (the
            # buyer data on them is the partner's, which the partner handler
            # restricts and later anonymises).
            {
                "kind": "invoices",
                "label": env._("Invoices and credit notes"),
                "category": "accounting",
                "model": "account.move",
                "fields": {
                    "number": "name",
                    "type": "move_type",
                    "date": "invoice_date",
                    "due": "invoice_date_due",
                    "total": "amount_total",
                    "unpaid": "amount_residual",
                    "currency": "currency_id",
                    "payment": "payment_state",
                },
            },
            {
                "kind": "payments",
                "label": env._("Payments"),
                "category": "accounting",
                "model": "account.payment",
                "fields": {
                    "number": "name",
                    "type": "payment_type",
                    "currency": "currency_id",
                },
            },
            {
                "kind": "consents",
                "fields": {
                    "date": "event_time",
                    "purpose": "processing_id",
                    "notice": "notice_id",
                },
                "model": "willsoft.privacy.consent.event",
                "label": env._("Consents and their proof"),
            },
            {
                "kind": "requests",
                "fields": {
                    "reference": "name",
                    "received": "received_date",
                    "due": "due_date",
                },
                "model": "willsoft.privacy.request",
                "label": env._("Privacy requests"),
                "why": env._(
                    "The record of how a privacy request was answered (GDPR "
                    "Art. 5(2)): in full until it is proven, then only its kind, "
                    "dates and outcome."
                ),
            },
            {
                "kind": "partner",
                "model": "res.partner",
                "label": env._("Partner and contact persons"),
                "why": env._(
                    "Name, address and business ID a retained invoice shows "
                    "(Accounting Act 2:10, VAT Act 209 e §)."
                ),
            },
        ]
        return handlers

    # Public API

    @api.model
    def _export(self, partner, contacts=None):
        """Everything we hold about one person (GDPR Art. 15 and 20).

        A request is about one person: a company's export holds the
        company's own data, a contact person's export that person's, never
        their colleagues' (Art. 15(4)). ``contacts`` are contact persons an
        officer explicitly added to the request.
        """
        partner.ensure_one()
        subjects = (partner | (contacts or partner.browse())).with_context(
            active_test=False
        )
        plan = self._plan(subjects)
        result = {}
        for handler in self._handlers():
            kind = handler["kind"]
            records = plan["found"][kind]
            held = self._call_step(kind, "held", records, plan)
            result[kind] = {
                "label": handler["label"],
                "records": self._call_step(kind, "export", records, plan),
                "withheld": [
                    {"id": rec_id, "reason": reason} for rec_id, reason in held.items()
                ],
            }
        self.env["willsoft.privacy.audit.log"]._log(
            "export",
            partner=partner,
            counts={kind: len(data["records"]) for kind, data in result.items()},
        )
        return result

    @api.model
    def _key_labels(self, used=None):
        """For the readable export, per kind: the words for its keys and for
        the coded values of its selection keys, in the context's language.
        Taken from the field definitions of the handler's model where the key
        is a field (as mail reads ``fields_get`` for tracking), declared on
        the handler otherwise. Returns ``(labels, value_labels)``, each
        ``{kind: {key: ...}}``; with ``used`` (``{kind: keys}``), only for
        those keys (describing every field of every model costs more than a
        large export's rows)."""
        labels, value_labels, _html = self._key_terms(used)
        return labels, value_labels

    @api.model
    def _key_terms(self, used=None):
        """``_key_labels``, and per kind the keys whose field is
        HTML (``{kind: set}``): the readable copy prints them as text."""
        labels, value_labels, html = {}, {}, {}
        for handler in self._handlers():
            kind = handler["kind"]
            model = handler.get("model")
            names = None
            if used is not None and model in self.env:
                renamed = handler.get("fields", {})
                names = [renamed.get(key, key) for key in used.get(kind, ())]
                names = [name for name in names if name in self.env[model]._fields]
            described = (
                self.env[model].fields_get(
                    allfields=names, attributes=("string", "type", "selection")
                )
                if model in self.env and names != []
                else {}
            )
            keys = {name: name for name in described}
            keys.update(handler.get("fields", {}))
            labels[kind] = {"id": self.env._("Record number")}
            value_labels[kind] = {}
            html[kind] = set()
            for key, field_name in keys.items():
                field = described.get(field_name)
                if not field:
                    continue
                labels[kind][key] = field["string"]
                if field["type"] == "html":
                    html[kind].add(key)
                if field["type"] == "selection" and isinstance(
                    field.get("selection"), list
                ):
                    value_labels[kind][key] = dict(field["selection"])
                if field["type"] == "boolean":
                    value_labels[kind][key] = {
                        True: self.env._("Yes"),
                        False: self.env._("No"),
                    }
            labels[kind].update(handler.get("labels", {}))
            value_labels[kind].update(handler.get("value_labels", {}))
        return labels, value_labels, html

    @api.model
    def _readable(self, categories, limit=None):
        """The export's categories as people read them, in the context's
        language: per kind its label, each record as ``(label, text)`` pairs
        (empty values left out, codes in words, nested rows flattened), and
        what is withheld. The readable (PDF) copy prints exactly this. With
        ``limit``, at most that many records (and withheld ones) per kind,
        and ``more`` says where the others are. A kind whose records have at
        most ``READABLE_COLUMNS`` fields besides their HTML ones gives them
        as ``columns`` (one table, a row per record) and the HTML ones (as
        text) as ``texts`` (a line of their own under the record's row)."""
        if limit is not None:
            categories = {
                kind: {
                    **section,
                    "total": len(section["records"]),
                    "records": section["records"][:limit],
                    "withheld": section["withheld"][:limit],
                    "more": len(section["records"]) > limit
                    or len(section["withheld"]) > limit,
                }
                for kind, section in categories.items()
            }

        def keys_of(value, keys):
            # Nested rows name their keys too.
            if isinstance(value, dict):
                for key, item in value.items():
                    keys.add(key)
                    keys_of(item, keys)
            elif isinstance(value, list):
                for item in value:
                    keys_of(item, keys)
            return keys

        used = {
            kind: keys_of(section["records"], set())
            for kind, section in categories.items()
        }
        labels, value_labels, html = self._key_terms(used)
        yes_no = {True: self.env._("Yes"), False: self.env._("No")}

        def text(kind, key, value):
            if key in html[kind] and isinstance(value, str):
                return html_text(value)
            if isinstance(value, list):
                return "\n".join(text(kind, key, item) for item in value)
            if isinstance(value, dict):
                return ", ".join(
                    f"{labels[kind].get(k, k)}: {text(kind, k, v)}"
                    for k, v in value.items()
                    if v not in (None, "")
                )
            if isinstance(value, bool):
                return yes_no[value]
            words = value_labels[kind].get(key, {})
            if isinstance(value, str | int) and value in words:
                return str(words[value])
            return str(value)

        sections = []
        for kind, section in categories.items():
            kind_labels = labels.get(kind, {})
            records = [
                [
                    (kind_labels.get(key, key), text(kind, key, value))
                    for key, value in record.items()
                    if key != "id" and value not in (None, "", [])
                ]
                for record in section["records"]
            ]
            # Records of a few fields print as the rows of one table (a
            # login, an invoice, a message with its text under it), others
            # each as a table of their own (a partner's many fields).
            used = list(dict.fromkeys(label for row in records for label, _ in row))
            texts = {kind_labels.get(key, key) for key in html.get(kind, ())}
            columns = [label for label in used if label not in texts]
            compact = len(columns) <= READABLE_COLUMNS
            sections.append(
                {
                    "kind": kind,
                    "label": section["label"],
                    "records": records,
                    "columns": columns if compact else [],
                    "texts": [label for label in used if label in texts]
                    if compact
                    else [],
                    "withheld": section["withheld"],
                    "more": self.env._(
                        "This copy shows %(shown)s of the %(total)s records; the "
                        "JSON and CSV files of this export hold all of them.",
                        shown=len(section["records"]),
                        total=section["total"],
                    )
                    if section.get("more")
                    else False,
                }
            )
        return sections

    @api.model
    def _counts(self, partners, on_consent=False):
        """How many records of each kind the partners have, and how many of
        them a legal obligation keeps (for the dry run); with
        ``on_consent``, also those the consents given keep, as the
        retention run does."""
        plan = self._plan(partners)
        if on_consent:
            plan["on_consent"] = self._consent_holds(plan["partners"])
        counts = {}
        for handler in self._handlers():
            kind = handler["kind"]
            records = plan["found"][kind]
            held = self._call_step(kind, "held", records, plan)
            counts[kind] = {"found": len(records), "held": len(held)}
        return counts

    @api.model
    def _portal_counts(self, partners, categories=("contacts", "website")):
        """How many records of each kind of these cards of the My privacy
        page (the handlers' ``category``) the partners have: the same counts
        as the export's finds, in a few queries whatever their number, for
        a page that shows them at every visit. Kinds with a ``domain`` are
        counted together in one query; the others through their ``find``."""
        plan = self._plan(partners, find=False, retained=False)
        plan["lazy_documents"] = True
        counts, parts = {}, []
        for handler in self._handlers():
            kind = handler["kind"]
            if (
                kind == "partner"
                or handler.get("category", "contacts") not in categories
            ):
                continue
            domain_method = getattr(self, f"_domain_{kind}", None)
            if domain_method is None:
                counts[kind] = len(self._call_step(kind, "find", plan))
                continue
            Model = self.env[handler["model"]].sudo().with_context(active_test=False)
            query = Model._search(domain_method(plan))
            counts[kind] = 0
            if not query.is_empty():
                parts.append(
                    SQL("SELECT %s, count(*) FROM (%s) AS found", kind, query.select())
                )
        if parts:
            # One UNION ALL for all the kinds: the ORM counts one model a query.
            self.env.flush_all()
            self.env.cr.execute(SQL(" UNION ALL ").join(parts))
            counts.update(self.env.cr.fetchall())
        return counts

    @api.model
    def _summary(self, partners):
        """Per kind, in erasure order: its label, how many records there are,
        how many a legal obligation keeps, and the reasons it gives (for the
        completion letter of an erasure)."""
        plan = self._plan(partners)
        rows = []
        for handler in self._handlers():
            kind = handler["kind"]
            records = plan["found"][kind]
            held = self._call_step(kind, "held", records, plan)
            rows.append(
                {
                    "kind": kind,
                    "label": handler["label"],
                    "found": len(records),
                    "held": len(held),
                    "reasons": set(held.values()),
                }
            )
        return rows

    @api.model
    def _erase(self, partners, plan=None):
        """Erase or redact what no legal obligation keeps; returns the number
        of records touched per kind. A caller that passes ``plan`` (made by
        ``_plan(partners, find=False)``) reads in it afterwards what
        was found and held (the erasure check does)."""
        # Changes tracked earlier in this transaction become messages only at
        # commit: make them now, so that they are erased with the rest.
        self.env.flush_all()
        self.env.cr.precommit.run()
        plan = self._plan(partners, find=False) if plan is None else plan
        counts = {}
        for handler in self._handlers():
            kind = handler["kind"]
            # Found now, not before: an earlier handler may have added some
            # (retiring a portal user logs a note on its partner).
            records = self._call_step(kind, "find", plan)
            plan["found"][kind] = records
            held = self._call_step(kind, "held", records, plan)
            plan["held"][kind] = held
            to_erase = records.filtered(lambda r, h=held: r.id not in h)
            counts[kind] = self._call_step(kind, "erase", to_erase, plan)
        return counts

    # Plan: what every handler needs to know about the batch

    @api.model
    def _call_step(self, kind, step, *args):
        """Run the kind's ``step`` (``_<step>_<kind>``), or the default of a
        step the kind leaves out (``_default_<step>``)."""
        method = getattr(self, f"_{step}_{kind}", None)
        if method is None:
            method = getattr(self, f"_default_{step}")
        return method(*args)

    @api.model
    def _default_held(self, records, plan):
        """A kind without a ``held`` method: no legal obligation keeps it."""
        return {}

    @api.model
    def _default_erase(self, records, plan):
        """A kind without an ``erase`` method: its records are deleted."""
        count = len(records)
        records.unlink()
        return count

    @api.model
    def _default_left(self, records, plan):
        """A kind without a ``left`` method: whatever the erasure check finds
        and no legal obligation holds is left over."""
        return records

    # Shared by the handlers, the bridges' too

    @api.model
    def _insert_handlers(self, handlers, before, new):
        """Put the ``new`` handlers just before the kind ``before`` (at the
        end if there is none): a bridge places its kinds in erasure order."""
        position = next(
            (i for i, h in enumerate(handlers) if h["kind"] == before),
            len(handlers),
        )
        handlers[position:position] = new
        return handlers

    @api.model
    def _by_partner(self, model, plan, field="partner_id", order=None):
        """The records of ``model`` whose ``field`` is one of the batch's
        partners, archived ones included: the find of most kinds."""
        return (
            self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search([(field, "in", plan["partners"].ids)], order=order)
        )

    @api.model
    def _any_of(self, model, domains):
        """A domain of the records matching any of ``domains`` (None entries
        skipped), as one ``id = ANY(ARRAY(... UNION ...))``. Each part is planned on
        its own, by its own index; an OR of the same parts reads the whole
        table, since PostgreSQL combines indexes across an OR only when
        every branch has one, and a branch on a related record (the message
        of a tracked value) is a subquery. Binary fields' attachments are
        included, as with any domain on ``id``."""
        Model = (
            self.env[model]
            .sudo()
            .with_context(active_test=False, skip_res_field_check=True)
        )
        queries = [Model._search(domain) for domain in domains if domain]
        parts = [query.subselect() for query in queries if not query.is_empty()]
        if not parts:
            return expression.FALSE_DOMAIN
        # An array, not IN (...): the planner cannot know how many ids the
        # union returns, and for a semi-join it guessed hundreds and read
        # the whole table to hash them; an array of ids is looked up by the
        # primary key.
        return [("id", "=", SQL("ANY(ARRAY(%s))", SQL(" UNION ").join(parts)))]

    @api.model
    def _by_domain(self, kind, plan, order=None):
        """The records of the kind's model matching its ``domain``, archived
        ones included: the find of the kinds that have one."""
        model = next(h["model"] for h in self._handlers() if h["kind"] == kind)
        domain = getattr(self, f"_domain_{kind}")(plan)
        return (
            self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search(domain, order=order)
        )

    @api.model
    def _emails(self, partners, plan=None):
        """The normalised addresses the partners have proven; with ``plan``,
        also those the company entered for them before (the change history
        of the email): data filed under an old address is theirs too, and an
        address a person merely typed on their own account finds nothing of
        whoever it belongs to (``res_partner.py``)."""
        emails = set(partners._privacy_proven_emails())
        if plan:
            former = self._former_proven_emails(plan)
            for partner in partners:
                emails |= former.get(partner.id, set())
        return list(emails)

    @api.model
    def _email_changes(self, plan):
        """The tracked changes of the plan's partners' email address, read
        once per plan: from their messages (by the index on model and
        res_id) to the messages' tracked values. A join from the tracked
        values' side, as the domain on ``mail_message_id.res_id`` makes it,
        read every tracked value of the database when the planner thought
        few were changes of the email (180 ms a batch on the million)."""
        if "email_changes" not in plan:
            messages = (
                self.env["mail.message"]
                .sudo()
                .search(
                    [
                        ("model", "=", "res.partner"),
                        ("res_id", "in", plan["partners"].ids),
                    ]
                )
            )
            field = self.env["ir.model.fields"]._get("res.partner", "email")
            plan["email_changes"] = (
                self.env["mail.tracking.value"]
                .sudo()
                .search_fetch(
                    [
                        ("mail_message_id", "in", messages.ids),
                        ("field_id", "=", field.id),
                    ],
                    ["old_value_char", "new_value_char", "mail_message_id"],
                    order="id",
                )
            )
        return plan["email_changes"]

    @api.model
    def _former_proven_emails(self, plan):
        """{partner id: addresses the partner went by before, as the company
        entered them}, read once per plan from the tracked changes of the
        email: an address the person typed themself on their own account
        (the change's author is the person) proves nothing and finds
        nothing of whoever it belongs to."""
        if "former_proven" not in plan:
            partners = plan["partners"]
            own = {p.id: {p.id} | set(p.user_ids.partner_id.ids) for p in partners}
            tracked = self._email_changes(plan)
            former, typed = {}, {}
            for tracking in tracked:
                message = tracking.mail_message_id
                partner_id = message.res_id
                old = normalize_email(tracking.old_value_char)
                new = normalize_email(tracking.new_value_char)
                if message.author_id.id in own.get(partner_id, ()):
                    if new:
                        typed.setdefault(partner_id, set()).add(new)
                    continue
                for email in (old, new):
                    if email and email not in typed.get(partner_id, ()):
                        former.setdefault(partner_id, set()).add(email)
            plan["former_proven"] = former
        return plan["former_proven"]

    @api.model
    def _plan(self, partners, find=True, retained=True):
        """What every handler needs to know about the batch; with
        ``retained=False`` not the buyers retained vouchers keep (only the
        ``held`` steps read them), with ``find=False`` nothing found yet."""
        partners = partners.sudo().with_context(active_test=False)
        # An employee listed as someone's contact is not a data subject of
        # the customer register: their partner stays as it is.
        partners -= (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids), ("share", "=", False)])
            .partner_id
        )
        today = fields.Date.context_today(self)
        plan = {"partners": partners, "today": today, "held": {}}
        # With the plan: the former addresses' query is made once for it.
        plan["former"] = self._former_values(partners, plan)
        if retained:
            plan["kept"] = self._buyers_on_retained_moves(partners, today)
        # Built in order: a handler may use what an earlier one found.
        plan["found"] = {}
        for handler in self._handlers() if find else ():
            kind = handler["kind"]
            plan["found"][kind] = self._call_step(kind, "find", plan)
        return plan

    @api.model
    def _former_values(self, partners, plan=None):
        """Email, phone and names the partners go by: what the text search of
        the erasure check looks for after they are gone, the tracked values
        the map finds, and what the suppression list keeps. The address and
        numbers are the proven ones: a value the person only typed on their
        own account may be someone else's (``res_partner.py``)."""
        values = set()
        # An anonymised partner goes by nothing, unless a consent kept its
        # name and address (:meth:`_erase_partner`).
        named = partners.filtered(
            lambda p: p.privacy_stage != "anonymised" or p.email or p.phone or p.mobile
        )
        for partner in named:
            proven = partner._privacy_proven_email()
            email = partner.email if normalize_email(partner.email) == proven else ""
            for value in (email, *partner._privacy_proven_phones(), partner.name):
                if value and len(value.strip()) > 3:
                    values.add(value.strip())
            if proven:
                values.add(proven)
        # Addresses they went by before, from the partners' change history:
        # those the company entered (one a person typed on their own account
        # may be someone else's, whose tracked values this would find, and
        # whose address the suppression list would keep).
        ids = set(named.ids)
        plan = plan if plan is not None else {"partners": partners.sudo()}
        former_proven = set().union(*self._former_proven_emails(plan).values())
        if ids:
            tracked = self._email_changes(plan).filtered(
                lambda t: t.mail_message_id.res_id in ids
            )
            for tracking in tracked:
                for value in (tracking.old_value_char, tracking.new_value_char):
                    normalized = normalize_email(value)
                    if normalized in former_proven:
                        values.update({value.strip(), normalized})
        return values

    @api.model
    def _buyers_on_retained_moves(self, partners, today):
        """Partners a retained voucher shows as buyer or delivery address,
        with the last day each must be kept."""
        kept = {}
        if not partners:
            return kept
        Move = self.env["account.move"].sudo()
        for fname in ("partner_id", "partner_shipping_id", "commercial_partner_id"):
            groups = Move._read_group(
                [(fname, "in", partners.ids), ("state", "=", "posted")],
                [fname, "company_id"],
                ["date:max"],
            )
            for partner, company, last_date in groups:
                end = company._privacy_voucher_retention_end(last_date)
                if end >= today:
                    kept[partner.id] = max(end, kept.get(partner.id, end))
        return kept

    @api.model
    def _retained_move_ids(self, move_ids, today):
        """Of these journal entries, the posted ones within their period."""
        return set(self._move_retention_ends(move_ids, today))

    @api.model
    def _move_retention_ends(self, move_ids, today):
        """Of these journal entries, the posted ones within their period, with
        the last day each is kept: ``{move_id: date}``."""
        if not move_ids:
            return {}
        moves = (
            self.env["account.move"]
            .sudo()
            .search_fetch(
                [("id", "in", list(move_ids)), ("state", "=", "posted")],
                ["date", "company_id"],
            )
        )
        return self._voucher_ends(moves, "date", today)

    @api.model
    def _voucher_ends(self, vouchers, date_field, today):
        """Of these vouchers (entries, payments), those within their period
        on ``today``, with the last day each is kept, by their company's
        rule: ``{id: date}``."""
        ends = {}
        # Many vouchers share a company and a date: each pair computed once.
        by_day = {}
        for voucher in vouchers:
            key = (voucher.company_id, voucher[date_field])
            if key not in by_day:
                by_day[key] = key[0]._privacy_voucher_retention_end(key[1])
            if by_day[key] >= today:
                ends[voucher.id] = by_day[key]
        return ends

    @api.model
    def _vouchers_held(self, records, date_field, plan):
        """Vouchers within their period; past it they stay in the books, but
        the partner they name is anonymised."""
        ends = self._voucher_ends(records, date_field, plan["today"])
        return {
            voucher_id: self.env._(
                "An accounting voucher, kept until %(date)s (Accounting Act 2:10).",
                date=fields.Date.to_string(end),
            )
            for voucher_id, end in ends.items()
        }

    @api.model
    def _documents(self, plan):
        """The person's business documents, ``{model: ids}``: journal
        entries (invoices, bills), payments, and sale and purchase orders
        where those apps are installed. Found once per plan; with
        ``plan["lazy_documents"]``, as queries for the domains that use them
        (``{model: Query}``), not run on their own."""
        if "documents" not in plan:
            ids = plan["partners"].ids
            documents = {}
            for model, fnames in DOCUMENT_FIELDS.items():
                if model not in self.env or not ids:
                    continue
                Model = self.env[model].sudo().with_context(active_test=False)
                domain = expression.OR([[(fname, "in", ids)] for fname in fnames])
                documents[model] = (
                    Model._search(domain)
                    if plan.get("lazy_documents")
                    else Model.search(domain).ids
                )
            plan["documents"] = documents
        return plan["documents"]

    @api.model
    def _document_domain(self, plan, model_field, id_field):
        """A domain matching the records attached to the person's documents
        (``model_field``/``id_field`` name the document), or None."""
        parts = [
            [(model_field, "=", model), (id_field, "in", ids)]
            for model, ids in self._documents(plan).items()
            # A query is not run here (its truth would run it).
            if isinstance(ids, Query) or ids
        ]
        return expression.OR(parts) if parts else None

    @api.model
    def _retained_records(self, pairs, today):
        """Of ``(model, id)`` pairs, those a voucher within its period holds,
        ``{(model, id): last day}``: posted journal entries, and payments
        whose entry is one."""
        move_ids = {res_id for model, res_id in pairs if model == "account.move"}
        payments = (
            self.env["account.payment"]
            .sudo()
            .browse([res_id for model, res_id in pairs if model == "account.payment"])
            .exists()
        )
        move_ids |= set(payments.move_id.ids)
        ends = self._move_retention_ends(move_ids, today)
        retained = {
            ("account.move", move_id): end
            for move_id, end in ends.items()
            if ("account.move", move_id) in pairs
        }
        for payment in payments:
            if payment.move_id.id in ends:
                retained[("account.payment", payment.id)] = ends[payment.move_id.id]
        return retained

    @api.model
    def _bypass(self, records):
        """The records with core's audit-trail bypass: used only on records no
        retained voucher holds any more, whose voucher period has ended."""
        return records.with_context(bypass_audit=bypass_token)

    # Handler: portal users

    @api.model
    def _domain_users(self, plan):
        return [("partner_id", "in", plan["partners"].ids)]

    @api.model
    def _find_users(self, plan):
        return self._by_domain("users", plan)

    @api.model
    def _export_users(self, records, plan):
        return [
            {"id": user.id, "login": user.login, "active": user.active}
            for user in records
        ]

    @api.model
    def _held_users(self, records, plan):
        reason = self.env._("An employee's user account: managed by an administrator.")
        return {user.id: reason for user in records if not user.share}

    @api.model
    def _erase_users(self, records, plan):
        active = records.filtered("active")
        # Core's own way: login scrambled, password and API keys removed,
        # user archived and queued for deletion.
        active.with_context(willsoft_privacy_erasure=True)._deactivate_portal_user()
        # Core archives on a best-effort basis and swallows failures; the
        # partner cannot be archived while its user is active.
        active.filtered("active").action_archive()
        return len(active)

    # Handler: messages and notes

    @api.model
    def _find_messages(self, plan):
        return self._by_domain("messages", plan)

    @api.model
    def _domain_messages(self, plan):
        """On the partner, by or to the person, and on the person's business
        documents (the invoice mail names the buyer)."""
        ids = plan["partners"].ids
        Message = self.env["mail.message"].sudo()
        Message.flush_model(["model", "res_id", "author_id", "partner_ids"])
        # One subquery per way, each through its own index: as one domain
        # of ORs (the recipients an EXISTS), PostgreSQL read every message.
        parts = [
            SQL(
                "SELECT id FROM mail_message WHERE model = 'res.partner' "
                "AND res_id = ANY(%s)",
                ids,
            ),
            SQL("SELECT id FROM mail_message WHERE author_id = ANY(%s)", ids),
            SQL(
                "SELECT mail_message_id FROM mail_message_res_partner_rel "
                "WHERE res_partner_id = ANY(%s)",
                ids,
            ),
        ]
        on_documents = self._document_domain(plan, "model", "res_id")
        if on_documents:
            parts.append(Message._search(on_documents).select())
        return [("id", "in", SQL("(%s)", SQL(" UNION ").join(parts)))]

    @api.model
    def _on_documents(self, messages, plan):
        """The messages on the person's business documents."""
        documents = {model: set(ids) for model, ids in self._documents(plan).items()}
        return messages.filtered(lambda m: m.res_id in documents.get(m.model, ()))

    @api.model
    def _export_messages(self, records, plan):
        ids = set(plan["partners"].ids)
        # Sets of ids: a recordset's ``in`` reads its ids one by one.
        on_documents = set(self._on_documents(records, plan).ids)
        rows = []
        for message in records:
            on_partner = message.model == "res.partner" and message.res_id in ids
            authored = message.author_id.id in ids
            role = "about" if on_partner else ("author" if authored else "recipient")
            if role == "recipient" and message.id in on_documents:
                role = "document"
            rows.append(
                {
                    "id": message.id,
                    "date": fields.Datetime.to_string(message.date),
                    "type": message.message_type,
                    "subject": message.subject or "",
                    "body": str(message.body or ""),
                    "email_from": message.email_from or "" if authored else "",
                    "role": role,
                    # Another person's document: its name only, not its content.
                    "document": message.record_name or "" if not on_partner else "",
                }
            )
        return rows

    @api.model
    def _held_messages(self, records, plan):
        env = self.env
        retained = self._retained_records(
            {(m.model, m.res_id) for m in records}, plan["today"]
        )
        held = {}
        # The message of a mail kept on a consent goes with the mail.
        kept_mails = plan["held"].get("queued_mails") or {}
        found = set(records.ids)
        for mail in env["mail.mail"].sudo().browse(list(kept_mails)):
            if mail.mail_message_id.id in found:
                held[mail.mail_message_id.id] = kept_mails[mail.id]
        audit = set(self._audit_trail(records).ids)
        for message in records:
            if message.id in held:
                continue
            if (message.model, message.res_id) in retained:
                held[message.id] = env._(
                    "Kept with a posted invoice for the voucher period "
                    "(Accounting Act)."
                )
            elif message.id in audit and self._audit_held(message, plan, retained):
                held[message.id] = env._(
                    "Part of the accounting audit trail, which Odoo keeps intact."
                )
        return held

    @api.model
    def _audit_held(self, message, plan, retained):
        """Whether the audit trail still protects this message: its partner
        is the buyer of a retained voucher, or its entry is still within its
        voucher period. Otherwise the period has ended, and core's bypass
        lets it go."""
        if message.model == "res.partner":
            # Another partner's trail (the person wrote on it) is not ours
            # to end.
            erased = message.res_id in plan["partners"].ids
            return message.res_id in plan["kept"] or not erased
        if message.model == "account.move":
            return ("account.move", message.res_id) in retained
        # Accounts, taxes, companies: not the person's.
        return True

    @api.model
    def _audit_trail(self, messages):
        """The messages the accounting audit trail protects: core refuses to
        delete them or change their body or tracked values."""
        # active_test off: an archived (restricted) partner's trail is still
        # the audit trail, but core's compute would not find the partner.
        candidates = messages.with_context(active_test=False).filtered(
            lambda m: (
                m.message_type == "notification"
                and m.model in ("account.move", "res.partner")
            )
        )
        return candidates.filtered(
            lambda m: (
                m.account_audit_log_activated
                and not (
                    m.account_audit_log_move_id
                    and not m.account_audit_log_move_id.posted_before
                )
            )
        )

    @api.model
    def _erase_messages(self, records, plan):
        """Nothing here is held: what accounting protected has reached the
        end of its voucher period, so core's bypass is used."""
        ids = set(plan["partners"].ids)
        records = self._bypass(records)
        on_partner = records.filtered(
            lambda m: m.model == "res.partner" and m.res_id in ids
        )
        others = records - on_partner
        authored = others.filtered(lambda m: m.author_id.id in ids)
        # The history of the person's documents stays, without its text (the
        # invoice mail names the buyer).
        on_documents = self._on_documents(others, plan) - authored
        # Held messages stay, but no longer list the person as recipient.
        received = records | self.env["mail.message"].browse(plan["held"]["messages"])
        received -= on_partner
        (authored | on_documents).attachment_ids.unlink()
        erased = self.env._("<p>Erased for privacy.</p>")
        authored.write(
            {
                "author_id": False,
                "email_from": False,
                "reply_to": False,
                "body": erased,
                "subject": False,
            }
        )
        on_documents.filtered(lambda m: m.body or m.subject).write(
            {"body": erased, "subject": False}
        )
        on_partner.unlink()
        self._drop_recipients(received, plan["partners"])
        return len(on_partner) + len(others)

    @api.model
    def _left_messages(self, records, plan):
        """Messages on the person's documents stay, redacted: found again,
        but holding no text."""
        erased = self.env._("<p>Erased for privacy.</p>")
        redacted = self._on_documents(records, plan).filtered(
            lambda m: not m.subject and (not m.body or str(m.body) == erased)
        )
        return records - redacted

    @api.model
    def _drop_recipients(self, messages, partners):
        """Messages the person received on someone else's document stay
        (they are the sender's); only the person's name leaves them."""
        if not messages or not partners:
            return
        self.env["mail.notification"].sudo().search(
            [
                ("mail_message_id", "in", messages.ids),
                ("res_partner_id", "in", partners.ids),
            ]
        ).unlink()
        messages.sudo().write(
            {"partner_ids": [Command.unlink(partner.id) for partner in partners]}
        )

    # Handler: queued e-mails

    @api.model
    def _find_queued_mails(self, plan):
        """E-mails not sent yet (queued, or failed and retried) to the person:
        to their partner, or to an address they go or went by, anywhere in
        the recipient lists. A sent mail is core's to delete."""
        emails = self._queued_mail_emails(plan)
        domain = [("recipient_ids", "in", plan["partners"].ids)]
        if emails:
            # One LIKE ANY per list, not two ilike terms per address: the
            # domain of a batch's hundreds of addresses cost more to build
            # than to run.
            Mail = self.env["mail.mail"]
            Mail.flush_model(["email_to", "email_cc"])
            likes = [f"%{escape_psql(email.lower())}%" for email in emails]
            domain = expression.OR(
                [
                    domain,
                    [
                        (
                            "id",
                            "in",
                            SQL(
                                "(SELECT id FROM %s WHERE lower(email_to) LIKE ANY(%s)"
                                " OR lower(email_cc) LIKE ANY(%s))",
                                SQL.identifier(Mail._table),
                                likes,
                                likes,
                            ),
                        )
                    ],
                ]
            )
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                expression.AND([[("state", "in", ("outgoing", "exception"))], domain])
            )
        )
        # ilike finds "anna@x.fi" in "hanna@x.fi" too: only whole addresses.
        return mails.filtered(
            lambda m: (
                m.recipient_ids & plan["partners"]
                or self._split_recipients(m.email_to, emails)[1]
                or self._split_recipients(m.email_cc, emails)[1]
            )
        )

    @api.model
    def _queued_mail_emails(self, plan):
        """The addresses queued mail to the person is matched by: the proven
        and former ones. An address the person only typed may be someone
        else's (the email swap): a mail to it is that person's, and stays;
        a mail to the partner itself is found by its recipients."""
        return set(self._emails(plan["partners"], plan))

    @api.model
    def _split_recipients(self, text, emails):
        """``(others, removed)``: the recipients of an address list
        ("Name <addr>, ...") whose address is not one of ``emails``, as a
        list again, and whether any was."""
        kept, removed = [], False
        for name, email in email_split_tuples(text or ""):
            if (email_normalize(email) or email.lower()) in emails:
                removed = True
            else:
                kept.append(formataddr((name, email)))
        return ", ".join(kept), removed

    @api.model
    def _export_queued_mails(self, records, plan):
        return [
            {
                "id": mail.id,
                "date": fields.Datetime.to_string(mail.date),
                "subject": mail.subject or "",
                "state": mail.state,
            }
            for mail in records
        ]

    @api.model
    def _held_queued_mails(self, records, plan):
        """The mails of a purpose the person consents to, while the
        retention run keeps what the consent needs (``plan["on_consent"]``):
        to their partner, or to an address they proved."""
        on_consent = self._on_consent(plan)
        if not on_consent:
            return {}
        partners = plan["partners"].filtered(lambda p: p.id in on_consent)
        emails = {
            email: partner.id
            for partner in partners
            for email in partner._privacy_proven_emails()
        }
        held = {}
        for mail in records.filtered("willsoft_privacy_processing_id"):
            owners = set((mail.recipient_ids & partners).ids)
            for text in (mail.email_to, mail.email_cc):
                for _name, email in email_split_tuples(text or ""):
                    owner = emails.get(email_normalize(email) or email.lower())
                    if owner:
                        owners.add(owner)
            for owner in owners:
                states = on_consent[owner].filtered(
                    lambda s, m=mail: (
                        s.processing_id == m.willsoft_privacy_processing_id
                    )
                )
                if states:
                    held[mail.id] = self._consent_reason(states)
                    break
        return held

    @api.model
    def _erase_queued_mails(self, records, plan):
        """A mail to the person alone is deleted, so it is never sent; a
        mail to others too goes to them only."""
        emails = self._queued_mail_emails(plan)
        alone = records.browse()
        for mail in records:
            email_to = self._split_recipients(mail.email_to, emails)[0]
            email_cc = self._split_recipients(mail.email_cc, emails)[0]
            recipients = mail.recipient_ids - plan["partners"]
            if not (email_to or email_cc or recipients):
                alone |= mail
                continue
            mail.write(
                {
                    "email_to": email_to or False,
                    "email_cc": email_cc or False,
                    "recipient_ids": [
                        Command.unlink(p.id) for p in mail.recipient_ids - recipients
                    ],
                }
            )
        # Core deletes a mail's own message with it (not a notification's).
        alone.unlink()
        return len(records)

    # Handler: tracked changes

    @api.model
    def _find_tracking(self, plan):
        return self._by_domain("tracking", plan)

    @api.model
    def _domain_tracking(self, plan):
        ids = plan["partners"].ids
        values = list(plan["former"])
        domains = [
            [
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "in", ids),
            ],
            [
                ("field_id.relation", "=", "res.partner"),
                ("old_value_integer", "in", ids),
            ],
            [
                ("field_id.relation", "=", "res.partner"),
                ("new_value_integer", "in", ids),
            ],
            self._document_domain(
                plan, "mail_message_id.model", "mail_message_id.res_id"
            ),
        ]
        if values:
            domains += [
                [("old_value_char", "in", values)],
                [("new_value_char", "in", values)],
            ]
        return self._any_of("mail.tracking.value", domains)

    @api.model
    def _export_tracking(self, records, plan):
        ids = set(plan["partners"].ids)
        rows = []
        for tracking in records:
            message = tracking.mail_message_id
            if not (message.model == "res.partner" and message.res_id in ids):
                continue  # a change on someone else's document
            rows.append(
                {
                    "id": tracking.id,
                    "date": fields.Datetime.to_string(message.date),
                    "field": tracking.field_id.field_description or "",
                    "old": tracking.old_value_char or tracking.old_value_text or "",
                    "new": tracking.new_value_char or tracking.new_value_text or "",
                }
            )
        return rows

    @api.model
    def _held_tracking(self, records, plan):
        env = self.env
        retained = self._retained_records(
            {(t.mail_message_id.model, t.mail_message_id.res_id) for t in records},
            plan["today"],
        )
        held = {}
        audit = set(self._audit_trail(records.mail_message_id).ids)
        for tracking in records:
            message = tracking.mail_message_id
            if message.id in audit and self._audit_held(message, plan, retained):
                held[tracking.id] = env._(
                    "Part of the accounting audit trail, which Odoo keeps intact."
                )
            elif (message.model, message.res_id) in retained:
                held[tracking.id] = env._(
                    "A change on a posted invoice within its voucher period."
                )
            elif (
                message.model == "res.partner"
                and message.res_id in plan["kept"]
                and tracking.field_id.name in BUYER_FIELDS
            ):
                held[tracking.id] = env._(
                    "Buyer data a retained invoice shows (VAT Act 209 e §)."
                )
        return held

    @api.model
    def _erase_tracking(self, records, plan):
        if not records:
            return 0
        # Nothing here is held any more: core's bypass for the audit trail.
        self._bypass(records).write(
            {
                "old_value_char": False,
                "new_value_char": False,
                "old_value_text": False,
                "new_value_text": False,
                "old_value_integer": 0,
                "new_value_integer": 0,
            }
        )
        return len(records)

    @api.model
    def _left_tracking(self, records, plan):
        return records.filtered(
            lambda t: (
                t.old_value_char
                or t.new_value_char
                or t.old_value_text
                or t.new_value_text
                or t.old_value_integer
                or t.new_value_integer
            )
        )

    # Handler: attachments

    @api.model
    def _find_attachments(self, plan):
        return self._by_domain("attachments", plan)

    @api.model
    def _domain_attachments(self, plan):
        """The files on the partner, of the messages the person wrote or
        that are on their documents (read in the database, not from the
        messages found: an erasure of messages removes some, and their
        files with them), and of the person's documents, the stored invoice
        PDF and e-invoice XML among them (binary fields: the id term makes
        the search include them)."""
        ids = plan["partners"].ids
        linked = [("author_id", "in", ids)]
        on_documents = self._document_domain(plan, "model", "res_id")
        if on_documents:
            linked = expression.OR([linked, on_documents])
        messages = self.env["mail.message"].sudo()._search(linked)
        return self._any_of(
            "ir.attachment",
            [
                [("res_model", "=", "res.partner"), ("res_id", "in", ids)],
                [
                    (
                        "id",
                        "in",
                        SQL(
                            "(SELECT attachment_id FROM message_attachment_rel"
                            " WHERE message_id IN %s)",
                            messages.subselect(),
                        ),
                    )
                ],
                self._document_domain(plan, "res_model", "res_id"),
            ],
        )

    @api.model
    def _export_attachments(self, records, plan):
        return [
            {
                "id": attachment.id,
                "name": attachment.name,
                "mimetype": attachment.mimetype or "",
                "size": attachment.file_size,
            }
            for attachment in records
        ]

    @api.model
    def _held_attachments(self, records, plan):
        """The files of a retained voucher, and of the mails on it, until its
        voucher period ends."""
        messages = (
            self.env["mail.message"]
            .sudo()
            .browse({a.res_id for a in records if a.res_model == "mail.message"})
            .exists()
        )
        document = {m.id: (m.model, m.res_id) for m in messages}
        keys = {
            a.id: document.get(a.res_id)
            if a.res_model == "mail.message"
            else (a.res_model, a.res_id)
            for a in records
        }
        retained = self._retained_records(
            {key for key in keys.values() if key}, plan["today"]
        )
        reason = self.env._(
            "Kept with a posted invoice until %s (Accounting Act 2:10), then destroyed."
        )
        held = {
            att_id: reason % fields.Date.to_string(retained[key])
            for att_id, key in keys.items()
            if key in retained
        }
        if "account.edi.document" in self.env:
            # Core's EDI forbids deleting a document sent to a government
            # web service, whatever its age.
            sent = (
                self.env["account.edi.document"]
                .sudo()
                .search([("attachment_id", "in", records.ids)])
                .filtered(lambda doc: doc.edi_format_id._needs_web_services())
            )
            for attachment in sent.attachment_id:
                held.setdefault(
                    attachment.id,
                    self.env._(
                        "An e-invoice sent to a government service, which Odoo keeps."
                    ),
                )
        return held

    # Handler: activities

    @api.model
    def _domain_activities(self, plan):
        return [
            ("res_model", "=", "res.partner"),
            ("res_id", "in", plan["partners"].ids),
        ]

    @api.model
    def _find_activities(self, plan):
        return self._by_domain("activities", plan)

    @api.model
    def _export_activities(self, records, plan):
        return [
            {
                "id": activity.id,
                "type": activity.activity_type_id.name or "",
                "summary": activity.summary or "",
                "note": str(activity.note or ""),
                "due": fields.Date.to_string(activity.date_deadline),
            }
            for activity in records
        ]

    # Handler: followers

    @api.model
    def _domain_followers(self, plan):
        ids = plan["partners"].ids
        return [
            "|",
            ("partner_id", "in", ids),
            "&",
            ("res_model", "=", "res.partner"),
            ("res_id", "in", ids),
        ]

    @api.model
    def _find_followers(self, plan):
        return self._by_domain("followers", plan)

    @api.model
    def _export_followers(self, records, plan):
        ids = set(plan["partners"].ids)
        return [
            {"id": f.id, "model": f.res_model, "record": f.res_id}
            for f in records
            if f.partner_id.id in ids
        ]

    # Handler: bank accounts

    @api.model
    def _domain_banks(self, plan):
        return [("partner_id", "in", plan["partners"].ids)]

    @api.model
    def _find_banks(self, plan):
        return self._by_domain("banks", plan)

    @api.model
    def _export_banks(self, records, plan):
        return [
            {"id": bank.id, "account": bank.acc_number, "bank": bank.bank_id.name or ""}
            for bank in records
        ]

    @api.model
    def _held_banks(self, records, plan):
        """Until the voucher period of the last entry that used the account
        (an invoice or bill paid to it, a payment from or to it)."""
        if not records:
            return {}
        Move = self.env["account.move"].sudo()
        entries = Move.search_fetch(
            [("partner_bank_id", "in", records.ids), ("state", "=", "posted")],
            ["partner_bank_id"],
        )
        payments = (
            self.env["account.payment"]
            .sudo()
            .search_fetch(
                [("partner_bank_id", "in", records.ids), ("move_id", "!=", False)],
                ["partner_bank_id", "move_id"],
            )
        )
        uses = [(m.partner_bank_id.id, m.id) for m in entries]
        uses += [(p.partner_bank_id.id, p.move_id.id) for p in payments]
        ends = self._move_retention_ends(
            {move_id for _bank, move_id in uses}, plan["today"]
        )
        last = {}
        for bank_id, move_id in uses:
            if move_id in ends:
                last[bank_id] = max(ends[move_id], last.get(bank_id, ends[move_id]))
        reason = self.env._(
            "Used on an entry kept for the voucher period: kept until %s "
            "(Accounting Act 2:10)."
        )
        return {
            bank_id: reason % fields.Date.to_string(end)
            for bank_id, end in last.items()
        }

    @api.model
    def _erase_banks(self, records, plan):
        """Deleted; one an old entry or payment still points at (core
        forbids deleting it) keeps no number and no holder. Core would note
        each deletion on the partner, with the number: the note is not
        written (``NO_ERASED_NOTE``), as the partner's notes are erased.
        Before messages in the erasure order all the same, so that any note
        a bridge writes goes with the partner's history."""
        if not records:
            return 0
        used = set(
            self.env["account.move"]
            .sudo()
            .search([("partner_bank_id", "in", records.ids)])
            .partner_bank_id.ids
        ) | set(
            self.env["account.payment"]
            .sudo()
            .search([("partner_bank_id", "in", records.ids)])
            .partner_bank_id.ids
        )
        # Untracked: a tracked change would keep the old number and holder.
        referenced = records.filtered(lambda b: b.id in used).with_context(
            tracking_disable=True, mail_notrack=True
        )
        for bank in referenced:
            values = {
                "acc_number": f"ERASED-{bank.id}",
                "acc_holder_name": False,
                "active": False,
            }
            if bank.allow_out_payment:
                values["allow_out_payment"] = False
            bank.write(values)
        (records - referenced).with_context(**{NO_ERASED_NOTE: True}).unlink()
        return len(records)

    @api.model
    def _left_banks(self, records, plan):
        return records.filtered(
            lambda b: b.acc_holder_name or b.acc_number != f"ERASED-{b.id}"
        )

    # Handler: bank statement lines

    @api.model
    def _find_statement_lines(self, plan):
        return (
            self.env["account.bank.statement.line"]
            .sudo()
            .search(self._domain_statement_lines(plan))
        )

    @api.model
    def _domain_statement_lines(self, plan):
        """Lines of the person's payments on our bank statements: by partner,
        or by one of their account numbers."""
        domain = [("partner_id", "in", plan["partners"].ids)]
        banks = plan.get("found", {}).get("banks")
        if banks is None:
            banks = self._find_banks(plan)
        numbers = [n for n in banks.mapped("acc_number") if n]
        if numbers:
            domain = ["|", ("account_number", "in", numbers), *domain]
        return domain

    @api.model
    def _export_statement_lines(self, records, plan):
        return [
            {
                "id": line.id,
                "date": fields.Date.to_string(line.date),
                "amount": line.amount,
                "currency": line.currency_id.name or "",
                "label": line.payment_ref or "",
                "holder": line.partner_name or "",
                "account": line.account_number or "",
            }
            for line in records
        ]

    @api.model
    def _held_statement_lines(self, records, plan):
        ends = self._move_retention_ends(set(records.move_id.ids), plan["today"])
        reason = self.env._(
            "A bank statement line kept as a voucher until %s (Accounting Act 2:10)."
        )
        return {
            line.id: reason % fields.Date.to_string(ends[line.move_id.id])
            for line in records
            if line.move_id.id in ends
        }

    @api.model
    def _erase_statement_lines(self, records, plan):
        """Holder name, account number and label blanked; the amount and the
        date stay for the books. The entry is not rebuilt (that would undo its
        reconciliation): only the label of its lines is blanked."""
        if not records:
            return 0
        records = records.with_context(
            skip_account_move_synchronization=True,
            tracking_disable=True,
            mail_notrack=True,
        )
        labels = {line.move_id.id: line.payment_ref for line in records}
        records.write(
            {"partner_name": False, "account_number": False, "payment_ref": False}
        )
        lines = records.move_id.line_ids.filtered(
            lambda ml: ml.name and ml.name == labels.get(ml.move_id.id)
        )
        lines.with_context(
            skip_account_move_synchronization=True,
            tracking_disable=True,
            mail_notrack=True,
        ).write({"name": False})
        return len(records)

    @api.model
    def _left_statement_lines(self, records, plan):
        return records.filtered(
            lambda line: line.partner_name or line.account_number or line.payment_ref
        )

    # Handler: portal logins

    @api.model
    def _portal_users_query(self, plan):
        """The batch's portal users (an employee's user is not the
        register's), as a query for the domains below."""
        return (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            ._search([("partner_id", "in", plan["partners"].ids), ("share", "=", True)])
        )

    @api.model
    def _domain_login_logs(self, plan):
        return [("create_uid", "in", self._portal_users_query(plan))]

    @api.model
    def _find_login_logs(self, plan):
        return self._by_domain("login_logs", plan, order="id")

    @api.model
    def _export_login_logs(self, records, plan):
        return [
            {"id": log.id, "date": fields.Datetime.to_string(log.create_date)}
            for log in records
        ]

    # Handler: devices and sessions (Odoo 18's device log)

    @api.model
    def _domain_devices(self, plan):
        return [("user_id", "in", self._portal_users_query(plan))]

    @api.model
    def _find_devices(self, plan):
        return self._by_domain("devices", plan, order="id")

    @api.model
    def _export_devices(self, records, plan):
        return [
            {
                "id": log.id,
                "first": fields.Datetime.to_string(log.first_activity) or "",
                "last": fields.Datetime.to_string(log.last_activity) or "",
                "platform": log.platform or "",
                "browser": log.browser or "",
                "device": log.device_type or "",
                "ip_address": log.ip_address or "",
                "country": log.country or "",
                "city": log.city or "",
            }
            for log in records
        ]

    # Handler: invoices and credit notes

    @api.model
    def _find_invoices(self, plan):
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", plan["partners"].ids),
                    ("move_type", "in", INVOICE_TYPES),
                    ("state", "=", "posted"),
                ],
                order="invoice_date, id",
            )
        )

    @api.model
    def _export_invoices(self, records, plan):
        return [
            {
                "id": move.id,
                "number": move.name,
                "type": move.move_type,
                "date": fields.Date.to_string(move.invoice_date),
                "due": fields.Date.to_string(move.invoice_date_due),
                "total": move.amount_total,
                "unpaid": move.amount_residual,
                "currency": move.currency_id.name,
                "payment": move.payment_state,
            }
            for move in records
        ]

    @api.model
    def _held_invoices(self, records, plan):
        return self._vouchers_held(records, "date", plan)

    @api.model
    def _erase_invoices(self, records, plan):
        return 0

    @api.model
    def _left_invoices(self, records, plan):
        # A voucher names the person only through the partner record.
        return records.browse()

    # Handler: payments

    @api.model
    def _find_payments(self, plan):
        return (
            self.env["account.payment"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", plan["partners"].ids),
                    ("state", "not in", ("draft", "canceled")),
                ],
                order="date, id",
            )
        )

    @api.model
    def _export_payments(self, records, plan):
        return [
            {
                "id": payment.id,
                "number": payment.name,
                "type": payment.payment_type,
                "date": fields.Date.to_string(payment.date),
                "amount": payment.amount,
                "currency": payment.currency_id.name,
                "state": payment.state,
            }
            for payment in records
        ]

    @api.model
    def _held_payments(self, records, plan):
        return self._vouchers_held(records, "date", plan)

    @api.model
    def _erase_payments(self, records, plan):
        return 0

    @api.model
    def _left_payments(self, records, plan):
        return records.browse()

    # Handler: consents (the consent ledger)

    @api.model
    def _domain_consents(self, plan):
        return [("partner_id", "in", plan["partners"].ids)]

    @api.model
    def _find_consents(self, plan):
        return self._by_domain("consents", plan, order="event_time, id")

    @api.model
    def _export_consents(self, records, plan):
        return [
            {
                "id": event.id,
                "date": fields.Datetime.to_string(event.event_time),
                "purpose": event.processing_id.name or "",
                "channel": event.channel,
                "action": event.action,
                "source": event.source,
                "notice": event.notice_id.display_name or "",
                "text_shown": event.text_shown or "",
                "lang": event.lang or "",
                "ip_address": event.ip_address or "",
                "user_agent": event.user_agent or "",
                "note": event.note or "",
            }
            for event in records
        ]

    @api.model
    def _held_consents(self, records, plan):
        """No legal obligation keeps the proof once the person is erased (the
        lines themselves stay: the erasure redacts, never deletes). A consent
        still given keeps its lines whole while the retention run keeps what
        the consent needs (``plan["on_consent"]``): the proof of a consent
        the person has not withdrawn."""
        on_consent = self._on_consent(plan)
        reasons = {
            partner_id: self._consent_reason(states)
            for partner_id, states in on_consent.items()
        }
        return {
            event.id: reasons[event.partner_id.id]
            for event in records
            if event.partner_id.id in reasons
        }

    @api.model
    def _erase_consents(self, records, plan):
        """Blank the proof that names the person; purpose, channel, event,
        time and notice version stay, so the history of given and withdrawn
        stays provable without naming anyone."""
        return records._redact_proof()

    @api.model
    def _left_consents(self, records, plan):
        return records.filtered(lambda e: e.ip_address or e.user_agent or e.note)

    # Handler: the person's privacy requests

    @api.model
    def _domain_requests(self, plan):
        return [("partner_id", "in", plan["partners"].ids)]

    @api.model
    def _find_requests(self, plan):
        return self._by_domain("requests", plan, order="id")

    @api.model
    def _export_requests(self, records, plan):
        return [
            {
                "id": request.id,
                "reference": request.name,
                "kind": request.kind,
                "state": request.state,
                "received": fields.Date.to_string(request.received_date),
                "due": fields.Date.to_string(request.due_date),
            }
            for request in records
        ]

    @api.model
    def _held_requests(self, records, plan):
        """Those not yet proven: the record of how the person's rights were
        answered (GDPR Art. 5(2)), in full until the company's months of
        proof after closing have passed. An erasure request still sends its
        completion letter after the erasure."""
        reason = self.env._(
            "Kept as the record of how your privacy requests were answered "
            "(GDPR Art. 5(2), accountability)."
        )
        proven = records._proven(plan["today"])
        return {
            request.id: reason
            for request in records - proven
            if not request.proof_only_date
        }

    @api.model
    def _erase_requests(self, records, plan):
        """The exports of every request found go (full copies of the
        person's data); the proven requests keep only their proof."""
        plan["found"]["requests"]._drop_exports()
        return records._reduce_to_proof()

    @api.model
    def _left_requests(self, records, plan):
        return records.filtered(lambda r: not r.proof_only_date)

    # Handler: the partner and its contact persons

    @api.model
    def _find_partner(self, plan):
        return plan["partners"]

    @api.model
    def _export_partner(self, records, plan):
        rows = []
        for partner in records:
            row = {"id": partner.id}
            for fname in PARTNER_EXPORT_FIELDS:
                value = partner[fname]
                if isinstance(value, models.BaseModel):
                    value = value.display_name or ""
                elif hasattr(value, "isoformat"):
                    value = value.isoformat()
                row[fname] = value if value is not False else ""
            rows.append(row)
        return rows

    @api.model
    def _held_partner(self, records, plan):
        """The buyers of retained invoices, and the partners whose given
        consent the retention run keeps (``plan["on_consent"]``)."""
        reason = self.env._(
            "Name, address and business ID shown on a retained invoice are kept "
            "until %s (Accounting Act 2:10, VAT Act 209 e §); the rest is erased."
        )
        ids = set(records.ids)
        held = {
            pid: reason % fields.Date.to_string(end)
            for pid, end in plan["kept"].items()
            if pid in ids
        }
        for pid, states in self._on_consent(plan).items():
            if pid in ids:
                consent = self._consent_reason(states)
                held[pid] = f"{held[pid]} {consent}" if pid in held else consent
        return held

    @api.model
    def _erase_partner(self, records, plan):
        """Anonymise fully what no invoice shows; strip the rest down to the
        buyer data. Tracking is off: it would copy the old values into a new
        message."""
        # active_test on: core's "archived partner has an active user" check
        # would otherwise count the users just retired.
        # Children synced once for the batch, not a write per company.
        # The proofs of the addresses and numbers go with them, in the same
        # write (the values hold them).
        ctx = {
            "tracking_disable": True,
            "mail_notrack": True,
            "active_test": True,
            SYNC_CHILDREN_LATER: True,
            PROOFS_IN_VALUES: True,
        }
        records = records.sudo()
        held = records.browse(list(plan["held"]["partner"])).with_context(**ctx)
        records = records.with_context(**ctx)
        count = len(records) + len(held)
        # Held by a retained invoice: restricted to the buyer data; held only
        # on a consent: anonymised but for what the consent needs.
        buyers = held.filtered(lambda p: p.id in plan["kept"])
        on_consent = self._on_consent(plan)
        writes = [
            pair
            for partners, values in (
                (buyers, self._partner_restricted_values()),
                (records | (held - buyers), self._partner_anonymised_values()),
            )
            for pair in self._partner_consent_groups(partners, values, on_consent)
        ]
        # One UPDATE of each partner at the batch's flush, not three or four:
        # nothing read between the writes may need a flush first.
        # - Core's write of active=False reads the partners' users again,
        #   ordered by name: archiving first, before any name is pending,
        #   needs no flush. The others' users (a consent keeps them active)
        #   are read here, before the writes that need them.
        # - Their contacts are taken before the writes: ``child_ids`` read
        #   after the archiving would flush it. The contacts archived here
        #   are no longer among them (``child_ids`` holds the active ones).
        everyone = records | held
        everyone.mapped("user_ids")
        archived = {
            pid
            for group, group_values in writes
            if group_values.get("active") is False
            for pid in group.ids
        }
        children = {
            partner.id: [cid for cid in partner.child_ids.ids if cid not in archived]
            for partner in everyone
        }
        for group, group_values in writes:
            if "active" in group_values:
                group.write({"active": group_values["active"]})
        for group, group_values in writes:
            rest = {k: v for k, v in group_values.items() if k != "active"}
            group.write(rest)
            group._privacy_sync_children(rest, children)
        # Clearing an image costs queries per partner: only where there is one.
        with_image = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_field", "=", "image_1920"),
                    ("res_id", "in", (records | held).ids),
                ]
            )
        )
        if with_image:
            records.browse(with_image.mapped("res_id")).with_context(**ctx).write(
                {"image_1920": False}
            )
        return count

    @api.model
    def _partner_consent_groups(self, partners, values, on_consent):
        """``(partners, values)`` pairs, one write each: the ``values`` of
        the stage without the fields that the partners' given consents keep
        (:meth:`_consent_fields`); such a partner stays active, so
        that what it consented to still reaches it."""
        groups = {}
        for partner in partners:
            states = on_consent.get(partner.id)
            keep = (
                frozenset(self._consent_fields(states) | {"active"})
                if states
                else frozenset()
            )
            # An address or a number kept keeps its proof.
            keep |= {proof for fname in keep for proof in PROOFS_OF.get(fname, ())}
            groups[keep] = groups.get(keep, partners.browse()) | partner
        return [
            (group, {key: value for key, value in values.items() if key not in keep})
            for keep, group in groups.items()
        ]

    # What a given consent keeps (notice, section 10)

    @api.model
    def _consent_holds(self, partners):
        """``{partner id: consent states}``: the consents these partners
        have given and not withdrawn. The retention run puts them in its
        plan as ``on_consent``: the data held on a consent follows the
        consent, not the stage (an erasure request and a withdrawal do not:
        they end the consents)."""
        states = (
            self.env["willsoft.privacy.consent.state"]
            .sudo()
            .search([("partner_id", "in", partners.ids), ("state", "=", "given")])
        )
        holds = {}
        for state in states:
            partner_id = state.partner_id.id
            holds[partner_id] = holds.get(partner_id, states.browse()) | state
        return holds

    @api.model
    def _on_consent(self, plan):
        """The plan's ``{partner id: consent states}`` kept on consent."""
        return (plan or {}).get("on_consent") or {}

    @api.model
    def _consent_reason(self, states):
        """Why records held on these consents are kept, and until when."""
        purposes = ", ".join(sorted(set(states.processing_id.mapped("name"))))
        return self.env._(
            "Held on your consent to %(purposes)s, until you withdraw it.",
            purposes=purposes,
        )

    @api.model
    def _consent_fields(self, states):
        """The partner fields these given consents need: the name and
        language they were given with, and the address of each channel."""
        names = set(CONSENT_FIELDS)
        for channel in set(states.mapped("channel")):
            names.update(CONSENT_CHANNEL_FIELDS.get(channel, ()))
        return names

    @api.model
    def _partner_restricted_values(self):
        """Stage 1 for a buyer on a retained invoice: only the buyer data.
        The proofs of the address and numbers go with them."""
        return {
            "email": False,
            "phone": False,
            "mobile": False,
            **{proof: False for proofs in PROOFS_OF.values() for proof in proofs},
            "function": False,
            "title": False,
            "website": False,
            "comment": False,
            "ref": False,
            "active": False,
            "privacy_stage": "restricted",
        }

    @api.model
    def _partner_anonymised_values(self):
        """Nothing left that points at the person: no initials, no derived
        address, one neutral name for all."""
        return {
            **self._partner_restricted_values(),
            "name": self.env._("Anonymised"),
            "street": False,
            "street2": False,
            "zip": False,
            "city": False,
            "state_id": False,
            "country_id": False,
            "vat": False,
            "company_registry": False,
            "lang": False,
            "privacy_source_note": False,
            "privacy_end_reason": False,
            "privacy_stage": "anonymised",
        }
