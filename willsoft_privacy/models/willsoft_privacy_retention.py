# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import threading

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL, escape_psql
from odoo.tools.sql import create_index

_logger = logging.getLogger(__name__)

BATCH_SIZE = 100
# Batches per call; the scheduler calls again while work remains.
MAX_BATCHES = 10
# Times in a row a run takes a fresh snapshot when another run committed the
# next batch under it, before it leaves the rest to the next call.
MAX_CLAIM_RETRIES = 5
# Tables whose statistics the run's plans depend on: the partners it selects
# and erases, and what the erasure check searches.
PLANNED_TABLES = (
    "res_partner",
    "account_move",
    "mail_message",
    "mail_tracking_value",
    "mail_activity",
    "ir_attachment",
)
# Text columns the erasure check searches for the former email, phone and name.
# Text columns the erasure check searches, and how: "contact" columns for
# the email addresses and phone numbers anywhere in the text, "exact" ones
# for any former value (a tracked change holds the whole old value), "all"
# for email, phone and name anywhere. A name is not unique: in free text it
# would flag every namesake, so message bodies are searched for contact
# details only.
TEXT_SEARCHES = (
    ("messages", "mail_message", "body", "contact"),
    ("messages", "mail_message", "subject", "contact"),
    ("messages", "mail_message", "email_from", "contact"),
    ("tracking", "mail_tracking_value", "old_value_char", "exact"),
    ("tracking", "mail_tracking_value", "new_value_char", "exact"),
    ("attachments", "ir_attachment", "name", "all"),
)


class WillsoftPrivacyRetention(models.AbstractModel):
    """The two retention stages, run by the daily scheduled action, by the
    dry run, and for one partner on an approved erasure request.

    Partners are handled by commercial entity: a company (or a person with no
    company) together with all its contact persons.
    """

    _name = "willsoft.privacy.retention"
    _description = "Privacy retention engine"

    def init(self):
        """A trigram index on message bodies, where the extension is at hand,
        so that the erasure check's text search does not read every message
        of the database for each batch."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                self.env.cr.execute(
                    "CREATE INDEX IF NOT EXISTS "
                    "willsoft_privacy_mail_message_body_trgm ON mail_message "
                    "USING gin (lower(body::text) gin_trgm_ops)"
                )
        except psycopg2.Error:
            _logger.info(
                "pg_trgm is not available: the erasure check scans message bodies."
            )
        # The next batch of each stage, in the order the claim takes it: the
        # scan starts at the first partner due and stops after one batch,
        # however many partners are done or not yet due (the partial index
        # holds only the commercial partners that a stage may still take).
        create_index(
            self.env.cr,
            "willsoft_privacy_res_partner_stage1_due_index",
            "res_partner",
            ["privacy_anonymise_date", "id"],
            where="parent_id IS NULL AND privacy_stage = 'none'",
        )
        create_index(
            self.env.cr,
            "willsoft_privacy_res_partner_stage2_due_index",
            "res_partner",
            ["privacy_accounting_hold_date", "id"],
            where="parent_id IS NULL AND privacy_stage = 'restricted'",
        )

    # Which partners are due

    @api.model
    def _privacy_protected_partners(self):
        """Partners of companies and of employees (internal users, archived
        ones too) are not data subjects of the customer register: an SQL
        subquery, so that no batch loads them."""
        self.env["res.users"].flush_model(["share", "partner_id"])
        self.env["res.company"].flush_model(["partner_id"])
        return SQL(
            """(SELECT employee.partner_id FROM res_users employee
                 WHERE employee.share IS NOT TRUE
                UNION ALL
                SELECT company.partner_id FROM res_company company
                 WHERE company.partner_id IS NOT NULL)"""
        )

    @api.model
    def _privacy_due_domain(self, stage, today=None):
        today = today or fields.Date.context_today(self)
        domain = [
            ("parent_id", "=", False),
            ("id", "not in", self._privacy_protected_partners()),
            "|",
            ("privacy_hold_until", "=", False),
            ("privacy_hold_until", "<", today),
        ]
        if stage == "stage1":
            # "Due on" the anonymisation date: that day's run does it.
            domain += [
                ("privacy_stage", "=", "none"),
                ("privacy_anonymise_date", "<=", today),
            ]
            # Potential customers and other contacts who still consent are
            # kept until they withdraw (notice, section 10); a customer's
            # basic data goes on time all the same.
            domain += [
                "|",
                ("privacy_category", "=", "customer"),
                ("id", "not in", self._privacy_consenting_commercials()),
            ]
        else:
            domain += [
                ("privacy_stage", "=", "restricted"),
                "|",
                ("privacy_accounting_hold_date", "=", False),
                ("privacy_accounting_hold_date", "<", today),
            ]
        blocked = (
            self.env["res.company"]
            .sudo()
            .search([("privacy_run_needs_approval", "=", True)])
            .filtered(lambda c: c.privacy_run_approved_date != today)
        )
        if blocked:
            domain.append(("company_id", "not in", blocked.ids))
            if self.env.company in blocked:
                domain.append(("company_id", "!=", False))
        # Retried tomorrow, not in a loop today.
        domain.append(("id", "not in", self._privacy_failed_since(today)))
        return domain

    @api.model
    def _privacy_failed_since(self, day):
        """The partners whose retention failed on ``day`` or later, as an SQL
        subquery (read in the same snapshot as the partners it excludes)."""
        log = self.env["willsoft.privacy.audit.log"]
        log.flush_model(["event", "event_date", "partner_ref"])
        return SQL(
            """(SELECT failed.partner_ref FROM %s failed
                 WHERE failed.event = 'error' AND failed.event_date >= %s)""",
            SQL.identifier(log._table),
            fields.Datetime.to_datetime(day),
        )

    @api.model
    def _privacy_consenting_commercials(self):
        """Commercial partners of the people whose consent is given now, as
        an SQL subquery: the domain needs no list of ids, however many
        people consent."""
        self.env["willsoft.privacy.consent.event"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        return SQL(
            """(SELECT person.commercial_partner_id
                  FROM %s consent
                  JOIN res_partner person ON person.id = consent.partner_id
                 WHERE consent.state = 'given'
                   AND person.commercial_partner_id IS NOT NULL)""",
            SQL.identifier(self.env["willsoft.privacy.consent.state"]._table),
        )

    @api.model
    def _privacy_due_partners(self, stage, limit=None):
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search(self._privacy_due_domain(stage), limit=limit, order="id")
        )

    @api.model
    def _privacy_claim(self, stage, batch_size=BATCH_SIZE):
        """The next batch due for ``stage``, locked until this transaction
        ends: two runs at once (an officer's and the scheduler's, or two
        servers') each take a batch the other has not, and neither waits.

        The batch is the first ``batch_size`` due, oldest due date first,
        through the partial indexes made by init(). The lock is on the
        commercial partners; their contacts go with them. Raises a
        serialisation failure when another run committed, after this
        transaction began, a batch that this one still saw as due: the
        caller takes a new snapshot and claims again.
        """
        query = self._privacy_claim_query(stage, batch_size)
        self.env.flush_query(query)
        # A serialisation failure here is expected and handled by the caller,
        # not a bad query to log.
        self.env.cr.execute(query, log_exceptions=False)
        rows = self.env.cr.fetchall()
        return self.env["res.partner"].sudo().browse([row[0] for row in rows])

    @api.model
    def _privacy_claim_query(self, stage, batch_size=BATCH_SIZE):
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        order = (
            "privacy_anonymise_date, id"
            if stage == "stage1"
            else "privacy_accounting_hold_date, id"
        )
        query = Partner._search(
            self._privacy_due_domain(stage), limit=batch_size, order=order
        )
        # NO KEY UPDATE, as the scheduler locks its jobs: it keeps another run
        # off the row but lets rows that refer to the partner be written.
        return SQL(
            "%s FOR NO KEY UPDATE OF %s SKIP LOCKED",
            query.select(),
            SQL.identifier(query.table),
        )

    @api.model
    def _privacy_with_contacts(self, commercials):
        """The commercial partners and their contact persons, employees
        (partners of internal users) left out."""
        return commercials.with_context(active_test=False).search(
            [
                "|",
                ("id", "in", commercials.ids),
                ("commercial_partner_id", "in", commercials.ids),
                ("id", "not in", self._privacy_protected_partners()),
            ]
        )

    # Running a stage

    @api.model
    def _privacy_process(self, commercials, event):
        """Erase what no legal obligation keeps of these commercial partners
        and their contacts; log and check the result.

        The batch is erased in one go; if that fails, partner by partner in
        savepoints, so that one failing partner is logged and the others go on.
        Returns the partners done.
        """
        commercials = commercials.sudo().with_context(active_test=False)
        if not commercials:
            return commercials
        try:
            with self.env.cr.savepoint():
                self._privacy_process_batch(commercials, event)
            return commercials
        except Exception:  # noqa: BLE001 (retried one by one below)
            _logger.info("Retention batch failed, retrying partner by partner")
            self.env.invalidate_all()
        done = commercials.browse()
        for commercial in commercials:
            try:
                with self.env.cr.savepoint():
                    self._privacy_process_batch(commercial, event)
                done |= commercial
            except Exception as error:  # noqa: BLE001 (one partner must not stop the run)
                self.env.invalidate_all()
                _logger.warning(
                    "Retention failed for partner #%s: %s",
                    commercial.id,
                    error,
                    exc_info=True,
                )
                self.env["willsoft.privacy.audit.log"]._log(
                    "error",
                    partner=commercial,
                    result="error",
                    message=self.env._(
                        "%(event)s failed: %(error)s",
                        event=event,
                        error=type(error).__name__,
                    ),
                )
        return done

    @api.model
    def _privacy_process_batch(self, commercials, event):
        data_map = self.env["willsoft.privacy.data.map"]
        partners = self._privacy_with_contacts(commercials)
        former = data_map._privacy_former_values(partners)
        counts = data_map._privacy_erase(partners)
        self.env.flush_all()
        log = self.env["willsoft.privacy.audit.log"]
        log._log(
            "run",
            counts=counts,
            message=self.env._(
                "%(event)s of %(count)s partners: %(ids)s",
                event=event,
                count=len(commercials),
                ids=", ".join(str(i) for i in commercials.ids),
            ),
        )
        entries = []
        for commercial in commercials:
            family = partners.filtered(
                lambda p, c=commercial: p.commercial_partner_id == c
            )
            entries.append(
                {
                    "event": event,
                    "partner": commercial,
                    "counts": {
                        "contacts": len(family) - 1,
                        "restricted": len(
                            family.filtered(lambda p: p.privacy_stage == "restricted")
                        ),
                        "anonymised": len(
                            family.filtered(lambda p: p.privacy_stage == "anonymised")
                        ),
                    },
                    "message": self.env._("Restricted: buyer data kept for accounting.")
                    if commercial.privacy_stage == "restricted"
                    else self.env._("Anonymised."),
                }
            )
        log._log_many(entries)
        self._privacy_erasure_check(partners, former, commercials)
        self.env["willsoft.privacy.suppression"]._privacy_suppress(former)

    # Erasure check

    @api.model
    def _privacy_erasure_check(self, partners, former, commercials=None):
        """Rescan what the map knows about the partners, and search the text
        of messages, tracked values and attachment names for their former
        email, phone and name. Whatever is found and not kept by a legal
        obligation is a leftover; the result goes to the audit log."""
        data_map = self.env["willsoft.privacy.data.map"]
        self.env.flush_all()
        plan = data_map._privacy_plan(partners)
        leftovers = {}
        for handler in data_map._privacy_handlers():
            kind = handler["kind"]
            if kind in ("partner", "users", "followers"):
                continue
            records = plan["found"][kind]
            held = data_map._privacy_call(kind, "held", records, plan)
            # Messages the person received on others' documents stay, without
            # them as recipient: the rescan finds them no more.
            left = records.filtered(lambda r, h=held: r.id not in h)
            # Redacted in place (consent lines without their proof): found
            # again, but holding nothing that names the person.
            left = data_map._privacy_call(kind, "left", left, plan)
            if left:
                leftovers[kind] = len(left)
                _logger.info("Erasure check: %s left: %s", kind, left.ids)
        retired = plan["found"]["users"].filtered(lambda u: u.active and u.share)
        if retired:
            leftovers["users"] = len(retired)
        identifying = partners.filtered(
            lambda p: p.email or p.phone or p.mobile or p.privacy_stage == "none"
        )
        if identifying:
            leftovers["partner"] = len(identifying)
        kept_names = {
            value
            for partner in partners
            if partner.id in plan["kept"]
            for value in (partner.name, partner.commercial_company_name)
            if value
        }
        for kind, count in self._privacy_text_search(former - kept_names, plan).items():
            leftovers[f"{kind}_text"] = count
        self.env["willsoft.privacy.audit.log"]._log(
            "check",
            partner=commercials if commercials and len(commercials) == 1 else None,
            counts=leftovers,
            result="warning" if leftovers else "ok",
            message=self.env._("Nothing left beyond what accounting keeps.")
            if not leftovers
            else self.env._("Leftovers found: see the counts per kind."),
        )
        return leftovers

    @api.model
    def _privacy_text_search(self, values, plan):
        """Ids of records whose text still holds one of ``values`` and that no
        legal obligation keeps, per kind."""
        values = sorted(v for v in values if v)
        if not values:
            return {}
        Suppression = self.env["willsoft.privacy.suppression"]
        contact = [v for v in values if Suppression._privacy_normalize(v)[0]]
        # One pass over each column for all the values, however many
        # partners the batch holds; lower() LIKE is far cheaper than ILIKE, and
        # the trigram index made by init() serves it on message bodies.
        likes = {
            "contact": [f"%{escape_psql(v.lower())}%" for v in contact],
            "all": [f"%{escape_psql(v.lower())}%" for v in values],
        }
        lowered = [v.lower() for v in values]
        hits = {}
        for kind, table, column, how in TEXT_SEARCHES:
            if how == "exact":
                condition = SQL("lower(%s) = ANY(%s)", SQL.identifier(column), lowered)
            elif likes[how]:
                condition = SQL(
                    "lower(%s::text) LIKE ANY(%s)", SQL.identifier(column), likes[how]
                )
            else:
                continue
            self.env.cr.execute(
                SQL("SELECT id FROM %s WHERE %s", SQL.identifier(table), condition)
            )
            hits.setdefault(kind, set()).update(
                row[0] for row in self.env.cr.fetchall()
            )
        data_map = self.env["willsoft.privacy.data.map"]
        models_by_kind = {
            "messages": "mail.message",
            "tracking": "mail.tracking.value",
            "attachments": "ir.attachment",
        }
        result = {}
        for kind, ids in hits.items():
            if not ids:
                continue
            records = self.env[models_by_kind[kind]].sudo().browse(ids)
            held = data_map._privacy_call(kind, "held", records, plan)
            left = len(ids - set(held))
            if left:
                result[kind] = left
        return result

    # Scheduled action

    @api.model
    def _privacy_analyze_stale_tables(self):
        """ANALYZE the tables the run plans on whose statistics are stale by
        autovacuum's own measure (10 % of the rows changed since): right
        after a large import PostgreSQL has no idea of the new rows and
        would choose a plan that reads every partner due for each batch,
        until autovacuum next passes. Returns the tables analysed."""
        rows = self.env.execute_query(
            SQL(
                """SELECT relname FROM pg_stat_user_tables
                    WHERE schemaname = current_schema() AND relname = ANY(%s)
                      AND n_mod_since_analyze > 50 + 0.1 * greatest(n_live_tup, 0)""",
                list(PLANNED_TABLES),
            )
        )
        stale = [row[0] for row in rows]
        for table in stale:
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
            except psycopg2.Error as error:
                # Not the table's owner: autovacuum will do it.
                _logger.info("Retention: cannot analyse %s: %s", table, error)
        return stale

    @api.model
    def _privacy_run_batch(self, batch_size=BATCH_SIZE):
        """One batch of the next stage due: stage 2 first (it finishes what
        stage 1 began), then stage 1. Returns (done, remaining).

        What remains is counted up to what the scheduler's next call can do
        (its ten batches): enough to say whether to call again, without a
        count over the whole register at every batch.
        """
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        horizon = batch_size * MAX_BATCHES
        stages = ("stage2", "stage1")
        for index, stage in enumerate(stages):
            batch = self._privacy_claim(stage, batch_size)
            if batch:
                self._privacy_process(batch, stage)
                remaining = sum(
                    Partner.search_count(self._privacy_due_domain(later), limit=horizon)
                    for later in stages[index:]
                )
                return len(batch), min(remaining, horizon)
        return 0, 0

    @api.model
    def _cron_privacy_retention(self, batch_size=BATCH_SIZE, max_batches=MAX_BATCHES):
        """Daily: both stages in bounded batches, committed one by one, so a
        run killed half-way resumes where it stopped and does nothing twice
        (the due domain skips what is done, the claim what another run is
        doing)."""
        testing = getattr(threading.current_thread(), "testing", False)
        self._privacy_analyze_stale_tables()
        self.env["willsoft.privacy.audit.log"]._log(
            "run", message=self.env._("Scheduled retention run started.")
        )
        if not testing:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        done_total = batches = retries = 0
        while True:
            try:
                done, remaining = self._privacy_run_batch(batch_size)
            except psycopg2.errors.SerializationFailure:
                # Another run committed the batch this transaction still saw
                # as due: nothing is done yet since the last commit, so a new
                # transaction (a new snapshot) claims the next one.
                if testing or retries >= MAX_CLAIM_RETRIES:
                    raise
                _logger.info("Another retention run took the next batch: claim again")
                self.env.cr.rollback()
                retries += 1
                continue
            retries = 0
            done_total += done
            batches += 1
            self.env["ir.cron"]._notify_progress(done=done_total, remaining=remaining)
            # Commit per batch: a later failure must not undo erasures that
            # are already logged; and the claim's locks end with it.
            if not testing:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if not remaining or not done or batches >= max_batches:
                break
        return done_total

    # Erasure on request

    @api.model
    def _privacy_erase_now(self, partner):
        """Stage 1 at once for one person, on an approved erasure request: a
        contact person alone, or a commercial partner with its contacts."""
        partner = partner.sudo().with_context(active_test=False)
        partner.ensure_one()
        if partner._privacy_on_hold():
            return partner.browse()
        if partner.parent_id:
            data_map = self.env["willsoft.privacy.data.map"]
            former = data_map._privacy_former_values(partner)
            counts = data_map._privacy_erase(partner)
            self.env["willsoft.privacy.audit.log"]._log(
                "erasure", partner=partner, counts=counts
            )
            self._privacy_erasure_check(partner, former, partner)
            self.env["willsoft.privacy.suppression"]._privacy_suppress(former)
            return partner
        return self._privacy_process(partner, "erasure")

    # Dry run

    @api.model
    def _privacy_preview(self, limit=200):
        """What the next run will do, per commercial partner, without doing it:
        a list of dicts for the dry-run wizard."""
        data_map = self.env["willsoft.privacy.data.map"]
        labels = {h["kind"]: h["label"] for h in data_map._privacy_handlers()}
        rows = []
        today = fields.Date.context_today(self)
        for stage in ("stage2", "stage1"):
            for commercial in self._privacy_due_partners(stage, limit=limit):
                partners = self._privacy_with_contacts(commercial)
                counts = data_map._privacy_counts(partners)
                kept = data_map._privacy_buyers_on_retained_moves(partners, today)
                if stage == "stage2":
                    action = self.env._("Anonymise the buyer data kept for accounting")
                elif kept:
                    action = self.env._(
                        "Restrict: erase all but the buyer data of retained invoices"
                    )
                else:
                    action = self.env._("Anonymise at once: no retained invoice")
                rows.append(
                    {
                        "partner_id": commercial.id,
                        "stage": stage,
                        "action": action,
                        "record_count": sum(
                            c["found"] - c["held"] for c in counts.values()
                        ),
                        "held_count": sum(c["held"] for c in counts.values()),
                        "counts": "\n".join(
                            f"{labels[kind]}: {c['found'] - c['held']}"
                            + (f" (+{c['held']} kept)" if c["held"] else "")
                            for kind, c in counts.items()
                            if c["found"]
                        ),
                    }
                )
        return rows
