# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import logging
import threading
import time
from datetime import datetime, timedelta

import psycopg2

from odoo import api, fields, models
from odoo.osv import expression
from odoo.service.server import SLEEP_INTERVAL
from odoo.tools import SQL, config
from odoo.tools.sql import create_index

from .willsoft_privacy_consent_event import RECORD_EVENT
from .willsoft_privacy_erasure_check import CHECK_GROUP_SIZE

_logger = logging.getLogger(__name__)


class _ExpectedConflictFilter(logging.Filter):
    """A serialisation failure the retention run expects and handles (see
    ``_refresh_before_run`` and ``_time_check``) is not a bad query to log."""

    def filter(self, record):
        if not getattr(threading.current_thread(), "privacy_expected_conflict", False):
            return True
        message = record.getMessage()
        return not (
            "could not serialize access" in message
            or "ir_config_parameter_key_uniq" in message
        )


logging.getLogger("odoo.sql_db").addFilter(_ExpectedConflictFilter())


@contextlib.contextmanager
def _conflicts_expected():
    """Within it, the failures :class:`_ExpectedConflictFilter` names are
    the caller's to handle, not bad queries to log."""
    thread = threading.current_thread()
    thread.privacy_expected_conflict = True
    try:
        yield
    finally:
        thread.privacy_expected_conflict = False


# Commercial partners per batch (their contacts go with them), each batch
# committed on its own. A batch's queries and its calls into the ORM cost
# about the same for 100 as for 500: larger batches spread them thinner
# (docs/benchmarks.md, "One write a partner, larger batches and checks").
BATCH_SIZE = 500
# Batches per call at most; while work remains, the job is triggered again
# (_hand_on), or the caller calls again.
MAX_BATCHES = 200
# A call takes new batches for this long at most, then checks what it
# erased and ends (the erasure check costs a read of the register's text
# columns per call). On a server, less where the scheduler's time limit is
# tighter: see _call_seconds.
CALL_SECONDS = 45
# Where the last erasure check's seconds are kept (ir.config_parameter): a
# check reads the whole register, so the next one takes about as long, and a
# call leaves it that much of the scheduler's time window, with a margin.
CHECK_SECONDS_PARAM = "willsoft_privacy.check_seconds"
CHECK_MARGIN = 1.25
# The seconds a check is taken to need before any was timed (the first call
# after the installation): 5 s on a register of 20,000, 25 to 35 s on a
# million in a cron worker.
UNTIMED_CHECK_SECONDS = 30
# Seconds of the window kept for the rest of a call's end: the count of what
# remains, the commits, the scheduler's own writes.
END_SECONDS = 5
# A cron worker (--workers) has its time limit counted from before its sleep
# between polls (SLEEP_INTERVAL and up to 10 s of jitter), not from when it
# takes the job: a job woken by the clock has this much less time.
WORKER_SLEEP = SLEEP_INTERVAL + 10
# The fewest seconds a call takes batches, whatever the limits.
MIN_CALL_SECONDS = 5
# What remains is counted up to this many batches: enough to say whether to
# go on, without a count over the whole register.
REMAINING_HORIZON = 10
# Times in a row a run takes a fresh snapshot when another run committed the
# next batch under it, before it leaves the rest to the next call.
MAX_CLAIM_RETRIES = 5
# The advisory lock of the clock's refresh at the start of a run.
CLOCK_LOCK_KEY = 730_500_001
# Where a call of the scheduled action keeps, on its cursor, the restricted
# contact persons found due for stage 2 (:meth:`_due_contact_ids`): read
# once a call, not at every batch's claim.
DUE_CONTACTS_MEMO = "willsoft_privacy_due_contacts"
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


class WillsoftPrivacyRetention(models.AbstractModel):
    """The two retention stages, run by the daily scheduled action, by the
    dry run, and for one partner on an approved erasure request.

    Partners are handled by commercial entity: a company (or a person with no
    company) together with all its contact persons.
    """

    _name = "willsoft.privacy.retention"
    _description = "Privacy retention engine"

    def init(self):
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
    def _protected_partner_ids(self):
        """Partners of companies and of employees, and the portal template
        user's, are not data subjects of the customer register: the ids of
        :meth:`_protected_partners`."""
        # The subquery itself, as the domains use it: a search would add the
        # active filter and the access rules, and the two could disagree.
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM res_partner WHERE id IN %s",
                self._protected_partners(),
            )
        )
        return [row[0] for row in rows]

    @api.model
    def _protected_partners(self):
        """The partners that are no data subjects, as an SQL subquery, so that
        no batch of the run loads them: employees' (internal users', archived
        ones too), the companies', and the portal template user's (a share
        user, but no person)."""
        self.env["res.users"].flush_model(["share", "partner_id"])
        self.env["res.company"].flush_model(["partner_id"])
        template = self.env.ref(
            "base.template_portal_user_id", raise_if_not_found=False
        )
        return SQL(
            """(SELECT employee.partner_id FROM res_users employee
                 WHERE employee.share IS NOT TRUE
                UNION ALL
                SELECT company.partner_id FROM res_company company
                 WHERE company.partner_id IS NOT NULL
                UNION ALL
                SELECT template.partner_id FROM res_users template
                 WHERE template.id = %s)""",
            template.id if template else 0,
        )

    @api.model
    def _due_domain(self, stage, today=None, part=None):
        """The partners due for ``stage`` today; for stage 2, with ``part``
        ("commercials" or "contacts"), only the commercial partners due or
        only the contact persons due on their own vouchers (the claim takes
        them apart: :meth:`_claim`)."""
        today = today or fields.Date.context_today(self)
        domain = [
            ("id", "not in", self._protected_partners()),
            "|",
            ("privacy_hold_until", "=", False),
            ("privacy_hold_until", "<", today),
        ]
        if stage == "stage1":
            # "Due on" the anonymisation date: that day's run does it. The
            # date follows the last contact and the last voucher (the clock
            # is refreshed before each run).
            domain += [
                ("parent_id", "=", False),
                ("privacy_stage", "=", "none"),
                ("privacy_anonymise_date", "<=", today),
            ]
            # Potential customers and other contacts who still consent are
            # kept until they withdraw (notice, section 10); a customer's
            # basic data goes on time all the same, but what its consent
            # needs stays until the consent is withdrawn
            # (:meth:`_process_batch`).
            domain += [
                "|",
                ("privacy_category", "=", "customer"),
                ("id", "not in", self._consenting_commercials()),
            ]
        else:
            # A contact person erased on their own request while their company
            # stays goes on their own vouchers' date, not the company's.
            due = []
            if part != "contacts":
                due.append(
                    [
                        ("parent_id", "=", False),
                        "|",
                        ("privacy_accounting_hold_date", "=", False),
                        ("privacy_accounting_hold_date", "<", today),
                    ]
                )
            if part != "commercials":
                due.append([("id", "in", self._due_contact_ids(today))])
            domain += [("privacy_stage", "=", "restricted"), *expression.OR(due)]
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
        domain.append(("id", "not in", self._failed_since(today)))
        return domain

    @api.model
    def _failed_since(self, day):
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
    def _due_contact_ids(self, today):
        """Restricted contact persons whose own vouchers (those that show
        them as buyer or delivery address) are no longer kept, whatever their
        company's vouchers: a person erased on their own request while their
        company stays, say.

        Within a call of the scheduled action, read once and kept for the
        call (every batch's claim and the count of what remains ask for
        them): a register whose invoices name their contact persons as
        buyers has as many restricted contact persons as customers, and
        each would be read again at every batch. What the call does to them
        needs no new read: the stage in the domain leaves out those it
        anonymises."""
        memo = self.env.cr.cache.get(DUE_CONTACTS_MEMO)
        if memo is not None and today in memo:
            return memo[today]
        contacts = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("parent_id", "!=", False), ("privacy_stage", "=", "restricted")])
        )
        kept = self.env["willsoft.privacy.data.map"]._buyers_on_retained_moves(
            contacts, today
        )
        due = [contact.id for contact in contacts if contact.id not in kept]
        if memo is not None:
            memo[today] = due
        return due

    @api.model
    def _consenting_commercials(self):
        """Commercial partners whose own consent is given now, as an SQL
        subquery: the domain needs no list of ids, however many people
        consent. A contact person's consent keeps that person alone, not
        their organisation (see :meth:`_with_contacts`)."""
        self.env["willsoft.privacy.consent.event"].flush_model()
        self.env["res.partner"].flush_model(["parent_id"])
        return SQL(
            """(SELECT person.id
                  FROM %s consent
                  JOIN res_partner person ON person.id = consent.partner_id
                 WHERE consent.state = 'given'
                   AND person.parent_id IS NULL)""",
            SQL.identifier(self.env["willsoft.privacy.consent.state"]._table),
        )

    @api.model
    def _due_partners(self, stage, limit=None):
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search(self._due_domain(stage), limit=limit, order="id")
        )

    @api.model
    def _claim(self, stage, batch_size=BATCH_SIZE):
        """The next batch due for ``stage``, locked until this transaction
        ends: two runs at once (an officer's and the scheduler's, or two
        servers') each take a batch the other has not, and neither waits.

        The batch is the first ``batch_size`` due, oldest due date first,
        through the partial indexes made by init(). Stage 2 takes its
        commercial partners first, then the contact persons due on their
        own vouchers (:meth:`_due_contact_ids`), by id: one query for both
        would sort every partner due at each claim (70 ms a batch with
        20,000 restricted contact persons). The lock is on the partners
        claimed; the contacts of a commercial partner go with it. Raises a
        serialisation failure when another run committed, after this
        transaction began, a batch that this one still saw as due: the
        caller takes a new snapshot and claims again.
        """
        parts = ("commercials", "contacts") if stage == "stage2" else (None,)
        ids = []
        for part in parts:
            if len(ids) >= batch_size:
                break
            query = self._claim_query(stage, batch_size - len(ids), part=part)
            self.env.flush_query(query)
            # A serialisation failure here is expected and handled by the
            # caller, not a bad query to log.
            self.env.cr.execute(query, log_exceptions=False)
            ids += [row[0] for row in self.env.cr.fetchall()]
        return self.env["res.partner"].sudo().browse(ids)

    @api.model
    def _claim_query(self, stage, batch_size=BATCH_SIZE, part=None):
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        if stage == "stage1":
            order = "privacy_anonymise_date, id"
        elif part == "contacts":
            order = "id"
        else:
            order = "privacy_accounting_hold_date, id"
        query = Partner._search(
            self._due_domain(stage, part=part), limit=batch_size, order=order
        )
        # NO KEY UPDATE, as the scheduler locks its jobs: it keeps another run
        # off the row but lets rows that refer to the partner be written.
        return SQL(
            "%s FOR NO KEY UPDATE OF %s SKIP LOCKED",
            query.select(),
            SQL.identifier(query.table),
        )

    @api.model
    def _with_contacts(self, commercials):
        """The commercial partners and their contact persons, employees
        (partners of internal users) left out."""
        partners = commercials.with_context(active_test=False).search(
            [
                "|",
                ("id", "in", commercials.ids),
                ("commercial_partner_id", "in", commercials.ids),
                ("id", "not in", self._protected_partners()),
            ]
        )
        # A contact person whose processing is restricted (or who is under a
        # legal hold of their own) stays as they are while it lasts; one who
        # consents stays while the consent is given: the data held on a
        # consent follows the consent.
        today = fields.Date.context_today(self)
        consenting = set(
            self.env["willsoft.privacy.consent.state"]
            .sudo()
            .search([("partner_id", "in", partners.ids), ("state", "=", "given")])
            .partner_id.ids
        )
        held = partners.filtered(
            lambda p: (
                p not in commercials
                and (p._privacy_on_hold(today) or p.id in consenting)
            )
        )
        return partners - held

    # Running a stage

    @api.model
    def _process(self, commercials, event, check=None):
        """Erase what no legal obligation keeps of these commercial partners
        and their contacts; log and check the result.

        The batch is erased in one go; if that fails, partner by partner in
        savepoints, so that one failing partner is logged and the others go on.
        ``check`` is a group of the erasure check that the caller checks
        later, for several batches at once; without it the batch is checked
        now. Returns the partners done.
        """
        commercials = commercials.sudo().with_context(active_test=False)
        if not commercials:
            return commercials
        Check = self.env["willsoft.privacy.erasure.check"]
        group = Check._new_group() if check is None else check
        done = self._process_savepoints(commercials, event, group)
        if check is None:
            Check._find_leftovers(group, done)
        return done

    @api.model
    def _process_savepoints(self, commercials, event, group):
        Check = self.env["willsoft.privacy.erasure.check"]
        try:
            with self.env.cr.savepoint():
                part = self._process_batch(commercials, event)
            Check._merge(group, part)
            return commercials
        except Exception:  # noqa: BLE001 (retried one by one below)
            _logger.info("Retention batch failed, retrying partner by partner")
            self.env.invalidate_all()
        done = commercials.browse()
        for commercial in commercials:
            try:
                with self.env.cr.savepoint():
                    part = self._process_batch(commercial, event)
                Check._merge(group, part)
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
    def _process_batch(self, commercials, event):
        """Erase one batch; returns its group of the erasure check (what the
        erased people went by, and what the map holds), to be checked."""
        data_map = self.env["willsoft.privacy.data.map"]
        Check = self.env["willsoft.privacy.erasure.check"]
        partners = self._with_contacts(commercials)
        plan = data_map._plan(partners, find=False)
        former = set(plan["former"])
        # A consent given and not withdrawn keeps what it needs (notice,
        # section 10): the name, language and address it was given with,
        # its ledger lines and its communication data, until the person
        # withdraws it (then this runs again for them, from the withdrawal).
        plan["on_consent"] = data_map._consent_holds(partners)
        former -= self._consent_kept_values(plan)
        group = Check._remember(Check._new_group(), plan, commercials)
        # Every consent still given keeps what it needs: none ends here.
        counts = data_map._erase(partners, plan)
        Check._remember_held(group, plan)
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
        # Each commercial partner's family, in one pass over the batch.
        families = {}
        batch_ids = set(partners.ids)
        for partner in partners:
            families.setdefault(partner.commercial_partner_id.id, []).append(partner.id)
        entries = []
        for commercial in commercials:
            family = partners.browse(
                {commercial.id, *families.get(commercial.id, ())} & batch_ids
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
        self.env["willsoft.privacy.suppression"]._suppress(former)
        return group

    @api.model
    def _consent_kept_values(self, plan):
        """The values the partners kept on consent still go by (their name
        and the addresses their consents need): not put on the suppression
        list while they are kept; the withdrawal's erasure puts them there."""
        data_map = self.env["willsoft.privacy.data.map"]
        on_consent = data_map._on_consent(plan)
        values = set()
        for partner in plan["partners"].filtered(lambda p: p.id in on_consent):
            fnames = data_map._consent_fields(on_consent[partner.id])
            for fname in fnames:
                value = partner[fname]
                if isinstance(value, str) and value.strip():
                    values.add(value.strip())
            values.update(partner._privacy_proven_emails())
            if {"phone", "mobile"} & fnames:
                values.update(partner._privacy_proven_phones())
        return values

    @api.model
    def _given_consents(self, partners):
        """The consents given now by the people about to be erased."""
        return (
            self.env["willsoft.privacy.consent.state"]
            .sudo()
            .search([("partner_id", "in", partners.ids), ("state", "=", "given")])
        )

    @api.model
    def _end_consents(self, states, note):
        """An erasure request took the data these consents were given on: the
        ledger says so, in one line per consent with the request's ``note``,
        so that it never says "given" for data that is gone. No side effect
        of a withdrawal is needed: the erasure has done them all. (The
        retention run ends no consent: it keeps what each one needs.)"""
        if not states:
            return
        Notice = self.env["willsoft.privacy.notice"]
        notices = {}
        lines = []
        for state in states:
            company = state.partner_id.company_id or self.env.company
            if company not in notices:
                notices[company] = Notice._current(company).id
            lines.append(
                {
                    "partner_id": state.partner_id.id,
                    "processing_id": state.processing_id.id,
                    "channel": state.channel,
                    "action": "withdrawn",
                    "source": "request",
                    "note": note,
                    "notice_id": notices[company],
                    "user_id": self.env.user.id,
                    "company_id": company.id,
                }
            )
        self.env["willsoft.privacy.consent.event"].sudo().with_context(
            **{RECORD_EVENT: True}
        ).create(lines)

    # Scheduled action

    @api.model
    def _analyze_stale_tables(self):
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
    def _run_batch(self, batch_size=BATCH_SIZE, check=None):
        """One batch of the next stage due: stage 2 first (it finishes what
        stage 1 began), then stage 1. Returns the number done."""
        for stage in ("stage2", "stage1"):
            batch = self._claim(stage, batch_size)
            if batch:
                self._process(batch, stage, check)
                return len(batch)
        return 0

    @api.model
    def _remaining(self, batch_size=BATCH_SIZE):
        """What remains due, counted up to ``REMAINING_HORIZON`` batches:
        enough to say whether to call again, without a count over the whole
        register."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        horizon = batch_size * REMAINING_HORIZON
        remaining = sum(
            Partner.search_count(self._due_domain(stage), limit=horizon)
            for stage in ("stage2", "stage1")
        )
        return min(remaining, horizon)

    @api.model
    def _cron_privacy_retention(
        self, batch_size=BATCH_SIZE, max_batches=MAX_BATCHES, seconds=CALL_SECONDS
    ):
        """Daily: both stages in bounded batches, committed one by one, so a
        run killed half-way resumes where it stopped and does nothing twice
        (the due domain skips what is done). A call takes batches for
        ``seconds`` at most (less on a server with tight time limits:
        :meth:`_call_seconds`) and ``max_batches``. While work remains, the
        caller calls again; in a job run of the scheduler, the call triggers
        the job again (:meth:`_hand_on`).

        The erasure check runs once a call, not per batch: its cost is a
        read of the register's text columns, whatever the number of people.
        A call also ends when ``CHECK_GROUP_SIZE`` erased people wait to be
        checked: their former values wait in memory only, never in the
        database. A run killed before its check loses the check of the
        batches since the last one (the audit log shows their runs without a
        check after them).

        Two runs at once (an officer's and the scheduler's, or two servers')
        share the work: each claims its next batch with the rows locked
        (:meth:`_claim`)."""
        Check = self.env["willsoft.privacy.erasure.check"]
        testing = getattr(threading.current_thread(), "testing", False)
        deadline = time.monotonic() + self._call_seconds(seconds)
        started = fields.Datetime.now()
        self._analyze_stale_tables()
        self.env["willsoft.privacy.audit.log"]._log(
            "run", message=self.env._("Scheduled retention run started.")
        )
        # Nothing is erased on a last contact older than what happened. One
        # run at a time refreshes the clock (two would rewrite the same
        # partners): a run that finds another one at it leaves it to that one.
        if not testing:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", CLOCK_LOCK_KEY))
        if self.env.cr.fetchone()[0]:
            self._refresh_before_run()
        if not testing:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        check = Check._new_group()
        self.env.cr.cache[DUE_CONTACTS_MEMO] = {}
        try:
            done_total = self._call_batches(
                batch_size, max_batches, deadline, check, started
            )
        finally:
            self.env.cr.cache.pop(DUE_CONTACTS_MEMO, None)
        if not testing:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return done_total

    @api.model
    def _call_batches(self, batch_size, max_batches, deadline, check, started):
        """The batches of one call until ``deadline`` (a ``time.monotonic``
        time), the call's erasure check and its report to the scheduler
        (:meth:`_cron_privacy_retention`, which the call ``started`` at a
        given datetime). Returns the number of commercial partners done."""
        Check = self.env["willsoft.privacy.erasure.check"]
        testing = getattr(threading.current_thread(), "testing", False)
        done_total = batches = retries = done = 0
        while True:
            try:
                done = self._run_batch(batch_size, check)
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
            # Commit per batch: a later failure must not undo erasures that
            # are already logged.
            if not testing:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if (
                not done
                or batches >= max_batches
                or time.monotonic() >= deadline
                or len(check["partners"]) >= CHECK_GROUP_SIZE
            ):
                break
        # One check for the call (its cost is a read of the register).
        if check["partners"]:
            started_check = time.monotonic()
            Check._find_leftovers(check)
            self._time_check(time.monotonic() - started_check)
        # Counted once, at the end. A call that found nothing to claim leaves
        # none: what is still due is another run's, locked (counted, it would
        # make the scheduler call again at once while that run holds it).
        remaining = self._remaining(batch_size) if done else 0
        self._hand_on(done_total, remaining, started)
        return done_total

    @api.model
    def _time_check(self, seconds):
        """Keep a check's time for the next calls (:meth:`_call_seconds`).
        Two runs at once may time theirs together (or create the parameter
        together): the one that comes second keeps the other's, rather than
        failing the call that holds its check's report."""
        try:
            with _conflicts_expected(), self.env.cr.savepoint():
                self.env["ir.config_parameter"].sudo().set_param(
                    CHECK_SECONDS_PARAM, f"{seconds:.1f}"
                )
        except (
            psycopg2.errors.SerializationFailure,
            psycopg2.errors.UniqueViolation,
        ):
            _logger.info("Another retention run timed its check at the same time")

    @api.model
    def _call_seconds(self, seconds):
        """How long a call takes batches: ``seconds``, or less when the
        scheduler's time limit on a server leaves less.

        Odoo kills a cron worker (``--workers``) whose unit of work outlasts
        ``limit_time_real_cron`` (by default ``limit_time_real``, 120 s),
        counted from before the worker's sleep between polls; a threaded
        server restarts itself when a cron thread outlasts it. A call is one
        unit of work (:meth:`_hand_on`), so it takes batches for what is left
        of the limit after that sleep once the last erasure check's time
        (with a margin; ``UNTIMED_CHECK_SECONDS`` before any was timed) and
        its end are set aside."""
        cron_limit = config["limit_time_real_cron"] or 0
        if config["workers"]:
            # -1: the HTTP workers' limit; 0: none.
            limit = config["limit_time_real"] if cron_limit < 0 else cron_limit
            window = limit - WORKER_SLEEP
        else:
            # A threaded server counts from when the cron thread polls.
            limit = cron_limit if cron_limit > 0 else config["limit_time_real"]
            window = limit
        if limit <= 0:
            return seconds
        param = self.env["ir.config_parameter"].sudo().get_param(CHECK_SECONDS_PARAM)
        try:
            check_seconds = float(param or UNTIMED_CHECK_SECONDS)
        except ValueError:
            check_seconds = UNTIMED_CHECK_SECONDS
        left = window - CHECK_MARGIN * check_seconds - END_SECONDS
        return min(seconds, max(left, MIN_CALL_SECONDS))

    @api.model
    def _hand_on(self, done, remaining, started):
        """Report a call to the scheduler, and hand what remains to a new
        job run rather than to the same one.

        Odoo runs a job reporting work remaining up to 10 times in one unit
        of work, under one time limit: on a backlog the server killed the
        run in its third call, losing the check of its batches, and after
        three kills in a row it counts the job as failed. So each job run is
        one call: it reports nothing remaining and triggers the job again
        (the trigger's notification wakes a cron worker at once). Outside a
        job run (the benchmark, the tests, a shell) nothing is triggered and
        the caller calls again."""
        progress_id = self.env.context.get("ir_cron_progress_id")
        if remaining and progress_id:
            cron = self.env["ir.cron.progress"].sudo().browse(progress_id).cron_id
            # When a run ends, Odoo deletes the job's triggers from before the
            # run began; the call ``started`` after that, but a trigger's time
            # is to the second. A trigger for a later second would not wake the
            # workers now: a call shorter than a second waits for that second.
            at = started + timedelta(seconds=1)
            pause = (at - datetime.utcnow()).total_seconds()
            if 0 < pause <= 1:
                time.sleep(pause + 0.01)
            cron._trigger(max(at, fields.Datetime.now()))
            _logger.info(
                "Retention: commercial partners still due (%s counted), "
                "job triggered again",
                remaining,
            )
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)

    @api.model
    def _refresh_before_run(self):
        """The clock and the own clocks, refreshed before a run. Another run
        may be erasing some of the same partners right now: their rows then
        refuse this snapshot's update, and the refresh is left to the next
        run (the other run's erasure decides about them anyway)."""
        try:
            with _conflicts_expected(), self.env.cr.savepoint():
                self.env["res.partner"]._privacy_refresh_clock()
                self._run_own_clocks()
        except psycopg2.errors.SerializationFailure:
            self.env.invalidate_all()
            _logger.info("Another retention run is erasing the same partners")

    @api.model
    def _run_own_clocks(self):
        """The step of the daily run for records with a clock of their own,
        not their partner's: export links that expired and requests past
        their months of proof; bridges add theirs (leads without a partner).
        Returns the counts logged."""
        dropped, reduced = self.env["willsoft.privacy.request"]._run_request_retention()
        counts = {"request_exports": dropped, "requests_reduced": reduced}
        if dropped or reduced:
            self.env["willsoft.privacy.audit.log"]._log(
                "run",
                counts=counts,
                message=self.env._(
                    "Expired exports deleted; answered requests reduced to their proof."
                ),
            )
        return counts

    # Erasure on request

    @api.model
    def _erase_now(self, partner):
        """Stage 1 at once for one person, on an approved erasure request: a
        contact person alone, or a commercial partner with its contacts."""
        partner = partner.sudo().with_context(active_test=False)
        partner.ensure_one()
        if partner._privacy_on_hold():
            return partner.browse()
        if partner.parent_id:
            data_map = self.env["willsoft.privacy.data.map"]
            Check = self.env["willsoft.privacy.erasure.check"]
            former = data_map._former_values(partner)
            plan = data_map._plan(partner, find=False)
            group = Check._remember(Check._new_group(), plan, partner)
            counts = data_map._erase(partner, plan)
            Check._remember_held(group, plan)
            self.env["willsoft.privacy.audit.log"]._log(
                "erasure", partner=partner, counts=counts
            )
            Check._find_leftovers(group, partner)
            self.env["willsoft.privacy.suppression"]._suppress(former)
            return partner
        return self._process(partner, "erasure")

    @api.model
    def _erase_persons(self, partners, note=None):
        """Stage 1 at once for exactly these persons, on an erasure request.
        A request is about one person: a company's erasure erases the
        company's own data, not its contact persons' (each asks for
        themself, or the officer adds them to the request). The consents
        they had given end in the ledger, with ``note`` (the request's).
        Returns the number of records touched per kind."""
        partners = partners.sudo().with_context(active_test=False)
        partners -= partners.browse(self._protected_partner_ids())
        if not partners:
            return {}
        data_map = self.env["willsoft.privacy.data.map"]
        Check = self.env["willsoft.privacy.erasure.check"]
        former = data_map._former_values(partners)
        plan = data_map._plan(partners, find=False)
        group = Check._remember(Check._new_group(), plan, partners)
        given = self._given_consents(partners)
        counts = data_map._erase(partners, plan)
        self._end_consents(given, note)
        Check._remember_held(group, plan)
        log = self.env["willsoft.privacy.audit.log"]
        log._log_many(
            [
                {"event": "erasure", "partner": partner, "counts": counts}
                for partner in partners
            ]
        )
        Check._find_leftovers(group, partners)
        self.env["willsoft.privacy.suppression"]._suppress(former)
        return counts

    # Dry run

    @api.model
    def _preview(self, limit=200):
        """What the next run will do, per commercial partner, without doing it:
        a list of dicts for the dry-run wizard."""
        return [
            self._preview_row(commercial, stage)
            for commercial, stage in self._preview_due(limit=limit)
        ]

    @api.model
    def _preview_due(self, limit=200):
        """The commercial partners the next run takes, with their stage: up
        to ``limit`` of each stage, after the clock's refresh. Cheap: what
        the run does to each is :meth:`_preview_row`, computed for
        the rows shown."""
        self.env["res.partner"]._privacy_refresh_clock()
        return [
            (commercial, stage)
            for stage in ("stage2", "stage1")
            for commercial in self._due_partners(stage, limit=limit)
        ]

    @api.model
    def _preview_row(self, commercial, stage):
        """What the next run does to one commercial partner and its contacts,
        as a dict of the dry run's columns."""
        data_map = self.env["willsoft.privacy.data.map"]
        labels = {h["kind"]: h["label"] for h in data_map._handlers()}
        today = fields.Date.context_today(self)
        partners = self._with_contacts(commercial)
        counts = data_map._counts(partners, on_consent=True)
        kept = data_map._buyers_on_retained_moves(partners, today)
        if stage == "stage2":
            action = self.env._("Anonymise the buyer data kept for accounting")
        elif kept:
            action = self.env._(
                "Restrict: erase all but the buyer data of retained invoices"
            )
        else:
            action = self.env._("Anonymise at once: no retained invoice")
        if data_map._consent_holds(commercial):
            action += " " + self.env._(
                "Its own consent keeps its name, language and the address "
                "the consent needs until it is withdrawn."
            )
        return {
            "partner_id": commercial.id,
            "stage": stage,
            "action": action,
            "record_count": sum(c["found"] - c["held"] for c in counts.values()),
            "held_count": sum(c["held"] for c in counts.values()),
            "counts": "\n".join(
                f"{labels[kind]}: {c['found'] - c['held']}"
                + (
                    self.env._(" (+%(count)s kept)", count=c["held"])
                    if c["held"]
                    else ""
                )
                for kind, c in counts.items()
                if c["found"]
            ),
        }
