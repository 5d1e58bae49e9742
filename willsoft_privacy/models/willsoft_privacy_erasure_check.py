# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import functools
import logging
import re

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL, email_normalize, email_normalize_all, escape_psql
from odoo.tools.sql import create_index, index_exists

_logger = logging.getLogger(__name__)

# People checked in one pass at most: the retention run keeps the former
# values of the people it erases in memory across its committed batches,
# then searches the whole database once for all of them, at the end of each
# call or when this many are waiting (a bound on the memory they take).
CHECK_GROUP_SIZE = 20000
# The few large text columns that get trigram indexes (GIN, gin_trgm_ops)
# where PostgreSQL has pg_trgm, created by their owning model's init().
# "text" indexes lower(column) and serves email addresses and names anywhere
# in the text; "digits" indexes the column's digits alone and serves phone
# numbers however they are spaced. Elsewhere the check scans.
TRIGRAM_COLUMNS = {
    # Every note and mail of the database: where a colleague quotes an
    # address or a phone number, the likeliest leftover.
    ("mail_message", "body"): ("text", "digits"),
    # The change history keeps every old value as it was typed.
    ("mail_tracking_value", "old_value_char"): ("text",),
    ("mail_tracking_value", "new_value_char"): ("text",),
    ("mail_tracking_value", "old_value_text"): ("text",),
    ("mail_tracking_value", "new_value_text"): ("text",),
    # A second record of the same person is found by name and address.
    ("res_partner", "name"): ("text",),
    ("res_partner", "email"): ("text",),
}
# What an indexed column is searched for, if not everything: partner
# addresses hold addresses (a pattern that cannot match only costs index
# scans and rechecks).
TRIGRAM_SEARCHES = {
    ("res_partner", "email"): ("emails",),
}
# Partner names are compared with the erased names as whole values, in the
# scan of the table's other columns: another partner who bears the name is a
# namesake, whose name is not searched at all, and one whose name contains
# it (Kaisa Salonen for Kaisa Salo) is another person; what is left to find
# is an erased person's own name on a partner row. The column's trigram
# index serves the question whether an erased name lies inside another's
# (:meth:`_names_inside_others`), the btree index of lower(name) the search
# for namesakes.
SCANNED_COLUMNS = {("res_partner", "name")}
LOWER_NAME_INDEX = "willsoft_privacy_res_partner_lower_name_index"
# Above this many email addresses and phone numbers, a trigram-indexed column
# is scanned for them as the other columns are (one read of the table, values
# compared as a hashed set) and the index serves the names only: the index
# costs a scan per value, and the trigrams every address or number shares
# ("@ex", "358") have posting lists as long as the table. An *Erase now*
# (a few values) keeps the index.
INDEX_MAX_VALUES = 100
# The same for names: above this many, a trigram-indexed column is read once,
# in chunks of READ_CHUNK rows, and each text's words are looked up in the
# names (:meth:`Values.names_inside`); below, one index scan a name (each
# reads the posting lists of the name's trigrams, as long as the table for
# the common ones: about 15 ms a name on a million messages).
INDEX_MAX_NAMES = 100
READ_CHUNK = 10000
# Kept by design, whatever they hold: the stop lists that keep an erased
# address out of marketing (the suppression list holds keyed hashes only),
# the audit log (no personal data) and the consent ledger (the erasure
# redacts its proof, the lines are the history of consents). The bus holds
# notifications for open browsers, which core deletes after minutes.
EXEMPT_MODELS = (
    "willsoft.privacy.suppression",
    "willsoft.privacy.audit.log",
    "willsoft.privacy.consent.event",
    "mail.blacklist",
    "phone.blacklist",
    "bus.bus",
)
# Not starting with a quote: in 'x@a.fi' the address is x@a.fi.
EMAIL_RE = (
    r"[a-z0-9.!#$%&*+/=?^_{|}~-][a-z0-9.!#$%&'*+/=?^_`{|}~-]*"
    r"@[a-z0-9-]+(?:\.[a-z0-9-]+)+"
)
# Six or more digits with at most two of " .()-" between them.
PHONE_RE = r"\+?\d(?:[ .()-]{0,2}\d){5,}"
# The digits a phone number is compared by: without the international
# prefix, Finland's country code or the trunk zero, so that +358 40 123 4567,
# 00358401234567 and 040-123 4567 compare equal.
PHONE_KEY_SQL = (
    r"ltrim(regexp_replace(regexp_replace(%s, '\D', '', 'g'), '^(00)?358', ''), '0')"
)
MIN_PHONE_DIGITS = 6
# The partners' phone columns, each with a btree index of its numbers' keys
# (PHONE_KEY_SQL): which numbers someone else still goes by
# (:meth:`WillsoftPrivacyErasureCheck._unambiguous`) is then a lookup a
# number, not a read of the whole register (about 2 s a check on a million
# partners).
PHONE_KEY_COLUMNS = ("phone", "mobile", "privacy_phone_proven", "privacy_mobile_proven")


def phone_key_index_name(column):
    return f"willsoft_privacy_res_partner_{column}_key_index"


def phone_key_expression(column):
    """The indexed expression, as the lookup writes it (the planner matches
    them by expression)."""
    return PHONE_KEY_SQL % f'"{column}"'


# One plain address, nothing to parse: what nearly every partner has. Atoms
# joined by dots, no quotes, no comments, no groups: what core's parser gives
# back unchanged but for the case (core lower-cases the domain, and the local
# part only when it is ASCII). Checked against ``email_normalize`` on 900,000
# random strings (73,000 of them plain addresses), Finnish letters included.
ATOM = r"[\w!#$%&'*+/=?^`{|}~-]+"
PLAIN_EMAIL_RE = re.compile(rf"({ATOM}(?:\.{ATOM})*)@([\w-]+(?:\.[\w-]+)*)")


def plain_email(value):
    """``value`` normalised as core does if it is one plain address, else
    None."""
    match = PLAIN_EMAIL_RE.fullmatch((value or "").strip(" \t\r\n"))
    if not match:
        return None
    local, domain = match.groups()
    return f"{local.lower() if local.isascii() else local}@{domain.lower()}"


def normalize_email(value):
    """``email_normalize(value)``, without the parser for a plain address:
    the parser costs about 50 microseconds a value, and a retention batch
    reads thousands (the partners', their change history's, the
    suppression list's)."""
    if not value or "@" not in value:
        return False
    return plain_email(value) or email_normalize(value)


def emails_of(value):
    """The normalised addresses in ``value``, as ``email_normalize_all``
    gives them; a plain address without parsing it."""
    if not value or "@" not in value:
        return []
    plain = plain_email(value)
    return [plain] if plain else email_normalize_all(value)


def email_in(email, text):
    """Whether the address stands in the text as an address of its own: in
    ``vanha.x@a.fi`` or ``x@a.fi.example`` there is another address, as the
    scan's ``EMAIL_RE`` cuts them out (non-ASCII letters count as the
    address's too); quotes around it (``'x@a.fi'``) are not part of it."""
    return email in text and bool(
        re.search(
            r"(?<![\w.!#$%&'*+/=?^`{|}~-])['`]*"
            + re.escape(email)
            + r"(?![\w-]|\.[\w-])",
            text,
        )
    )


def phone_key(value):
    digits = re.sub(r"^(00)?358", "", re.sub(r"\D", "", value or "")).lstrip("0")
    return digits if len(digits) >= MIN_PHONE_DIGITS else None


# The addresses of a text that stand as addresses of their own, as
# :func:`email_in` reads them: cut out once per text and looked up, instead
# of one search of the text per address.
EMAIL_ALONE_RE = re.compile(
    r"(?<![\w.!#$%&'*+/=?^`{|}~-])['`]*(" + EMAIL_RE + r")(?![\w-]|\.[\w-])"
)
EMAIL_FULL_RE = re.compile(EMAIL_RE)
KINDS = ("emails", "phones", "phone_texts", "names", "whole_names")
# A table of this many rows or more (PostgreSQL's estimate) is scanned with
# the values in the query, a smaller one with the values looked up in
# temporary tables (:meth:`WillsoftPrivacyErasureCheck._scan`).
INLINE_MIN_ROWS = 100000
# Up to this many values in all, every scan has them in its query: the
# temporary tables cost more than the values they would carry.
INLINE_MAX_VALUES = 100
# The temporary tables of the values a check's scans look up, by kind
# (:meth:`WillsoftPrivacyErasureCheck._value_tables`).
VALUE_TABLES = {
    "emails": "willsoft_privacy_check_emails",
    "phones": "willsoft_privacy_check_phones",
    "names": "willsoft_privacy_check_names",
}


def looked_up(values, kind):
    """The values of ``kind`` that the scans look up: the names are the
    names and the whole names (:meth:`WillsoftPrivacyErasureCheck._scan`)."""
    if kind == "names":
        return [*values["names"], *values["whole_names"]]
    return list(values[kind])


class Values(dict):
    """The values a pass searches, by kind (``KINDS``: value -> the ids of
    the erased partners who went by it), with lookups that find them in a
    text in time linear in the text, not in the number of values: a group
    holds the values of thousands of people and a pass reads thousands of
    hits."""

    def __init__(self, kinds=(), **more):
        super().__init__({kind: {} for kind in KINDS})
        self.update(kinds, **more)

    def only(self, kinds):
        """These kinds of the values, the others empty."""
        return Values({kind: self[kind] for kind in kinds})

    @functools.cached_property
    def lookup(self):
        odd_emails = {
            email: ids
            for email, ids in self["emails"].items()
            if not EMAIL_FULL_RE.fullmatch(email)
        }
        by_first = {}
        for name, ids in self["names"].items():
            by_first.setdefault(name.split(" ", 1)[0], []).append((name, ids))
        return {
            "odd_emails": odd_emails,
            "names_by_first": by_first,
            "first_lengths": sorted({len(first) for first in by_first}),
            "whole": {**self["names"], **self["whole_names"]},
            "phone_lengths": sorted({len(key) for key in self["phones"]}),
        }

    def emails_in(self, low, whole=False):
        """The ids of the addresses the lower-case text holds: as addresses
        of their own (:func:`email_in`), or ``whole``, any the scan's
        ``EMAIL_RE`` cuts out."""
        emails = self["emails"]
        if not emails or "@" not in low:
            return []
        found = (EMAIL_FULL_RE if whole else EMAIL_ALONE_RE).findall(low)
        ids = [emails[email] for email in found if email in emails]
        for email, odd in self.lookup["odd_emails"].items():
            if (email in found) if whole else email_in(email, low):
                ids.append(odd)
        return ids

    def phones_in(self, text, whole=False):
        """The ids of the numbers the text holds, by their key; not
        ``whole``, also any key among the text's digits run together."""
        phones = self["phones"]
        if not phones:
            return []
        keys = {phone_key(number) for number in re.findall(PHONE_RE, text)}
        ids = [phones[key] for key in keys if key in phones]
        digits = "" if whole else re.sub(r"\D", "", text)
        for length in self.lookup["phone_lengths"]:
            for start in range(len(digits) - length + 1):
                key = digits[start : start + length]
                if key in phones:
                    ids.append(phones[key])
        return ids

    def names_inside(self, spaced):
        """The names (``names``) that lie anywhere in the single-spaced,
        lower-case text, inside a longer word too: a name's first word ends
        where a word of the text ends, so each word's ending of a first
        word's length is looked up (a few per word, however long the word:
        an image inlined in a message body is one word of 100,000
        characters)."""
        by_first = self.lookup["names_by_first"]
        lengths = self.lookup["first_lengths"]
        found = []
        end = -1
        for word in spaced.split(" "):
            end += len(word) + 1
            for length in lengths:
                if length > len(word):
                    break
                for name, ids in by_first.get(word[-length:], ()):
                    if spaced.startswith(name, end - length):
                        found.append((name, ids))
        return found


def trigram_index_name(table, column, how):
    if (table, column, how) == ("mail_message", "body", "text"):
        # The name the first version gave it: reused, not built twice.
        return "willsoft_privacy_mail_message_body_trgm"
    return f"willsoft_privacy_{table}_{column}_{how}_trgm"


def trigram_expression(column, how):
    """The indexed expression, written as the check's queries write it (the
    planner matches them by expression)."""
    if how == "digits":
        return f"regexp_replace(\"{column}\", '[^0-9]', '', 'g')"
    return f'lower("{column}")'


def create_trigram_indexes(model):
    """Called by the owning model's init(): its columns' trigram indexes,
    where the database has pg_trgm (never created here: that is the
    database administrator's, see the configuration notes), and the btree
    indexes of the partners' names in lower case and of their phone
    numbers' keys."""
    if model._table == "res_partner":
        create_index(model.env.cr, LOWER_NAME_INDEX, "res_partner", ["lower(name)"])
        for column in PHONE_KEY_COLUMNS:
            create_index(
                model.env.cr,
                phone_key_index_name(column),
                "res_partner",
                [phone_key_expression(column)],
                where=f'"{column}" IS NOT NULL',
            )
    if not model.env.registry.has_trigram:
        return
    for (table, column), hows in TRIGRAM_COLUMNS.items():
        if table != model._table:
            continue
        for how in hows:
            create_index(
                model.env.cr,
                trigram_index_name(table, column, how),
                table,
                [f"{trigram_expression(column, how)} gin_trgm_ops"],
                method="gin",
            )


class WillsoftPrivacyErasureCheck(models.AbstractModel):
    """Proof after an erasure that nothing is left, from outside the
    personal-data map: every stored text, char and html column of the
    database is searched for the erased people's former email addresses,
    phone numbers and full names. A hit is allowed only on a row that a
    handler of the map declared as held, or in a table kept by design
    (``EXEMPT_MODELS``); anything else is a leftover, logged by table and
    column (counts only) and flagged on the partner for a privacy officer.

    The values live only in memory, in a *group* (a dict built by
    :meth:`_new_group`): the retention run fills one group over several
    committed batches and checks it once, so the cost of the pass does not
    multiply with the number of batches.
    """

    _name = "willsoft.privacy.erasure.check"
    _description = "Privacy erasure check"

    # The group of erased people

    @api.model
    def _new_group(self):
        return {
            "partners": set(),
            "commercials": set(),
            "emails": {},
            "phones": {},
            "phone_texts": {},
            "names": {},
            "held": {},
            # Typed by the person on their own account and never proven: may
            # be someone else's (``res_partner.py``).
            "typed_emails": {},
            "typed_phones": {},
            "typed_phone_texts": {},
        }

    @api.model
    def _remember(self, group, plan, commercials):
        """Before the erasure: what the plan's partners go by. Their proven
        address and numbers, and the addresses the company entered for them
        before, are searched everywhere. An address or a number a person only
        typed on their own account may be someone else's: it counts only in
        the rows tied to the person (:meth:`_tied_rows`), so that
        another person's data is neither flagged nor reported."""
        kept = plan["kept"]
        data_map = self.env["willsoft.privacy.data.map"]
        # A name kept on a consent still given is the partner's, and the
        # documents that show the partner show it (an invoice whose voucher
        # period has ended): held everywhere, as a retained buyer's.
        on_consent = data_map._on_consent(plan)
        former = data_map._former_proven_emails(plan)
        for partner in plan["partners"]:
            group["partners"].add(partner.id)
            proven = {partner._privacy_proven_email(), *former.get(partner.id, ())}
            proven.discard(False)
            typed = set(emails_of(partner.email))
            if partner.email_normalized:
                typed.add(partner.email_normalized)
            for email in proven:
                group["emails"].setdefault(email.lower(), set()).add(partner.id)
            for email in typed - proven:
                group["typed_emails"].setdefault(email.lower(), set()).add(partner.id)
            proven_phones = partner._privacy_proven_phones()
            for number in dict.fromkeys(
                (*proven_phones, partner.phone, partner.mobile)
            ):
                key = phone_key(number)
                if key:
                    prefix = "" if number in proven_phones else "typed_"
                    group[f"{prefix}phones"].setdefault(key, set()).add(partner.id)
                    # As typed: what the change history holds.
                    text = number.strip().lower()
                    group[f"{prefix}phone_texts"].setdefault(text, set()).add(
                        partner.id
                    )
            # A name that a retained invoice shows is held everywhere; a
            # single word is no person's full name.
            name = " ".join((partner.name or "").lower().split())
            if (
                partner.id not in kept
                and partner.id not in on_consent
                and " " in name
                and len(name) >= 6
            ):
                group["names"].setdefault(name, set()).add(partner.id)
        # Former values the map knows beyond the partners' fields (change
        # history): searched too, flagged on no one in particular.
        for value in plan["former"]:
            emails = emails_of(value)
            for email in emails:
                group["emails"].setdefault(email.lower(), set())
            if not emails and not re.search(r"[^\d\s+().-]", value):
                key = phone_key(value)
                if key:
                    group["phones"].setdefault(key, set())
        group["commercials"].update(commercials.ids)
        return group

    @api.model
    def _remember_held(self, group, plan):
        """After the erasure: the rows each handler declared as held, by the
        model its handler names."""
        for handler in self.env["willsoft.privacy.data.map"]._handlers():
            model = handler.get("model")
            held = plan["held"].get(handler["kind"])
            if model and held:
                group["held"].setdefault(model, set()).update(held)
        return group

    @api.model
    def _merge(self, group, other):
        for key in ("partners", "commercials"):
            group[key] |= other[key]
        for key in other.keys() - {"partners", "commercials"}:
            for value, ids in other[key].items():
                group[key].setdefault(value, set()).update(ids)
        return group

    # The pass

    @api.model
    def _find_leftovers(self, group, commercials=None):
        """Search the database for the group's values; log, flag, and return
        the leftovers as ``{"table.column": rows}``."""
        if not group["partners"]:
            return {}
        self.env.flush_all()
        indexed = self._indexed_columns()
        values = self._unambiguous(group)
        typed = self._unambiguous(group, typed=True)
        searched = Values(
            {kind: {**typed[kind], **found} for kind, found in values.items()}
        )
        allowed = self._allowed_tables()
        held_by_table = {}
        for model, ids in group["held"].items():
            if model in self.env:
                held_by_table.setdefault(self.env[model]._table, set()).update(ids)
        text_columns = {
            table: columns
            for table, columns in self._text_columns().items()
            if table not in allowed
        }
        hits = []
        tables = self._tables_with_rows(text_columns)
        # A few values (an Erase now) go in the queries; many in temporary
        # tables but for the large tables' scans (:meth:`_scan`).
        few = sum(len(found) for found in searched.values()) <= INLINE_MAX_VALUES
        with (
            self._parallel_scans(),
            self._value_tables(Values() if few else searched) as stored,
        ):
            inline = self._large_tables(tables) if stored else set(tables)
            for table in tables:
                columns = text_columns[table]
                for row_id, column, text in self._search_table(
                    table, columns, searched, indexed, inline=table in inline
                ):
                    hits.append((table, row_id, column, text))
        if indexed:
            values = self._names_inside_others(values, hits, group["partners"])
        held_by_table = self._held_with_their_record(hits, held_by_table, group["held"])
        # A hit on a typed value alone counts in the person's own rows only.
        typed_hits = [hit for hit in hits if not self._whose(hit[3], values)]
        tied = self._tied_rows(typed_hits, group["partners"])
        leftovers = {}
        flagged = set()
        held_hits = 0
        for table, row_id, column, text in hits:
            if row_id in held_by_table.get(table, ()):
                held_hits += 1
                continue
            whose = self._whose(text, values)
            if not whose:
                if (table, row_id) not in tied:
                    continue
                whose = self._whose(text, typed)
            key = f"{table}.{column}"
            _logger.info("Erasure check: left in %s, row %s", key, row_id)
            leftovers[key] = leftovers.get(key, 0) + 1
            flagged |= whose - {0}
        self._report(group, leftovers, flagged, held_hits, commercials)
        return leftovers

    @contextlib.contextmanager
    def _parallel_scans(self):
        """The scans read large tables with a regular expression per row:
        PostgreSQL would run them in parallel workers (each reads part of
        the table) but thinks the rows cheap and the workers' start dear, so
        it never does. Told otherwise for the check's queries (``SET LOCAL``,
        restored after; a rollback restores it too): on two cores the scan
        of a million partners took 8.8 s instead of 18.4 s. Workers see what
        the transaction sees (they share its snapshot)."""
        settings = ("parallel_setup_cost", "parallel_tuple_cost")
        before = self._set_config(dict.fromkeys(settings))
        self._set_config(dict.fromkeys(settings, "0"))
        yield
        self._set_config(dict(zip(settings, before, strict=True)))

    @contextlib.contextmanager
    def _value_tables(self, values):
        """The addresses, phone keys and names searched, in temporary tables
        (``VALUE_TABLES``) for the scans of the check: sent once, not with
        each table's query. Thousands of values in an array literal cost
        about 15 ms a query to send and parse, in each of the hundred or so
        queries of a check, most of them on tables of a few rows. Dropped
        after the scans (at the commit at the latest). Yields whether the
        tables are there: not for no values, nor where the database role
        may not create temporary tables (the values then go in each query).
        """
        cr = self.env.cr
        if not any(values.values()):
            yield False
            return
        try:
            with cr.savepoint(flush=False):
                for kind, table in VALUE_TABLES.items():
                    cr.execute(
                        SQL("DROP TABLE IF EXISTS pg_temp.%s", SQL.identifier(table))
                    )
                    cr.execute(
                        SQL(
                            "CREATE TEMPORARY TABLE %s (v text) ON COMMIT DROP",
                            SQL.identifier(table),
                        )
                    )
                    cr.execute(
                        SQL(
                            "INSERT INTO %s SELECT DISTINCT unnest(%s::text[])",
                            SQL.identifier(table),
                            looked_up(values, kind),
                        )
                    )
                    cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        except psycopg2.errors.InsufficientPrivilege as error:
            _logger.warning(
                "Erasure check: no temporary tables (%s): the values go in each "
                "query, which is slower (docs/deployment.md, D.5)",
                error,
            )
            yield False
            return
        yield True
        for table in VALUE_TABLES.values():
            cr.execute(SQL("DROP TABLE IF EXISTS pg_temp.%s", SQL.identifier(table)))

    @api.model
    def _set_config(self, values):
        """Set these settings for the transaction (``SET LOCAL``), the ones
        whose value is None only read; returns their values before."""
        self.env.cr.execute(
            SQL(
                "SELECT %s",
                SQL(", ").join(
                    SQL("current_setting(%s)", name)
                    if value is None
                    else SQL("set_config(%s, %s, true)", name, value)
                    for name, value in values.items()
                ),
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _tables_with_rows(self, tables):
        """Of ``tables``, those that hold a row, in one query: most tables of
        a database hold none (apps installed, never used), and a search of
        each would cost a round trip and a plan for nothing."""
        if not tables:
            return []
        self.env.cr.execute(
            SQL(" UNION ALL ").join(
                SQL(
                    "SELECT %s WHERE EXISTS (SELECT FROM %s)",
                    table,
                    SQL.identifier(table),
                )
                for table in tables
            )
        )
        present = {row[0] for row in self.env.cr.fetchall()}
        return [table for table in tables if table in present]

    @api.model
    def _large_tables(self, tables):
        """Of ``tables``, those PostgreSQL estimates at ``INLINE_MIN_ROWS``
        rows or more (:meth:`_scan`)."""
        if not tables:
            return set()
        self.env.cr.execute(
            SQL(
                "SELECT relname FROM pg_class WHERE relname = ANY(%s)"
                " AND relnamespace = current_schema()::regnamespace"
                " AND relkind = 'r' AND reltuples >= %s",
                list(tables),
                INLINE_MIN_ROWS,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _held_with_their_record(self, hits, held_by_table, held):
        """The messages, tracked values and attachments of a record kept as a
        whole (a request, the blacklist entry that stops mail to an erased
        address) are kept with it. Not a partner's: what of a restricted
        partner's history stays is the messages' handler's to say."""
        exempt = set(EXEMPT_MODELS)
        queries = {
            "mail_message": "SELECT id, model, res_id FROM mail_message "
            "WHERE id = ANY(%s)",
            "mail_tracking_value": "SELECT t.id, m.model, m.res_id "
            "FROM mail_tracking_value t "
            "JOIN mail_message m ON m.id = t.mail_message_id WHERE t.id = ANY(%s)",
            "ir_attachment": "SELECT id, res_model, res_id FROM ir_attachment "
            "WHERE id = ANY(%s)",
        }
        held_by_table = {table: set(ids) for table, ids in held_by_table.items()}
        for table, query in queries.items():
            ids = [
                row_id
                for hit_table, row_id, _column, _text in hits
                if hit_table == table and row_id not in held_by_table.get(table, ())
            ]
            if not ids:
                continue
            self.env.cr.execute(SQL(query, ids))
            for row_id, model, res_id in self.env.cr.fetchall():
                if model in exempt or (
                    model != "res.partner" and res_id in held.get(model, ())
                ):
                    held_by_table.setdefault(table, set()).add(row_id)
        return held_by_table

    @api.model
    def _tied_rows(self, hits, partner_ids):
        """Of these hits, the ``(table, id)`` of the rows tied to the erased
        partners: their own row, a row whose ``partner_id`` is one of them,
        and their messages, tracked changes and attachments."""
        queries = {
            "res_partner": "SELECT id FROM res_partner WHERE id = ANY(%s) "
            "AND id = ANY(%s)",
            "mail_message": "SELECT id FROM mail_message WHERE id = ANY(%s) "
            "AND model = 'res.partner' AND res_id = ANY(%s)",
            "mail_tracking_value": "SELECT t.id FROM mail_tracking_value t "
            "JOIN mail_message m ON m.id = t.mail_message_id WHERE t.id = ANY(%s) "
            "AND m.model = 'res.partner' AND m.res_id = ANY(%s)",
            "ir_attachment": "SELECT id FROM ir_attachment WHERE id = ANY(%s) "
            "AND res_model = 'res.partner' AND res_id = ANY(%s)",
        }
        by_table = {}
        for table, row_id, _column, _text in hits:
            by_table.setdefault(table, set()).add(row_id)
        tied = set()
        for table, ids in by_table.items():
            if table in queries:
                query = SQL(queries[table], list(ids), list(partner_ids))
            elif self._partner_column(table):
                query = SQL(
                    "SELECT id FROM %s WHERE id = ANY(%s) AND partner_id = ANY(%s)",
                    SQL.identifier(table),
                    list(ids),
                    list(partner_ids),
                )
            else:
                continue
            self.env.cr.execute(query)
            tied |= {(table, row[0]) for row in self.env.cr.fetchall()}
        return tied

    @api.model
    def _partner_column(self, table):
        """Whether the table's rows name their partner in ``partner_id``."""
        for name in self.env.registry:
            model = self.env[name]
            if model._table == table and model._auto and not model._abstract:
                field = model._fields.get("partner_id")
                return bool(
                    field
                    and field.store
                    and field.type == "many2one"
                    and field.comodel_name == "res.partner"
                )
        return False

    @api.model
    def _unambiguous(self, group, typed=False):
        """The values to search (with ``typed``, those the people only typed
        themselves). A name, or a phone number, that someone else in the
        register still goes by (a namesake, a switchboard) cannot tell the
        erased person from them: such values are not searched (a number
        someone else proved is theirs too: ``res_partner.py``). An email
        address is: another partner with it is most likely the same person.
        A name that lies inside someone else's is settled after the search
        (:meth:`_names_inside_others`)."""
        partner_ids = list(group["partners"])
        if typed:
            group = {
                "names": {},
                "emails": group["typed_emails"],
                "phones": group["typed_phones"],
                "phone_texts": group["typed_phone_texts"],
            }
        names, phones = group["names"], group["phones"]
        shared = set()
        if names:
            # By the btree index of lower(name): one lookup a name.
            self.env.cr.execute(
                SQL(
                    "SELECT DISTINCT lower(name) FROM res_partner "
                    "WHERE lower(name) = ANY(%s) AND id != ALL(%s)",
                    list(names),
                    partner_ids,
                )
            )
            shared |= {row[0] for row in self.env.cr.fetchall()}
        if phones:
            # By the index of each column's keys (PHONE_KEY_COLUMNS), the
            # numbers sent once.
            keys = []
            for column in PHONE_KEY_COLUMNS:
                key = SQL(phone_key_expression(column))
                keys.append(
                    SQL(
                        "SELECT id, %s AS key FROM res_partner WHERE %s IS NOT NULL"
                        " AND %s = ANY((SELECT v FROM wanted)::text[])",
                        key,
                        SQL.identifier(column),
                        key,
                    )
                )
            self.env.cr.execute(
                SQL(
                    "WITH wanted AS (SELECT %s::text[] AS v) "
                    "SELECT DISTINCT number.key FROM (%s) number "
                    "WHERE number.id != ALL(%s)",
                    list(phones),
                    SQL(" UNION ALL ").join(keys),
                    partner_ids,
                )
            )
            shared |= {row[0] for row in self.env.cr.fetchall()}
        return Values(
            emails=group["emails"],
            phones={k: ids for k, ids in phones.items() if k not in shared},
            phone_texts={
                text: ids
                for text, ids in group["phone_texts"].items()
                if phone_key(text) not in shared
            },
            names={k: ids for k, ids in names.items() if k not in shared},
        )

    @api.model
    def _names_inside_others(self, values, hits, partner_ids):
        """The trigram-indexed columns are searched for names anywhere in
        their text, inflected forms included (Kaisa Salon, Kaisa Salolle).
        A name that lies inside the name of someone outside the group (Kaisa
        Salo in Kaisa Salonen, whose every form, Salosen, Saloselle, contains
        it) is no proof inside a text: it counts only as a whole value (a
        cell that is the name and nothing else). Asked only for the names
        that a hit holds inside a longer text (few, where the erasure
        worked), one trigram index scan a name. Returns the values with those
        names moved to ``whole_names``."""
        inside = set()
        for _table, _row_id, _column, text in hits:
            spaced = " ".join(text.lower().split())
            inside.update(
                name for name, _ids in values.names_inside(spaced) if name != spaced
            )
        if not inside:
            return values
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT v.name "
                "FROM unnest(%s::text[], %s::text[]) AS v(name, pattern) "
                "JOIN res_partner p ON lower(p.name) LIKE v.pattern "
                "WHERE p.id != ALL(%s)",
                list(inside),
                [f"%{escape_psql(name)}%" for name in inside],
                list(partner_ids),
            )
        )
        within = {row[0] for row in self.env.cr.fetchall()}
        if not within:
            return values
        return Values(
            values,
            names={k: ids for k, ids in values["names"].items() if k not in within},
            whole_names={
                **values["whole_names"],
                **{k: ids for k, ids in values["names"].items() if k in within},
            },
        )

    @api.model
    def _allowed_tables(self):
        return {self.env[m]._table for m in EXEMPT_MODELS if m in self.env}

    @api.model
    def _text_columns(self):
        """``{table: {column: is_json}}``: every stored char, text and html
        column of every model with a table of its own, translated and
        company-dependent ones (jsonb) included. Wizards are left out: core
        deletes their records within hours."""
        columns = {}
        for model_name in self.env.registry:
            model = self.env[model_name]
            if model._abstract or model._transient or not model._auto:
                continue
            for field in model._fields.values():
                if (
                    field.store
                    and field.column_type
                    and field.type in ("char", "text", "html")
                ):
                    columns.setdefault(model._table, {})[field.name] = (
                        field.column_type[0] == "jsonb"
                    )
        return columns

    @api.model
    def _search_table(self, table, columns, values, indexed, inline=False):
        """(id, column, text) of the cells that hold one of the values: one
        query per trigram-indexed column, one for the table's other columns
        together, for all the people of the group. The index finds a name
        anywhere, inside a longer word too; a cell is a hit only if it holds
        a value as :meth:`_whose` means it."""
        hits = []
        scanned = {}
        many = len(values["emails"]) + len(values["phones"]) > INDEX_MAX_VALUES
        many_names = len(values["names"]) + len(values["whole_names"]) > INDEX_MAX_NAMES
        for column, is_json in columns.items():
            hows = indexed.get((table, column))
            if not hows or (table, column) in SCANNED_COLUMNS:
                scanned[column] = is_json
                continue
            wanted = values.only(TRIGRAM_SEARCHES.get((table, column), KINDS))
            if many and (wanted["emails"] or wanted["phones"]):
                # Addresses and numbers by the scan, names by the index.
                scanned[column] = is_json
                wanted = wanted.only(("names", "whole_names"))
            if many_names and (wanted["names"] or wanted["whole_names"]):
                # Names by reading the column, the rest by the index.
                hits += self._read_for_names(
                    table, column, wanted.only(("names", "whole_names"))
                )
                wanted = wanted.only(("emails", "phones", "phone_texts"))
            condition = self._indexed_condition(column, wanted, hows)
            if condition:
                self.env.cr.execute(
                    SQL(
                        "SELECT id, %s FROM %s WHERE %s",
                        SQL.identifier(column),
                        SQL.identifier(table),
                        condition,
                    )
                )
                hits += [
                    (i, column, text)
                    for i, text in self.env.cr.fetchall()
                    if text and self._whose(text, wanted)
                ]
        if scanned:
            hits += self._scan(table, scanned, values, inline=inline)
        # A cell found by both (a name, with many values) is one hit.
        unique = {(i, column): (i, column, text) for i, column, text in hits}
        return list(unique.values())

    @api.model
    def _read_for_names(self, table, column, values):
        """(id, column, text) of the column's cells that hold one of the
        names, the column read once through a server-side cursor, a chunk at
        a time (the memory it takes does not grow with the table)."""
        cursor = SQL.identifier(f"willsoft_privacy_{table}_{column}")
        self.env.cr.execute(
            SQL(
                "DECLARE %s NO SCROLL CURSOR FOR SELECT id, %s FROM %s "
                "WHERE %s IS NOT NULL",
                cursor,
                SQL.identifier(column),
                SQL.identifier(table),
                SQL.identifier(column),
            )
        )
        hits = []
        while True:
            self.env.cr.execute(SQL("FETCH %s FROM %s", READ_CHUNK, cursor))
            rows = self.env.cr.fetchall()
            if not rows:
                break
            hits += [
                (row_id, column, text)
                for row_id, text in rows
                if self._whose(text, values)
            ]
        # Not in a finally: after an error the transaction (or savepoint)
        # is rolled back, which closes the cursor.
        self.env.cr.execute(SQL("CLOSE %s", cursor))
        return hits

    @api.model
    def _indexed_condition(self, column, values, hows):
        """LIKE with the values on a trigram-indexed column: a bitmap scan of
        the index per value."""
        col = SQL.identifier(column)
        conditions = []
        likes = [
            f"%{escape_psql(v)}%"
            for v in [
                *values["emails"],
                *values["names"],
                *values["whole_names"],
                *values["phone_texts"],
            ]
        ]
        if likes:
            conditions.append(SQL("lower(%s) LIKE ANY(%s)", col, likes))
        if values["phones"] and "digits" in hows:
            conditions.append(
                SQL(
                    "regexp_replace(%s, '[^0-9]', '', 'g') LIKE ANY(%s)",
                    col,
                    [f"%{key}%" for key in values["phones"]],
                )
            )
        return SQL(" OR ").join(conditions) if conditions else None

    @api.model
    def _scan(self, table, columns, values, inline=False):
        """The table's other columns, read once: their texts, joined, are cut
        into the email addresses and phone numbers they hold, and a name
        matches a column's whole value; each is looked up in the values'
        hashed set, so the cost does not grow with the number of people. The
        parallel workers cut, trim and look up. Only the hit rows are read
        back, to say which column holds what.

        The values are sent ``inline`` in the query for a large table (the
        lookups then run in the workers), otherwise looked up in their
        temporary tables (:meth:`_value_tables`) by the leader: sending
        thousands of values costs about 15 ms a query, more than reading a
        small table, and a temporary table is the leader's alone, so for a
        large one every cell would travel to it."""
        texts = [
            SQL("%s::text", SQL.identifier(c)) if is_json else SQL.identifier(c)
            for c, is_json in columns.items()
        ]
        # Joined by line breaks, which neither a number (PHONE_RE) nor an
        # address runs across: joined by spaces, a number that ends a column
        # and the digits that start the next (a c/o line, a postal code)
        # read as one longer number, and the number was not found.
        joined = SQL("concat_ws(chr(10), %s)", SQL(", ").join(texts))

        def among(expression, kind):
            if inline:
                return SQL("%s = ANY(%s)", expression, looked_up(values, kind))
            return SQL(
                "%s IN (SELECT v FROM %s)",
                expression,
                SQL.identifier(VALUE_TABLES[kind]),
            )

        parts = []
        if values["emails"]:
            parts.append(
                SQL(
                    "SELECT t.id FROM %s t,"
                    " LATERAL regexp_matches(lower(%s), %s, 'g') m"
                    " WHERE strpos(%s, '@') > 0 AND %s",
                    SQL.identifier(table),
                    joined,
                    EMAIL_RE,
                    joined,
                    among(SQL("m[1]"), "emails"),
                )
            )
        if values["phones"]:
            parts.append(
                SQL(
                    "SELECT t.id FROM %s t, LATERAL regexp_matches(%s, %s, 'g') m"
                    " WHERE %s",
                    SQL.identifier(table),
                    joined,
                    PHONE_RE,
                    among(SQL(PHONE_KEY_SQL, SQL("m[1]")), "phones"),
                )
            )
        cells = [SQL("lower(btrim(%s))", text) for text in texts]
        if looked_up(values, "names") and inline:
            names = SQL(" OR ").join(among(cell, "names") for cell in cells)
            parts.append(
                SQL("SELECT t.id FROM %s t WHERE %s", SQL.identifier(table), names)
            )
        elif looked_up(values, "names"):
            # One lookup for the cells of all the columns (a hash join).
            parts.append(
                SQL(
                    "SELECT t.id FROM %s t, unnest(ARRAY[%s]) AS cell(v)"
                    " WHERE cell.v <> '' AND %s",
                    SQL.identifier(table),
                    SQL(", ").join(cells),
                    among(SQL("cell.v"), "names"),
                )
            )
        if not parts:
            return []
        self.env.cr.execute(SQL(" UNION ").join(parts))
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return []
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM %s WHERE id = ANY(%s)",
                SQL(", ").join(SQL("%s", text) for text in texts),
                SQL.identifier(table),
                ids,
            )
        )
        hits = []
        for row in self.env.cr.fetchall():
            for column, text in zip(columns, row[1:], strict=True):
                if text and self._whose(text, values, whole_names=True):
                    hits.append((row[0], column, text))
        return hits

    @api.model
    def _indexed_columns(self):
        """The trigram indexes that exist in this database, by column."""
        if not self.env.registry.has_trigram:
            return {}
        indexed = {}
        for key, hows in TRIGRAM_COLUMNS.items():
            present = tuple(
                how
                for how in hows
                if index_exists(self.env.cr, trigram_index_name(*key, how))
            )
            if present:
                indexed[key] = present
        return indexed

    @api.model
    def _whose(self, text, values, whole_names=False):
        """The erased partners whose value a hit holds (in memory only), as
        the queries match them; an empty set for a cell that holds none (the
        other cells of a hit row). The text's addresses, numbers and names
        are looked up in the values (:class:`Values`), not the values
        searched for one by one."""
        if not isinstance(values, Values):
            values = Values(values)
        low = text.lower()
        spaced = " ".join(low.split())
        found = [
            *values.emails_in(low, whole_names),
            *values.phones_in(text, whole_names),
        ]
        if spaced in values.lookup["whole"]:
            found.append(values.lookup["whole"][spaced])
        if not whole_names:
            found += [ids for _name, ids in values.names_inside(spaced)]
        whose = set()
        for ids in found:
            whose.update(ids or {0})
        return whose

    @api.model
    def _report(self, group, leftovers, flagged, held_hits, commercials):
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        today = fields.Date.context_today(self)
        checked = Partner.browse(sorted(group["partners"])).exists()
        flagged = checked.filtered(lambda p: p.id in flagged)
        # Unattributed hits (a value of the change history, say) flag the
        # commercial partners of the group when there is only one.
        if leftovers and not flagged and len(group["commercials"]) == 1:
            flagged = Partner.browse(list(group["commercials"])).exists()
        ctx = {"tracking_disable": True, "mail_notrack": True}
        (checked - flagged).filtered("privacy_leftover_date").with_context(**ctx).write(
            {"privacy_leftover_date": False}
        )
        if flagged:
            flagged.with_context(**ctx).write({"privacy_leftover_date": today})
            self._notify_officers(flagged, leftovers)
        self.env["willsoft.privacy.audit.log"]._log(
            "check",
            partner=commercials if commercials and len(commercials) == 1 else None,
            counts=leftovers,
            result="warning" if leftovers else "ok",
            message=self.env._(
                "%(people)s people checked in every text column; %(held)s hits "
                "on records kept by a legal obligation.",
                people=len(group["partners"]),
                held=held_hits,
            )
            + " "
            + (
                self.env._(
                    "Leftovers found on %(count)s partners: see the counts per "
                    "table and column.",
                    count=len(flagged),
                )
                if leftovers
                else self.env._("Nothing left beyond what a legal obligation keeps.")
            ),
        )
        if leftovers:
            _logger.info("Erasure check: leftovers %s", leftovers)

    @api.model
    def _notify_officers(self, partners, leftovers):
        officers = self.env.ref("willsoft_privacy.group_privacy_officer")
        officer = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", officers.id),
                    ("share", "=", False),
                    ("id", "!=", self.env.ref("base.user_root").id),
                ],
                order="id",
                limit=1,
            )
        )
        note = self.env._(
            "The erasure check found data of this person left in: %s. Find and "
            "erase it, or record why it is kept.",
            ", ".join(sorted(leftovers)),
        )
        for partner in partners:
            partner.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=self.env._("Erasure check: data left after erasure"),
                note=note,
                user_id=officer.id or self.env.uid,
            )
