# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
class TestRequestRestriction(PrivacyCommon, MockEmail):
    """GDPR 18: a contact's restriction holds that person only, and the
    person is told before it ends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer, cls.person = cls.make_customer("Rajoitus Oy")
        cls.person.email = "rajoitettu@example.com"
        cls.colleague = cls.env["res.partner"].create(
            {
                "name": "Kollega",
                "parent_id": cls.customer.id,
                "email": "kollega@example.com",
            }
        )

    def restrict(self):
        request = (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": self.person.id, "kind": "restriction"})
        )
        request.action_start()
        request.action_restrict_processing()
        return request

    @freeze_time("2026-04-01")
    def test_a_contacts_restriction_holds_that_person_only(self):
        request = self.restrict()
        self.assertEqual(self.person.privacy_state, "hold")
        self.assertEqual(request.restriction_until, date(2027, 4, 1))
        self.assertFalse(self.customer.privacy_hold_until)
        self.assertFalse(self.colleague.privacy_hold_until)
        self.assertNotEqual(self.colleague.privacy_state, "hold")
        # The organisation's erasure leaves the restricted person alone.
        self.env["willsoft.privacy.retention"]._process(self.customer, "erasure")
        self.assertEqual(self.customer.privacy_stage, "anonymised")
        self.assertEqual(self.colleague.privacy_stage, "anonymised")
        self.assertEqual(self.person.privacy_stage, "none")
        self.assertEqual(self.person.email, "rajoitettu@example.com")

    def test_the_person_is_told_before_the_restriction_ends(self):
        with freeze_time("2026-04-01"):
            request = self.restrict()
            request.outcome = request.outcome or "Restricted."
            request.recipient_ids.state = "informed"
            request.action_done()
        Request = self.env["willsoft.privacy.request"]
        with freeze_time("2027-03-01"), self.mock_mail_gateway():
            self.assertEqual(Request._cron_privacy_restriction_notices(), 0)
        self.assertFalse(self._new_mails)
        with freeze_time("2027-03-20"), self.mock_mail_gateway():
            self.assertEqual(Request._cron_privacy_restriction_notices(), 1)
        self.assertMailMailWEmails(
            ["rajoitettu@example.com"],
            "outgoing",
            content="The restriction ends on",
            fields_values={
                "subject": f"The restriction of your data ends ({request.name})"
            },
        )
        self.assertTrue(request.restriction_notice_date)
        # Once only.
        with freeze_time("2027-03-21"), self.mock_mail_gateway():
            self.assertEqual(Request._cron_privacy_restriction_notices(), 0)
        # Still restricted until the day said.
        with freeze_time("2027-03-31"):
            self.assertTrue(self.person._privacy_on_hold())

    def test_lifting_early_tells_first_and_waits_the_notice_period(self):
        with freeze_time("2026-04-01"):
            request = self.restrict()
        with freeze_time("2026-06-01"), self.mock_mail_gateway():
            request.with_user(self.officer).action_lift_restriction()
            self.assertEqual(request.restriction_until, date(2026, 6, 15))
            self.assertEqual(self.person.privacy_hold_until, date(2026, 6, 15))
            self.assertTrue(self.person._privacy_on_hold())
        self.assertMailMailWEmails(["rajoitettu@example.com"], "outgoing")
        with freeze_time("2026-06-16"):
            self.assertFalse(self.person._privacy_on_hold())
