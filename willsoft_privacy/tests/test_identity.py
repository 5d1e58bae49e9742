# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .common import PortalPages

VICTIM = "vera.victim@lk.example"


@tagged("post_install", "-at_install")
class TestIdentity(PortalPages, HttpCase, MockEmail):
    """Self-service acts only on the address a person proved: a portal
    customer who types someone else's address on /my/account can see,
    consent for or withdraw nothing of that person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Consent = cls.env["willsoft.privacy.consent"]
        cls.Event = cls.env["willsoft.privacy.consent.event"]
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.attacker = new_test_user(
            cls.env,
            login="id_mallory",
            password="id_mallory_pw",
            groups="base.group_portal",
            name="Mallory Swap",
            email="mallory@lk.example",
        )
        cls.attacker.partner_id.write(
            {"street": "Katu 1", "city": "Lapua", "phone": "+358401234567"}
        )
        cls.attacker.partner_id.country_id = cls.env.ref("base.fi")
        cls.victim = cls.env["res.partner"].create({"name": "Vera", "email": VICTIM})
        # Vera objected to marketing: her address is on the blacklist.
        cls.Consent._record_event(
            cls.victim, cls.marketing, "email", "withdrawn", "import"
        )
        cls.employee = new_test_user(
            cls.env,
            login="id_employee",
            password="id_employee_pw",
            groups="base.group_user",
            name="Emma Employee",
            email="emma@willsoft.example",
        )

    def swap_email(self, email=VICTIM):
        """What the attacker does on /my/account."""
        partner = self.attacker.partner_id
        response = self.url_open(
            "/my/account",
            data={
                "csrf_token": self.csrf("/my/account"),
                "name": partner.name,
                "email": email,
                "phone": partner.phone,
                "street": partner.street,
                "city": partner.city,
                "country_id": partner.country_id.id,
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(partner.email, email)

    def blacklisted(self, email):
        return bool(self.env["mail.blacklist"].search([("email", "=", email)]))

    def mails_to(self, address):
        """The mails sent to this address (the queue may hold others')."""
        return [mail for mail in self._mails if mail["email_to"] == [address]]

    def test_company_entered_addresses_are_proven(self):
        self.assertEqual(self.victim.privacy_email_proven, VICTIM)
        self.assertEqual(self.victim.privacy_email_proof, "company")
        # Staff correcting an address in the backend: proven again.
        officer = new_test_user(
            self.env,
            login="id_officer",
            groups="base.group_user,base.group_partner_manager,"
            "willsoft_privacy.group_privacy_officer",
        )
        self.victim.with_user(officer).email = "vera.new@lk.example"
        self.assertEqual(self.victim.privacy_email_proven, "vera.new@lk.example")

    def test_email_swap_on_my_account_gives_nothing(self):
        self.authenticate("id_mallory", "id_mallory_pw")
        self.swap_email()
        partner = self.attacker.partner_id
        self.assertEqual(partner.privacy_email_proven, "mallory@lk.example")
        self.assertTrue(partner.privacy_email_unproven)
        # The map and the page use the proven address only.
        self.assertEqual(
            self.env["willsoft.privacy.data.map"]._emails(partner),
            ["mallory@lk.example"],
        )
        page = self.url_open("/my/privacy").text
        self.assertIn("is not confirmed yet", page)
        self.assertIn(VICTIM, page)
        self.assertIn("mallory@lk.example", page)
        # Consent by email is refused until the address is confirmed: Vera's
        # objection stays.
        events_before = self.Event.search_count([])
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/my/privacy/consent",
                data={
                    "csrf_token": self.csrf(),
                    "purpose_id": self.marketing.id,
                    "channel": "email",
                    "action": "given",
                },
                allow_redirects=False,
            )
        self.assertIn("Confirm your new email address first", response.text)
        self.assertEqual(self.Event.search_count([]), events_before)
        self.assertTrue(self.blacklisted(VICTIM))
        # A withdrawal stops sending to the proven address, not Vera's.
        self.env["mail.blacklist"].search([("email", "=", VICTIM)]).unlink()
        response = self.url_open(
            "/my/privacy/consent",
            data={
                "csrf_token": self.csrf(),
                "purpose_id": self.marketing.id,
                "channel": "email",
                "action": "withdrawn",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(self.blacklisted("mallory@lk.example"))
        self.assertFalse(self.blacklisted(VICTIM))

    def test_objection_blacklists_the_proven_address_only(self):
        """An objection filed after an email swap stops marketing to the
        person's own proven address, never to the address they typed."""
        self.env["mail.blacklist"].search([("email", "=", VICTIM)]).unlink()
        self.authenticate("id_mallory", "id_mallory_pw")
        self.swap_email()
        response = self.url_open(
            "/my/privacy/request/new",
            data={"csrf_token": self.csrf(), "kind": "objection"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        request = self.env["willsoft.privacy.request"].search(
            [("partner_id", "=", self.attacker.partner_id.id)]
        )
        self.assertEqual(request.kind, "objection")
        self.assertFalse(self.blacklisted(VICTIM))
        self.assertFalse(self.victim.is_blacklisted)
        self.assertTrue(self.blacklisted("mallory@lk.example"))
        # The objection stands for the person, in the chatter too.
        self.assertTrue(request.marketing_stopped_date)
        note = request.message_ids.filtered(
            lambda m: "Marketing stopped" in (m.body or "")
        )
        self.assertIn("mallory@lk.example", note.body)
        self.assertIn("not confirmed", note.body)

    def test_objection_without_a_proven_address_waits(self):
        """No proven address: nothing goes on the blacklist until an officer
        verifies the address and starts the request."""
        self.env["mail.blacklist"].search([("email", "=", VICTIM)]).unlink()
        partner = self.attacker.partner_id
        partner._privacy_email_prove(False, False)
        partner.with_user(self.attacker).sudo().email = VICTIM
        request = self.env["willsoft.privacy.request"]._portal_create(
            partner, {"kind": "objection"}
        )
        self.assertFalse(self.blacklisted(VICTIM))
        self.assertFalse(request.marketing_stopped_date)
        self.assertIn("nothing was put on the blacklist", request.message_ids[0].body)
        # The officer checks the address is the person's after all.
        officer = new_test_user(
            self.env,
            login="id_officer3",
            groups="base.group_user,willsoft_privacy.group_privacy_officer",
        )
        partner.with_user(officer).action_privacy_email_verify()
        request.with_user(officer).action_start()
        self.assertTrue(self.blacklisted(VICTIM))
        self.assertTrue(request.marketing_stopped_date)

    def test_typed_phone_finds_and_blocks_nothing_of_its_owner(self):
        """A phone number typed on one's own account is not proven: it finds
        none of its owner's records and goes on no phone blacklist."""
        victim_phone = "+358409998888"
        self.victim.phone = "+358401112222"
        self.victim.phone = victim_phone
        self.env.flush_all()
        self.env.cr.flush()
        vera_tracking = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", self.victim.id),
                ("field_id.name", "=", "phone"),
            ]
        )
        self.assertTrue(vera_tracking)
        self.assertEqual(self.victim.privacy_phone_proven, victim_phone)
        partner = self.attacker.partner_id
        partner.with_user(self.attacker).sudo().phone = victim_phone
        self.assertEqual(partner.privacy_phone_proven, "+358401234567")
        # The contact form tells staff that the typed number is not verified.
        self.assertTrue(partner.privacy_phone_unproven)
        self.assertFalse(self.victim.privacy_phone_unproven)
        data_map = self.env["willsoft.privacy.data.map"]
        former = data_map._former_values(partner)
        self.assertIn("+358401234567", former)
        self.assertNotIn(victim_phone, former)
        found = data_map._plan(partner)["found"]["tracking"]
        self.assertFalse(found & vera_tracking)
        # Withdrawing SMS consent blocks the proven number, not Vera's.
        self.Consent._stop_sending(partner, self.marketing, "sms")
        PhoneBlacklist = self.env["phone.blacklist"].with_context(active_test=True)
        self.assertTrue(PhoneBlacklist.search([("number", "=", "+358401234567")]))
        self.assertFalse(PhoneBlacklist.search([("number", "=", victim_phone)]))
        # An officer who checked the number proves it.
        officer = new_test_user(
            self.env,
            login="id_officer4",
            groups="base.group_user,willsoft_privacy.group_privacy_officer",
        )
        partner.with_user(officer).action_privacy_email_verify()
        self.assertEqual(partner.privacy_phone_proven, victim_phone)
        self.assertFalse(partner.privacy_phone_unproven)

    def test_confirm_the_new_address_with_a_code(self):
        self.authenticate("id_mallory", "id_mallory_pw")
        self.swap_email("mallory.new@lk.example")
        partner = self.attacker.partner_id
        with self.mock_mail_gateway():
            response = self.url_open(
                "/my/privacy/email/send",
                data={"csrf_token": self.csrf()},
                allow_redirects=False,
            )
            self.env["mail.mail"].sudo().process_email_queue()
        self.assertEqual(response.status_code, 303)
        mails = self.mails_to("mallory.new@lk.example")
        self.assertEqual(len(mails), 1)
        mail = mails[0]
        code = re.search(r"\b(\d{6})\b", mail["subject"]).group(1)
        wrong = f"{(int(code) + 1) % 1000000:06d}"
        response = self.url_open(
            "/my/privacy/email/confirm",
            data={"csrf_token": self.csrf(), "code": wrong},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("The code is not right", response.text)
        self.assertEqual(partner.privacy_email_proven, "mallory@lk.example")
        response = self.url_open(
            "/my/privacy/email/confirm",
            data={"csrf_token": self.csrf(), "code": code},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(partner.privacy_email_proven, "mallory.new@lk.example")
        self.assertEqual(partner.privacy_email_proof, "code")
        self.assertNotIn("is not confirmed yet", self.url_open("/my/privacy").text)

    def test_code_cannot_prove_an_address_changed_after_sending(self):
        """The code proves the address it was sent to, not a later one."""
        partner = self.attacker.partner_id
        Confirmation = self.env["willsoft.privacy.email.confirmation"]
        partner.with_user(self.attacker).sudo().email = "mine@lk.example"
        with self.mock_mail_gateway():
            Confirmation._send(partner)
            self.env["mail.mail"].sudo().process_email_queue()
        code = re.search(
            r"\b(\d{6})\b", self.mails_to("mine@lk.example")[0]["subject"]
        ).group(1)
        partner.with_user(self.attacker).sudo().email = VICTIM
        with self.assertRaisesRegex(Exception, "expired"):
            Confirmation._confirm(partner, code)
        self.assertEqual(partner.privacy_email_proven, "mallory@lk.example")

    def test_code_sending_is_limited(self):
        partner = self.attacker.partner_id
        partner.with_user(self.attacker).sudo().email = "mine@lk.example"
        Confirmation = self.env["willsoft.privacy.email.confirmation"]
        with self.mock_mail_gateway():
            for _i in range(3):
                Confirmation._send(partner)
            with self.assertRaisesRegex(Exception, "Too many codes"):
                Confirmation._send(partner)
        self.assertEqual(
            Confirmation.search_count([("partner_id", "=", partner.id)]), 3
        )

    def test_employee_preferences_change_needs_confirmation(self):
        self.employee.with_user(self.employee).write({"email": VICTIM})
        self.assertEqual(self.employee.partner_id.email, VICTIM)
        self.assertEqual(
            self.employee.partner_id.privacy_email_proven, "emma@willsoft.example"
        )

    def test_signup_form_does_not_find_a_typed_address(self):
        """The sign-up form finds a contact by the proven address only; the
        confirmation link proves the address of the contact it created."""
        self.attacker.partner_id.with_user(
            self.attacker
        ).sudo().email = "new.person@lk.example"
        public = self.env.ref("base.public_user")
        event = (
            self.Consent.with_user(public)
            .sudo()
            ._subscribe_from_form(self.marketing, "New Person", "new.person@lk.example")
        )
        self.assertNotEqual(event.partner_id, self.attacker.partner_id)
        self.assertFalse(event.partner_id.privacy_email_proven)
        params = self.Consent._link_params(
            "confirm",
            event.partner_id,
            self.marketing,
            expiry=self.Consent._confirm_expiry(),
        )
        self.Consent._confirm_from_link(params)
        self.assertEqual(event.partner_id.privacy_email_proven, "new.person@lk.example")
        self.assertEqual(event.partner_id.privacy_email_proof, "link")

    def test_public_request_goes_to_the_proven_owner(self):
        self.attacker.partner_id.with_user(self.attacker).sudo().email = VICTIM
        Verification = self.env["willsoft.privacy.request.verification"]
        with self.mock_mail_gateway():
            pending = Verification._start(
                {"name": "Vera", "email": VICTIM, "kind": "access"}, "127.0.0.1"
            )
            self.env["mail.mail"].sudo().process_email_queue()
        code = re.search(r"\b(\d{6})\b", self.mails_to(VICTIM)[0]["subject"]).group(1)
        request = pending._confirm(code)
        self.assertEqual(request.partner_id, self.victim)

    def test_officer_verifies_an_address(self):
        partner = self.attacker.partner_id
        partner.with_user(self.attacker).sudo().email = "checked@lk.example"
        with self.assertRaisesRegex(Exception, "Only privacy officers"):
            partner.with_user(self.employee).action_privacy_email_verify()
        self.assertEqual(partner.privacy_email_proven, "mallory@lk.example")
        officer = new_test_user(
            self.env,
            login="id_officer2",
            groups="base.group_user,willsoft_privacy.group_privacy_officer",
        )
        partner.with_user(officer).action_privacy_email_verify()
        self.assertEqual(partner.privacy_email_proven, "checked@lk.example")
        self.assertEqual(partner.privacy_email_proof, "officer")

    def test_employee_gets_my_page_and_a_plain_my_privacy(self):
        self.authenticate("id_employee", "id_employee_pw")
        home = self.url_open("/my/home")
        self.assertEqual(home.status_code, 200)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["privacy_request_count"]}
        )
        self.assertEqual(counters["privacy_request_count"], 0)
        page = self.url_open("/my/privacy")
        self.assertEqual(page.status_code, 200)
        self.assertIn("This page is for our customers", page.text)
