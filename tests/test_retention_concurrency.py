"""Two retention runs at once on one database (an officer's run while the
scheduler runs, or the schedulers of two servers): each in its own thread
with its own database cursor, committing batch by batch as in production.
They share the work: nothing is done twice, nothing is left half done, and
no partner is logged as failed.

Odoo's test runner keeps every test in one transaction that is never
committed, so two real transactions need a database of their own: this test
copies the tested database, fills it with due customers and drops it."""

import importlib.util
import logging
import threading
from types import SimpleNamespace
from unittest.mock import patch

import pytest

import odoo

from conftest import REPO, pgdb

COMPANIES = 200
BATCH = 10


def load_benchmark():
    """The benchmark's register generator, so that the test and the figures
    in docs/benchmarks.md run on the same kind of data."""
    path = REPO / "scripts" / "benchmark_retention.py"
    spec = importlib.util.spec_from_file_location("benchmark_retention", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def register(test_db):
    db = f"{test_db}_concurrency"
    # PostgreSQL copies only a database nobody is connected to: give back
    # the connections this session's registry holds (it reconnects later).
    odoo.sql_db.close_db(test_db)
    pgdb("copy", test_db, db)
    # Loading a registry with tests enabled would run the addons' tests in it.
    test_enable = odoo.tools.config["test_enable"]
    odoo.tools.config["test_enable"] = False
    try:
        registry = odoo.modules.registry.Registry(db)
        odoo.tools.config["test_enable"] = test_enable
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
            company_ids = load_benchmark().generate(
                env, SimpleNamespace(partners=COMPANIES, register=0, seed=14)
            )
            cr.commit()
        yield registry, company_ids
    finally:
        odoo.tools.config["test_enable"] = test_enable
        odoo.modules.registry.Registry.delete(db)
        odoo.sql_db.close_db(db)
        pgdb("drop", db)


def run_until_done(registry, start, done, failures, index):
    """What the scheduler does: call the run again while it does something."""
    try:
        start.wait(timeout=60)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
            engine = env["willsoft.privacy.retention"]
            while count := engine._cron_privacy_retention(batch_size=BATCH):
                done[index] += count
    except Exception as error:  # noqa: BLE001 (reported by the test below)
        failures.append(error)


def test_two_runs_at_once_share_the_work(register, caplog):
    registry, company_ids = register
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="odoo")
    start = threading.Barrier(2)
    done, failures = [0, 0], []
    threads = [
        threading.Thread(
            target=run_until_done, args=(registry, start, done, failures, index)
        )
        for index in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads), "a run did not end"
    assert failures == []
    # A run that finds the next batch taken claims again; nothing for an
    # administrator to worry about in the server log.
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems == []

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Partner = env["res.partner"].with_context(active_test=False)
        companies = Partner.browse(company_ids)
        contacts = Partner.search([("parent_id", "in", company_ids)])
        log = env["willsoft.privacy.audit.log"]
        errors = log.search([("event", "=", "error")])
        stage1 = log.search([("event", "=", "stage1")])
        # Both runs took batches: the work was shared, not done by one
        # while the other waited.
        assert done[0] > 0 and done[1] > 0, done
        # Zero error entries: no partner was skipped for the day.
        assert errors.mapped("message") == []
        # Nothing done twice: one stage 1 entry per company, and the
        # companies the runs did add up to the register.
        per_company = {}
        for entry in stage1.filtered(lambda e: e.partner_ref in company_ids):
            per_company[entry.partner_ref] = per_company.get(entry.partner_ref, 0) + 1
        assert sorted(per_company) == sorted(company_ids)
        assert set(per_company.values()) == {1}
        assert done[0] + done[1] >= COMPANIES
        # Nothing half done: every company is through stage 1 and none of
        # its contacts still names the person.
        assert set(companies.mapped("privacy_stage")) <= {"restricted", "anonymised"}
        assert set(contacts.mapped("privacy_stage")) == {"anonymised"}
        assert not any(contacts.mapped("email"))
        due = env["willsoft.privacy.retention"]._due_partners("stage1")
        assert not due & companies


def test_a_batch_committed_under_a_run_is_claimed_again(register, caplog):
    """The race the claim cannot lock its way out of: another run commits a
    batch after this run's transaction took its snapshot and before it
    claims. PostgreSQL then refuses the lock (the rows changed since the
    snapshot); the run takes a new snapshot and goes on, logging nobody as
    failed. Made certain here by letting the other run commit at that moment."""
    registry, company_ids = register
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="odoo")
    engine_class = registry["willsoft.privacy.retention"]
    original = engine_class._claim_query
    slow, other_committed = threading.get_ident(), threading.Event()
    done, failures = [0, 0], []

    def other_run():
        try:
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
                done[1] = env["willsoft.privacy.retention"]._cron_privacy_retention(
                    batch_size=BATCH, max_batches=1
                )
        except Exception as error:  # noqa: BLE001 (reported by the test below)
            failures.append(error)
        other_committed.set()

    def claim_query(engine, stage, batch_size, **kwargs):
        # Building the query read the companies: the snapshot is taken.
        query = original(engine, stage, batch_size, **kwargs)
        if threading.get_ident() == slow and not other_committed.is_set():
            thread = threading.Thread(target=other_run)
            thread.start()
            thread.join(timeout=300)
        return query

    def slow_run():
        nonlocal slow
        slow = threading.get_ident()
        run_until_done(registry, threading.Barrier(1), done, failures, 0)

    with patch.object(engine_class, "_claim_query", claim_query):
        thread = threading.Thread(target=slow_run)
        thread.start()
        thread.join(timeout=600)
    assert not thread.is_alive(), "the run did not end"
    assert failures == []
    assert done[1] == BATCH
    assert done[0] + done[1] >= COMPANIES
    retried = [r for r in caplog.records if "claim again" in r.getMessage()]
    assert len(retried) == 1
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems == []
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        log = env["willsoft.privacy.audit.log"]
        assert log.search_count([("event", "=", "error")]) == 0
        stage1 = log.search([("event", "=", "stage1")])
        refs = [ref for ref in stage1.mapped("partner_ref") if ref in company_ids]
        assert sorted(refs) == sorted(company_ids)


def test_a_call_that_finds_every_batch_taken_asks_for_no_other(register):
    """While another run holds every due batch, a call claims nothing: it
    tells the scheduler that nothing remains for it, instead of what is due
    (the other run's), which would make the scheduler call again at once,
    over and over, until that run commits."""
    registry, company_ids = register
    engine_class = registry["willsoft.privacy.retention"]
    with registry.cursor() as holder:
        # The other run's claim on every due partner (the generated ones and
        # any of the demo data), held open.
        other = odoo.api.Environment(holder, odoo.SUPERUSER_ID, {})
        other_engine = other["willsoft.privacy.retention"]
        due = other_engine._due_partners("stage1") | other_engine._due_partners(
            "stage2"
        )
        assert set(company_ids) <= set(due.ids)
        holder.execute(
            "SELECT id FROM res_partner WHERE id = ANY(%s) FOR NO KEY UPDATE",
            [due.ids],
        )
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
            cron = env.ref("willsoft_privacy.ir_cron_privacy_retention")
            progress = env["ir.cron.progress"].create({"cron_id": cron.id})
            engine = env["willsoft.privacy.retention"].with_context(
                ir_cron_progress_id=progress.id
            )
            # The clock's refresh would wait for the held rows (it writes
            # them); it is not what this test is about.
            with patch.object(engine_class, "_refresh_before_run", lambda self: None):
                assert engine._cron_privacy_retention(batch_size=BATCH) == 0
            assert (progress.done, progress.remaining) == (0, 0)
            # Due all the same: the holder's run does them.
            due = env["willsoft.privacy.retention"]._due_partners("stage1")
            assert set(company_ids) <= set(due.ids)
        holder.rollback()


@pytest.mark.parametrize("first", ["created", "changed"])
def test_two_runs_timing_their_checks_together_keep_one(register, first, caplog):
    """Two runs end their checks at the same moment: the one whose snapshot
    is older than the other's commit keeps the other's time (the parameter
    created or changed under it), and its call goes on to commit its own
    work, with no error in the log."""
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="odoo")
    registry, _company_ids = register
    key = "willsoft_privacy.check_seconds"
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param(
            key, "7.0" if first == "changed" else False
        )
        cr.commit()
    with registry.cursor() as late, registry.cursor() as early:
        late_env = odoo.api.Environment(late, odoo.SUPERUSER_ID, {})
        # The late run's snapshot, taken before the other run commits.
        late.execute("SELECT 1")
        early_env = odoo.api.Environment(early, odoo.SUPERUSER_ID, {})
        early_env["willsoft.privacy.retention"]._time_check(12.0)
        early.commit()
        late_env["willsoft.privacy.retention"]._time_check(40.0)
        late_env["willsoft.privacy.audit.log"]._log("run", message="After the check")
        late.commit()
    assert "timed its check at the same time" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    with registry.cursor() as cr:
        cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [key])
        assert cr.fetchall() == [("12.0",)]
        cr.execute(
            "SELECT count(*) FROM willsoft_privacy_audit_log WHERE message = %s",
            ["After the check"],
        )
        assert cr.fetchone() == (1,)
