# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import timedelta

from lxml import html as lxml_html

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.willsoft_privacy.tests.common import (
    assert_every_key_labelled,
)

ROUTE = "/website_mass_mailing/subscribe"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) WillsoftTest/1.0"


@tagged("post_install", "-at_install")
class TestWebsiteNewsletter(HttpCase):
    """The newsletter block of the website asks for consent by double opt-in:
    the ledger records the request, the confirmation mail goes out, and the
    address gets no mailing until the person follows the link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.Event = cls.env["willsoft.privacy.consent.event"]
        cls.Consent = cls.env["willsoft.privacy.consent"]
        List = cls.env["mailing.list"]
        cls.newsletter = List.create({"name": "Uutiskirje", "is_public": True})
        cls.private = List.create({"name": "Sisäinen", "is_public": False})
        cls.contract = List.create(
            {
                "name": "Tiedotteet",
                "is_public": True,
                "willsoft_privacy_processing_id": cls.env.ref(
                    "willsoft_privacy.processing_bulletins"
                ).id,
            }
        )
        other_company = cls.env["res.company"].create({"name": "Toinen Oy"})
        cls.foreign = List.create(
            {
                "name": "Toisen uutiskirje",
                "is_public": True,
                "willsoft_privacy_processing_id": cls.marketing.copy(
                    {"company_id": other_company.id}
                ).id,
            }
        )
        # Someone already on the list, so that a mailing has a recipient.
        cls.env["mailing.contact"].create(
            {
                "name": "Vanha Tilaaja",
                "email": "vanha@example.fi",
                "list_ids": [cls.newsletter.id],
            }
        )

    def subscribe(self, list_id, value, subscription_type="email"):
        return self.make_jsonrpc_request(
            ROUTE,
            {
                "list_id": list_id,
                "value": value,
                "subscription_type": subscription_type,
            },
            headers={"User-Agent": BROWSER},
        )

    def subscription(self, email, mailing_list=None):
        return self.env["mailing.subscription"].search(
            [
                ("list_id", "=", (mailing_list or self.newsletter).id),
                ("contact_id.email_normalized", "=", email),
            ]
        )

    def post_form(self, list_ids, email, name="Lomake Tilaaja"):
        """The form variant of the newsletter block: a website form on
        mailing contacts, as the browser posts it."""
        response = self.url_open(
            "/website/form/mailing.contact",
            data={
                "name": name,
                "email": email,
                "list_ids": ",".join(str(i) for i in list_ids),
            },
            headers={"User-Agent": BROWSER},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def send_mailing(self):
        """A mailing to the list, sent: the addresses it went to."""
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Uutiset",
                "body_html": "<p>Uutiset</p>",
                "mailing_model_id": self.env.ref("mass_mailing.model_mailing_list").id,
                "contact_list_ids": [self.newsletter.id],
            }
        )
        mailing.action_send_mail()
        sent = mailing.mailing_trace_ids.filtered(lambda t: t.trace_status != "cancel")
        return set(sent.mapped("email"))

    def confirm(self, mail):
        """Follow the confirmation link of ``mail`` as the person does: open
        the page, then press its button."""
        url = re.search(
            r'href="[^"]*(/privacy/consent/confirm\?[^"]*)"', mail.body_html
        ).group(1)
        page = self.url_open(url.replace("&amp;", "&"))
        form = lxml_html.fromstring(page.text).xpath("//form[@method='post']")[0]
        data = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
        self.assertTrue(data.get("csrf_token"))
        return self.url_open(form.get("action"), data=data)

    def test_sign_up_asks_for_consent_and_the_link_subscribes(self):
        answer = self.subscribe(self.newsletter.id, "Uusi Tilaaja <Uusi@Example.fi>")
        self.assertEqual(answer["toast_type"], "success")
        self.assertIn("check your email", answer["toast_content"])

        partner = self.env["res.partner"].search(
            [("email_normalized", "=", "uusi@example.fi")]
        )
        self.assertEqual(partner.name, "Uusi Tilaaja")
        self.assertTrue(partner.privacy_consent_only)
        requested = partner.privacy_consent_event_ids
        self.assertEqual(
            (requested.action, requested.source, requested.processing_id),
            ("requested", "website_newsletter", self.marketing),
        )
        self.assertEqual(
            (requested.ip_address, requested.user_agent), ("127.0.0.1", BROWSER)
        )
        self.assertIn("Uutiskirje", requested.note)
        self.assertFalse(self.Consent._state(partner, self.marketing, "email"))
        mail = self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", partner.ids),
                ("willsoft_privacy_processing_id", "=", self.marketing.id),
            ]
        )
        self.assertEqual(
            (mail.subject, mail.state), ("Confirm your subscription", "outgoing")
        )

        # On the list, but opted out until confirmed: the mailing skips it.
        subscription = self.subscription("uusi@example.fi")
        self.assertTrue(subscription.opt_out)
        self.assertTrue(subscription.willsoft_privacy_pending_since)
        self.assertFalse(subscription.opt_out_datetime, "waiting, not unsubscribed")
        self.assertEqual(self.send_mailing(), {"vanha@example.fi"})

        page = self.confirm(mail)
        self.assertEqual(page.status_code, 200)
        self.assertIn("your consent is confirmed", page.text)
        self.assertEqual(self.Consent._state(partner, self.marketing, "email"), "given")
        self.assertEqual(partner.privacy_email_proven, "uusi@example.fi")
        self.assertFalse(subscription.opt_out)
        self.assertFalse(subscription.willsoft_privacy_pending_since)
        self.assertEqual(self.send_mailing(), {"vanha@example.fi", "uusi@example.fi"})

    def test_bad_or_foreign_list_changes_nothing(self):
        def counts():
            return [
                self.env[model].search_count([])
                for model in (
                    "res.partner",
                    "willsoft.privacy.consent.event",
                    "mail.mail",
                    "mailing.contact",
                    "mailing.subscription",
                )
            ]

        before = counts()
        for list_id in (
            self.private.id,
            self.contract.id,
            self.foreign.id,
            999999,
            2**40,
            "x",
            None,
            [self.newsletter.id],
        ):
            with self.subTest(list_id=list_id):
                answer = self.subscribe(list_id, "kuka@example.fi")
                self.assertEqual(answer["toast_type"], "danger")
                self.assertIn(
                    "This newsletter cannot be subscribed to here",
                    answer["toast_content"],
                )
        for subscription_type in ("fax", None):
            with self.subTest(subscription_type=subscription_type):
                answer = self.subscribe(
                    self.newsletter.id, "kuka@example.fi", subscription_type
                )
                self.assertEqual(answer["toast_type"], "danger")
        for value in ("not an email", None, 42, "x" * 300 + "@example.fi"):
            with self.subTest(value=value):
                answer = self.subscribe(self.newsletter.id, value)
                self.assertEqual(
                    answer,
                    {
                        "toast_type": "danger",
                        "toast_content": "Enter a valid email address.",
                    },
                )
        self.assertEqual(counts(), before)

    def test_limits_shared_with_the_sign_up_form(self):
        # One person, one contact, one subscription, however often.
        self.subscribe(self.newsletter.id, "toistaja@example.fi")
        self.subscribe(self.newsletter.id, "TOISTAJA@example.fi")
        self.Consent._subscribe_from_form(
            self.marketing, "Toistaja", "toistaja@example.fi"
        )
        answer = self.subscribe(self.newsletter.id, "toistaja@example.fi")
        self.assertEqual(answer["toast_type"], "danger")
        self.assertIn("Too many requests", answer["toast_content"])
        partner = self.env["res.partner"].search(
            [("email_normalized", "=", "toistaja@example.fi")]
        )
        self.assertEqual(len(partner), 1)
        self.assertEqual(
            partner.privacy_consent_event_ids.mapped("source"),
            ["public_form", "website_newsletter", "website_newsletter"],
        )
        self.assertEqual(len(self.subscription("toistaja@example.fi")), 1)

    def test_already_subscribed_gets_no_mail(self):
        mails = self.env["mail.mail"].search_count([])
        answer = self.subscribe(self.newsletter.id, "vanha@example.fi")
        self.assertEqual(answer["toast_type"], "success")
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)
        self.assertFalse(self.subscription("vanha@example.fi").opt_out)

    def test_unconfirmed_subscription_expires(self):
        self.subscribe(self.newsletter.id, "unohtaja@example.fi")
        subscription = self.subscription("unohtaja@example.fi")
        Subscription = self.env["mailing.subscription"]
        Subscription._gc_privacy_unconfirmed()
        self.assertTrue(subscription.exists(), "the link is still valid")
        hours = self.Consent._confirm_valid_hours()
        subscription.willsoft_privacy_pending_since = fields.Datetime.now() - timedelta(
            hours=hours + 1
        )
        Subscription._gc_privacy_unconfirmed()
        self.assertFalse(subscription.exists())
        self.assertTrue(self.subscription("vanha@example.fi"))

    def test_newsletter_form_waits_for_confirmation_too(self):
        offers = self.env["mailing.list"].create(
            {"name": "Tarjoukset", "is_public": True}
        )
        answer = self.post_form([self.newsletter.id, offers.id], "lomake@example.fi")
        self.assertTrue(answer.get("id"), answer)
        contact = self.env["mailing.contact"].browse(answer["id"])
        self.assertEqual(contact.name, "Lomake Tilaaja")
        for mailing_list in (self.newsletter, offers):
            subscription = self.subscription("lomake@example.fi", mailing_list)
            self.assertEqual(subscription.contact_id, contact)
            self.assertTrue(subscription.opt_out)
            self.assertTrue(subscription.willsoft_privacy_pending_since)
        partner = self.env["res.partner"].search(
            [("email_normalized", "=", "lomake@example.fi")]
        )
        # Both lists on one purpose: one request, one mail.
        requested = partner.privacy_consent_event_ids
        self.assertEqual(
            (requested.action, requested.source), ("requested", "website_newsletter")
        )
        self.assertIn("Tarjoukset", requested.note)
        mail = self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(self.send_mailing(), {"vanha@example.fi"})

        self.confirm(mail)
        for mailing_list in (self.newsletter, offers):
            self.assertFalse(
                self.subscription("lomake@example.fi", mailing_list).opt_out
            )

    def test_newsletter_form_with_a_list_not_open_changes_nothing(self):
        contacts = self.env["mailing.contact"].search_count([])
        events = self.Event.search_count([])
        answer = self.post_form([self.newsletter.id, self.contract.id], "ei@example.fi")
        self.assertIn("This newsletter cannot be subscribed to here", answer["error"])
        answer = self.post_form([self.newsletter.id], "not an email")
        self.assertEqual(answer, {"error": "Enter a valid email address."})
        self.assertEqual(self.env["mailing.contact"].search_count([]), contacts)
        self.assertEqual(self.Event.search_count([]), events)

    def test_known_person_signs_up_and_the_export_says_it_waits(self):
        person = self.env["res.partner"].create(
            {"name": "Tuttu Asiakas", "email": "tuttu@example.fi"}
        )
        person._privacy_email_prove("tuttu@example.fi", "officer")
        self.subscribe(self.newsletter.id, "tuttu@example.fi")
        # The person who proved the address, not a new contact.
        self.assertEqual(person.privacy_consent_event_ids.action, "requested")
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email_normalized", "=", "tuttu@example.fi")]
            ),
            1,
        )
        export = self.env["willsoft.privacy.data.map"]._export(person)
        (row,) = export["mailing_contacts"]["records"]
        (subscription,) = row["subscriptions"]
        self.assertEqual(subscription["list"], "Uutiskirje")
        self.assertTrue(subscription["opt_out"])
        self.assertTrue(subscription["awaiting_confirmation"])
        assert_every_key_labelled(self, export, ("mailing_contacts",))

    def test_only_the_persons_own_consent_makes_it_take_effect(self):
        person = self.env["res.partner"].create(
            {"name": "Portaali Asiakas", "email": "portaali@example.fi"}
        )
        person._privacy_email_prove("portaali@example.fi", "officer")
        self.subscribe(self.newsletter.id, "portaali@example.fi")
        subscription = self.subscription("portaali@example.fi")
        # Staff importing a consent is not the person confirming this one.
        self.Consent._record_event(
            person, self.marketing, "email", "given", "import", note="Excel"
        )
        self.assertTrue(subscription.opt_out)
        # Giving it on My privacy, logged in, is.
        self.Consent._portal_record(
            person,
            {"purpose_id": self.marketing.id, "channel": "email", "action": "given"},
        )
        self.assertFalse(subscription.opt_out)
        self.assertFalse(subscription.willsoft_privacy_pending_since)
