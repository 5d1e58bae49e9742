# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import random
import string
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.sql_db import Cursor
from odoo.tests import BaseCase, new_test_user, tagged
from odoo.tools import SQL, email_normalize

from odoo.addons.willsoft_privacy.models import (
    willsoft_privacy_erasure_check as erasure_check,
    willsoft_privacy_retention,
)

from .common import EMAIL, RetentionCommon

# Not the phone of the other tests: a number that no one else in the
# register has is searched (a shared one cannot tell people apart).
PHONE = "+358 50 765 9182"


@tagged("post_install", "-at_install")
class TestErasureCheck(RetentionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Check = cls.env["willsoft.privacy.erasure.check"]

    def make_person(self, name="Jäämä Oy", person="Maija Jäämäläinen", email=None):
        customer, contact, _invoice = self.make_ended_customer(name)
        contact.write({"name": person, "phone": PHONE, "email": email or EMAIL})
        self.env.flush_all()
        self.env.cr.precommit.run()
        return customer, contact

    def check_logs(self):
        return self.log.search([("event", "=", "check")])

    def assert_no_personal_data_in_the_log(self, *values):
        for entry in self.log.search([]):
            text = f"{entry.message} {entry.counts}".lower()
            for value in values:
                self.assertNotIn(value.lower(), text)

    def test_a_leftover_in_a_column_no_handler_knows(self):
        customer, contact = self.make_person()
        # Someone kept the person's address in a system parameter, and their
        # phone number, written the national way, in another partner's notes.
        self.env["ir.config_parameter"].set_param("jaama.contact", f"<{EMAIL}>")
        other, _c = self.make_customer("Toinen Oy")
        other.comment = "<p>Ask Maija, tel. 050-765 91 82</p>"
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(contact.privacy_stage, "anonymised")
        check = self.check_logs()
        self.assertEqual(check.result, "warning")
        self.assertEqual(
            check.counts,
            {"ir_config_parameter.value": 1, "res_partner.comment": 1},
        )
        self.assert_no_personal_data_in_the_log(
            EMAIL, PHONE, "050-765", "Maija", "Jäämä"
        )
        # Flagged for a privacy officer: on the partner, in the register's
        # filter, and as an activity.
        self.assertEqual(contact.privacy_leftover_date, date(2025, 7, 1))
        self.assertFalse(customer.privacy_leftover_date)
        flagged = (
            self.env["res.partner"]
            .with_user(self.officer)
            .search(
                [
                    ("privacy_leftover_date", "!=", False),
                    ("active", "in", (True, False)),
                ]
            )
        )
        self.assertEqual(flagged, contact)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", contact.id)]
        )
        self.assertEqual(activity.summary, "Erasure check: data left after erasure")
        self.assertIn("ir_config_parameter.value", str(activity.note))
        self.assertNotIn(EMAIL, str(activity.note))

    def test_a_number_next_to_digits_in_the_next_column_is_found(self):
        """The scan reads a row's columns together: a number at the end of
        one column and digits at the start of the next (a c/o line, then
        the postal code) are two texts, not one longer number."""
        _customer, contact = self.make_person("Naapuri Oy", "Maija Naapurinen")
        other, _c = self.make_customer("Toinen Oy")
        other.write({"street2": "c/o Maija 050-765 91 82", "zip": "00100"})
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(contact.privacy_stage, "anonymised")
        check = self.check_logs()
        self.assertEqual(check.result, "warning")
        # On the company and on its contact person, who shares its address.
        self.assertEqual(check.counts, {"res_partner.street2": 2})
        self.assertTrue(contact.privacy_leftover_date)

    def test_a_number_someone_else_still_goes_by_proves_nothing(self):
        """A switchboard: the erased person's number is still another
        partner's mobile, written the national way. Neither that partner nor
        a note of theirs with the number is a leftover: the number cannot
        tell the erased person from them."""
        _customer, contact = self.make_person("Vaihde Oy", "Maija Vaihteinen")
        switchboard = self.env["res.partner"].create(
            {"name": "Vaihde Oy, vaihde", "mobile": "050-765 91 82"}
        )
        switchboard._message_log(body="<p>Vaihde: 050 765 9182</p>")
        self.env.flush_all()
        self.env.cr.precommit.run()
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(contact.privacy_stage, "anonymised")
        self.assertEqual(switchboard.mobile, "050-765 91 82")
        self.assertEqual(self.check_logs().result, "ok")
        self.assertFalse(contact.privacy_leftover_date)

    def test_an_address_typed_by_the_person_is_not_searched_everywhere(self):
        """The person typed someone else's address on their account: the
        other person's data is no leftover of theirs (nor is it reported),
        while what is left under the person's proven address still is, and
        the typed address on the person's own rows."""
        other_email = "veera.vieras@toinen.example"
        customer, contact = self.make_person("Kirjoitus Oy", "Kaisa Kirjoittaja")
        user = new_test_user(
            self.env,
            login="check_kaisa",
            email=EMAIL,
            groups="base.group_portal",
            partner_id=contact.id,
            name=contact.name,
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        # What /my/account does (in a request of its own).
        contact.with_user(user).sudo().write({"email": other_email})
        self.assertEqual(contact.privacy_email_proven, EMAIL)
        # Veera's own contact and a colleague's note about her.
        veera = self.env["res.partner"].create(
            {"name": "Veera Vieras", "email": other_email}
        )
        other, _c = self.make_customer("Toinen Oy")
        other.comment = f"<p>Veera: {other_email}</p>"
        # And the person's proven address, kept where no handler looks.
        self.env["ir.config_parameter"].set_param("kirjoitus.contact", EMAIL)
        # The typed address on a row of the person's own (a timesheet-like
        # analytic line no handler knows) is theirs; on someone else's, not.
        plan = self.env["account.analytic.plan"].create({"name": "Kirjoitus"})
        account = self.env["account.analytic.account"].create(
            {"name": "Kirjoitus", "plan_id": plan.id}
        )
        for partner in (contact, other):
            self.env["account.analytic.line"].create(
                {
                    "name": f"Mail to {other_email}",
                    "account_id": account.id,
                    "partner_id": partner.id,
                }
            )
        self.env.flush_all()
        self.env.cr.precommit.run()
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(contact.privacy_stage, "anonymised")
        check = self.check_logs()
        self.assertEqual(
            check.counts,
            {"ir_config_parameter.value": 1, "account_analytic_line.name": 1},
        )
        self.assertEqual(contact.privacy_leftover_date, date(2025, 7, 1))
        self.assertFalse(customer.privacy_leftover_date)
        self.assertEqual(veera.email, other_email)
        self.assertFalse(veera.privacy_leftover_date)
        self.assert_no_personal_data_in_the_log(EMAIL, other_email, "Veera")
        # Nor does the suppression list keep Veera's address.
        Suppression = self.env["willsoft.privacy.suppression"]
        self.assertTrue(Suppression._is_suppressed([EMAIL]))
        self.assertFalse(Suppression._is_suppressed([other_email]))

    def test_a_clean_erasure_reports_nothing(self):
        customer, contact = self.make_person("Puhdas Oy", "Pertti Puhtonen")
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(contact.privacy_stage, "anonymised")
        check = self.check_logs()
        self.assertEqual(check.result, "ok", check.counts)
        self.assertFalse(check.counts)
        self.assertFalse((customer | contact).filtered("privacy_leftover_date"))

    def test_held_rows_are_no_leftovers(self):
        """What a retained invoice keeps (the buyer's name on it, its chatter)
        is held by the map: found, allowed, counted as held."""
        customer, contact = self.make_person("Laskutettu Oy", "Kalle Laskunen")
        invoice = self.env["account.move"].search([("partner_id", "=", customer.id)])
        # A note on the invoice to the person: found by the map, and held.
        invoice._message_log(body=f"Sent to {EMAIL}", partner_ids=contact.ids)
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "restricted")
        check = self.check_logs()
        self.assertEqual(check.result, "ok", check.counts)
        self.assertRegex(check.message, r"[1-9]\d* hits on records kept by a legal")

    def test_a_namesake_is_not_a_leftover(self):
        _customer, contact = self.make_person("Kaima Oy", "Liisa Kaimalainen")
        namesake = self.env["res.partner"].create({"name": "Liisa Kaimalainen"})
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(contact.privacy_stage, "anonymised")
        self.assertEqual(namesake.name, "Liisa Kaimalainen")
        self.assertEqual(self.check_logs().result, "ok")

    def test_a_name_someone_else_bears_proves_nothing(self):
        """Of two people called Helmi Salo, one is erased: the other's name,
        notes and bank account are no leftover. Eero Salo is erased while
        Eero Salonen is alive: the name and the notes of Eero Salonen hold
        no Eero Salo (the false alarms of the generated register in
        docs/benchmarks.md), while a cell that is Eero Salo's name, on
        another company's bank account, is still a leftover."""
        _c, helmi = self.make_person("Helmi Oy", "Helmi Salo", "helmi@salo.fi")
        _c, eero = self.make_person("Eero Oy", "Eero Salo", "eero@salo.fi")
        namesake = self.env["res.partner"].create({"name": "Helmi Salo"})
        longer = self.env["res.partner"].create({"name": "Eero Salonen"})
        namesake._message_log(body="<p>Soitettu asiakkaalle Helmi Salo</p>")
        longer._message_log(body="<p>Soitettu asiakkaalle Eero Salonen</p>")
        other, _contact = self.make_customer("Toinen Oy")
        for index, holder in enumerate(("Helmi Salo", "Eero Salo")):
            self.env["res.partner.bank"].create(
                {
                    "acc_number": f"FI21 1234 5600 0007 8{index}",
                    "partner_id": other.id,
                    "acc_holder_name": holder,
                }
            )
        self.env.flush_all()
        self.env.cr.precommit.run()
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual((helmi | eero).mapped("privacy_stage"), ["anonymised"] * 2)
        self.assertEqual(
            (namesake | longer).mapped("name"), ["Helmi Salo", "Eero Salonen"]
        )
        check = self.check_logs()
        self.assertEqual(check.counts, {"res_partner_bank.acc_holder_name": 1})
        self.assertTrue(eero.privacy_leftover_date)
        self.assertFalse(helmi.privacy_leftover_date)

    def test_an_address_inside_a_longer_one_is_another(self):
        """Li Virtanen's address lies inside Eli Virtanen's: Eli's contact
        and the note with her address are no leftover of Li's, whether the
        index finds them (an erasure of a few people) or the scan (a run's
        group), while Li's own address kept elsewhere still is."""
        email = "li.virtanen@firma.fi"
        _c, contact = self.make_person("Li Oy", "Li Virtanen", email)
        eli = self.env["res.partner"].create(
            {"name": "Eli Virtanen", "email": f"e{email}"}
        )
        eli._message_log(body=f"<p>Mail from e{email}</p>")
        self.env["ir.config_parameter"].set_param("li.contact", f"Li: {email}")
        self.env.flush_all()
        self.env.cr.precommit.run()
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(contact.privacy_stage, "anonymised")
        self.assertEqual(eli.email, f"e{email}")
        check = self.check_logs()
        self.assertEqual(check.counts, {"ir_config_parameter.value": 1})
        self.assertTrue(contact.privacy_leftover_date)

    def test_a_quoted_address_is_the_address(self):
        """The person's address in quotes, as a text field or a note may hold
        it ('x@a.fi', `x@a.fi`), is a leftover, whether the index finds it
        or the scan; after a letter and a quote (o'x@a.fi) it is another."""
        email = "li.lainaaja@firma.fi"
        _c, contact = self.make_person("Lainaus Oy", "Li Lainaaja", email)
        other = self.env["res.partner"].create(
            {"name": "Olli Muu", "email": f"o'{email}"}
        )
        other._message_log(body=f"<p>Li kirjoitti: '{email}'</p>")
        self.env["ir.config_parameter"].set_param("li.quoted", f"`{email}`")
        self.env.flush_all()
        self.env.cr.precommit.run()
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(contact.privacy_stage, "anonymised")
        self.assertEqual(other.email, f"o'{email}")
        check = self.check_logs()
        self.assertEqual(
            check.counts,
            {"mail_message.body": 1, "ir_config_parameter.value": 1},
        )
        self.assertTrue(contact.privacy_leftover_date)

    def test_a_second_record_of_the_person_is_found_by_email(self):
        _customer, contact = self.make_person("Tupla Oy", "Olli Tuplanen")
        double = self.env["res.partner"].create(
            {"name": "O. Tuplanen", "email": EMAIL.upper()}
        )
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        check = self.check_logs()
        self.assertEqual(check.result, "warning")
        self.assertEqual(check.counts["res_partner.email"], 1)
        self.assertEqual(double.email, EMAIL.upper())
        self.assertTrue(contact.privacy_leftover_date)

    def test_erase_now_on_a_request_runs_the_check(self):
        customer, contact = self.make_person("Pyyntö Oy", "Ville Pyytäjä")
        self.env["ir.config_parameter"].set_param("pyynto.contact", EMAIL)
        request = (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": contact.id, "kind": "erasure"})
        )
        request.action_start()
        request.action_run_erasure()
        self.assertEqual(contact.privacy_stage, "anonymised")
        check = self.log.search(
            [("event", "=", "check"), ("partner_ref", "=", contact.id)]
        )
        self.assertEqual(check.result, "warning")
        self.assertEqual(check.counts.get("ir_config_parameter.value"), 1)
        self.assertTrue(contact.privacy_leftover_date)
        self.assertFalse(customer.privacy_leftover_date)

    def test_one_check_for_many_batches(self):
        """The scheduled run checks a group of erased people once, not once
        per committed batch."""
        partners = [
            self.make_person(f"Erä {i} Oy", f"Erkki Eräläinen{i}", f"e{i}@era.fi")[1]
            for i in range(3)
        ]
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention(batch_size=1)
        self.assertEqual({p.privacy_stage for p in partners}, {"anonymised"})
        self.assertEqual(len(self.log.search([("event", "=", "stage1")])), 3)
        check = self.check_logs()
        self.assertEqual(len(check), 1)
        self.assertIn("6 people checked", check.message)

    def test_a_bounded_group(self):
        partners = [
            self.make_person(f"Ryhmä {i} Oy", f"Risto Ryhmänen{i}", f"r{i}@ryhma.fi")[1]
            for i in range(3)
        ]
        with (
            freeze_time("2025-07-01"),
            patch.object(willsoft_privacy_retention, "CHECK_GROUP_SIZE", 4),
        ):
            # Two people per batch: a full group ends the call after the
            # second batch, checked; the scheduler's next call does the rest.
            self.engine._cron_privacy_retention(batch_size=1)
            self.assertEqual(
                sorted(p.privacy_stage for p in partners),
                ["anonymised", "anonymised", "none"],
            )
            self.engine._cron_privacy_retention(batch_size=1)
        self.assertEqual({p.privacy_stage for p in partners}, {"anonymised"})
        checks = self.check_logs().sorted("id")
        self.assertEqual(len(checks), 2)
        self.assertEqual(checks.mapped("result"), ["ok", "ok"], checks.mapped("counts"))
        self.assertIn("4 people checked", checks[0].message)
        self.assertIn("2 people checked", checks[1].message)

    def test_a_call_ends_when_its_time_is_up(self):
        """A call takes batches for its seconds, then checks what it erased
        and ends; the scheduler calls again while anything is left."""
        partners = [
            self.make_person(f"Aika {i} Oy", f"Aino Aikanen{i}", f"a{i}@aika.fi")[1]
            for i in range(2)
        ]
        with freeze_time("2025-07-01"):
            done = self.engine._cron_privacy_retention(batch_size=1, seconds=0)
            self.assertEqual(done, 1)
            self.assertEqual(
                sorted(p.privacy_stage for p in partners), ["anonymised", "none"]
            )
            self.assertEqual(len(self.check_logs()), 1)
            self.engine._cron_privacy_retention(batch_size=1, seconds=0)
        self.assertEqual({p.privacy_stage for p in partners}, {"anonymised"})
        self.assertEqual(len(self.check_logs()), 2)


@tagged("post_install", "-at_install")
class TestErasureCheckQueries(RetentionCommon):
    def setUp(self):
        super().setUp()
        # The groups here stand for the run's thousands of people: a few
        # values, an Erase now's, go in the queries (INLINE_MAX_VALUES).
        patcher = patch.object(erasure_check, "INLINE_MAX_VALUES", 0)
        patcher.start()
        self.addCleanup(patcher.stop)

    def erased_group(self, count):
        Check = self.env["willsoft.privacy.erasure.check"]
        group = Check._new_group()
        commercials = self.env["res.partner"]
        for index in range(count):
            company = self.env["res.partner"].create(
                {
                    "name": f"Kyselytesti {count} {index} Oy",
                    "is_company": True,
                    "email": f"info{count}.{index}@kysely.fi",
                    "phone": f"+358 9 {count:03d} {index:04d}",
                    "privacy_category": "prospect",
                    "privacy_last_contact_date": "2022-01-01",
                }
            )
            self.env["res.partner"].create(
                {
                    "name": f"Henkilö {count} {index}",
                    "email": f"henkilo{count}.{index}@kysely.fi",
                    "parent_id": company.id,
                }
            )
            commercials |= company
        with freeze_time("2025-07-01"):
            self.engine._process(commercials, "stage1", group)
        return group

    def count_queries(self, group):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        leftovers = self.env["willsoft.privacy.erasure.check"]._find_leftovers(group)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, leftovers

    def test_queries_do_not_grow_with_the_people(self):
        small, large = self.erased_group(2), self.erased_group(20)
        self.assertEqual(len(small["partners"]), 4)
        self.assertEqual(len(large["partners"]), 40)
        small_count, small_left = self.count_queries(small)
        large_count, large_left = self.count_queries(large)
        self.assertEqual((small_left, large_left), ({}, {}))
        # One query per table (and per indexed column), whatever the people.
        self.assertEqual(large_count, small_count, (small_count, large_count))
        self.assertGreater(small_count, 100, "every table with text is searched")

    def test_each_value_is_sent_once_not_with_every_table(self):
        """The people's values reach PostgreSQL in a few queries of the
        check, not in each of its hundred queries: thousands of values in
        every table's query cost seconds a check (docs/benchmarks.md)."""
        group = self.erased_group(20)
        email = "henkilo20.7@kysely.fi"
        self.assertIn(email, group["emails"])
        sent = []
        execute = Cursor.execute

        def recording(cursor, query, params=None, log_exceptions=True):
            code, args = (
                (query.code, query.params)
                if isinstance(query, SQL)
                else (query, params)
            )
            sent.append(cursor._obj.mogrify(code, args).decode())
            return execute(cursor, query, params, log_exceptions)

        self.env.flush_all()
        with patch.object(Cursor, "execute", recording):
            leftovers = self.env["willsoft.privacy.erasure.check"]._find_leftovers(
                group
            )
        self.assertEqual(leftovers, {})
        self.assertGreater(len(sent), 100, "every table with text is searched")
        carrying = [query for query in sent if email in query]
        self.assertLessEqual(len(carrying), 10, "\n".join(q[:200] for q in carrying))

    def test_the_parallel_scans_end_with_the_check(self):
        """The planner settings that let the scans run in parallel hold for
        the check's queries only: what the transaction does next is planned
        as before."""
        group = self.erased_group(2)
        self.env.cr.execute("SET LOCAL parallel_tuple_cost = 0.2")
        Check = self.env["willsoft.privacy.erasure.check"]
        with Check._parallel_scans():
            self.env.cr.execute("SHOW parallel_tuple_cost")
            self.assertEqual(self.env.cr.fetchone()[0], "0")
        self.env.cr.execute("SHOW parallel_tuple_cost")
        self.assertEqual(self.env.cr.fetchone()[0], "0.2")
        self.env.cr.execute("SHOW parallel_setup_cost")
        setup_cost = self.env.cr.fetchone()[0]
        Check._find_leftovers(group)
        self.env.cr.execute("SHOW parallel_tuple_cost")
        self.assertEqual(self.env.cr.fetchone()[0], "0.2")
        self.env.cr.execute("SHOW parallel_setup_cost")
        self.assertEqual(self.env.cr.fetchone()[0], setup_cost)


@tagged("post_install", "-at_install")
class TestErasureCheckWithoutTrigram(TestErasureCheck):
    """A database without pg_trgm: every column is scanned, with the same
    findings."""

    # Odoo 18 runs only a class's own test methods unless told otherwise.
    allow_inherited_tests_method = True

    def setUp(self):
        super().setUp()
        patcher = patch.object(self.env.registry, "has_trigram", False)
        patcher.start()
        self.addCleanup(patcher.stop)


@tagged("post_install", "-at_install")
class TestErasureCheckManyValues(TestErasureCheck):
    """A group with many addresses and numbers (the retention run's): the
    indexed columns are scanned for them, the index serves the names, with
    the same findings."""

    # Without it Odoo 18 ran none of the inherited tests here.
    allow_inherited_tests_method = True

    def setUp(self):
        super().setUp()
        patcher = patch.object(erasure_check, "INDEX_MAX_VALUES", 0)
        patcher.start()
        self.addCleanup(patcher.stop)


@tagged("post_install", "-at_install")
class TestErasureCheckManyNames(TestErasureCheck):
    """A group with many names: the indexed columns are read once, a chunk
    at a time, and their texts looked up in the names; the index serves the
    addresses and numbers. Same findings."""

    allow_inherited_tests_method = True

    def setUp(self):
        super().setUp()
        for name, value in (("INDEX_MAX_NAMES", 0), ("READ_CHUNK", 2)):
            patcher = patch.object(erasure_check, name, value)
            patcher.start()
            self.addCleanup(patcher.stop)


@tagged("post_install", "-at_install")
class TestErasureCheckManyOfAll(TestErasureCheck):
    """The retention run's case: many names, addresses and numbers; every
    indexed column is read or scanned, none searched by its index, and the
    scans look the values up in their temporary tables. Same findings."""

    allow_inherited_tests_method = True

    def setUp(self):
        super().setUp()
        for name, value in (
            ("INDEX_MAX_VALUES", 0),
            ("INDEX_MAX_NAMES", 0),
            ("INLINE_MAX_VALUES", -1),
        ):
            patcher = patch.object(erasure_check, name, value)
            patcher.start()
            self.addCleanup(patcher.stop)


@tagged("post_install", "-at_install")
class TestErasureCheckLargeTables(TestErasureCheck):
    """The million's case: every table large enough that the scans carry the
    values in their queries (the parallel workers look them up) instead of
    looking them up in the temporary tables; many of every kind of value.
    Same findings."""

    allow_inherited_tests_method = True

    def setUp(self):
        super().setUp()
        for name, value in (
            ("INLINE_MIN_ROWS", -1),
            ("INLINE_MAX_VALUES", -1),
            ("INDEX_MAX_VALUES", 0),
            ("INDEX_MAX_NAMES", 0),
        ):
            patcher = patch.object(erasure_check, name, value)
            patcher.start()
            self.addCleanup(patcher.stop)


@tagged("post_install", "-at_install")
class TestEmailNormalization(BaseCase):
    def test_plain_addresses_normalise_as_core_does(self):
        """The check's and the batch's shortcut for a plain address gives
        what core's parser gives, on random strings of the characters that
        matter (Finnish letters, quotes, brackets, spaces of all kinds)."""
        chars = (
            string.ascii_letters
            + string.digits
            + "äöåÄÖÅéüß_.!#$%&'*+/=?^`{|}~-@:;\\\"()<> ,[]\u00a0\t"
        )
        rng = random.Random(2026)
        plain = 0
        for _ in range(20000):
            value = "".join(
                rng.choice(chars if rng.random() < 0.3 else "abcäöÄÖ.@-_")
                for _ in range(rng.randint(1, 14))
            )
            plain += bool(erasure_check.plain_email(value))
            self.assertEqual(
                erasure_check.normalize_email(value), email_normalize(value), value
            )
        # The shortcut was taken, not only the parser.
        self.assertGreater(plain, 1000)


@tagged("post_install", "-at_install")
class TestValuesInText(BaseCase):
    def test_names_are_found_inside_words_and_after_long_ones(self):
        """A name stands anywhere in a text, inflected or after a compound
        first name; a word as long as an image inlined in a body (here
        300,000 characters) is looked at by its endings only, not cut at
        every character (that took minutes a word)."""
        values = erasure_check.Values(
            names={"kaisa salo": {1}, "anna-kaisa niemi": {2}}
        )

        def found(text):
            return sorted(name for name, _ids in values.names_inside(text))

        self.assertEqual(found("soitettu kaisa salolle"), ["kaisa salo"])
        self.assertEqual(found("maija-anna-kaisa niemi."), ["anna-kaisa niemi"])
        self.assertEqual(found("<p>kaisa salo</p>"), ["kaisa salo"])
        self.assertEqual(found("kaisa saarinen"), [])
        self.assertEqual(found(f"{'x' * 300000} kaisa salo"), ["kaisa salo"])
        self.assertEqual(found(f"{'x' * 300000}kaisa salo"), ["kaisa salo"])
