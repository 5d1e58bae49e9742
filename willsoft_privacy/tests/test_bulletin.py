# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
class TestBulletin(PrivacyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fi_FI", "sv_SE", "de_DE"):
            cls.env["res.lang"]._activate_lang(code)
        Partner = cls.env["res.partner"]
        cls.customer, cls.contact_en = cls.make_customer("Lapuan Kone Oy")
        cls.contact_fi = Partner.create(
            {
                "name": "Matti Mäki",
                "email": "matti@lapuankone.fi",
                "lang": "fi_FI",
                "parent_id": cls.customer.id,
            }
        )
        cls.contact_sv = Partner.create(
            {
                "name": "Sara Berg",
                "email": "sara@lapuankone.fi",
                "lang": "sv_SE",
                "parent_id": cls.customer.id,
            }
        )
        cls.contact_de = Partner.create(
            {
                "name": "Karl Braun",
                "email": "karl@lapuankone.fi",
                "lang": "de_DE",
                "parent_id": cls.customer.id,
            }
        )
        cls.contact_en.email = "contact@lapuankone.fi"
        cls.no_email = Partner.create(
            {"name": "Ei Sähköpostia", "lang": "fi_FI", "parent_id": cls.customer.id}
        )
        cls.opted_out = Partner.create(
            {
                "name": "Olli Optout",
                "email": "olli@lapuankone.fi",
                "lang": "fi_FI",
                "parent_id": cls.customer.id,
            }
        )
        cls.env["mail.blacklist"]._add("olli@lapuankone.fi")
        cls.person_customer = Partner.create(
            {
                "name": "Toiminimi Tiina",
                "email": "tiina@example.fi",
                "lang": "fi_FI",
                "privacy_category": "customer",
            }
        )
        ended, cls.ended_contact = cls.make_customer(
            "Entinen Asiakas Oy",
            privacy_relationship_start=date(2020, 1, 1),
            privacy_relationship_end=date(2025, 1, 31),
        )
        cls.ended_contact.email = "ended@example.fi"
        restricted, cls.restricted_contact = cls.make_customer("Rajoitettu Oy")
        restricted.sudo().privacy_stage = "restricted"
        cls.restricted_contact.email = "restricted@example.fi"
        prospect = Partner.create(
            {"name": "Prospekti Oy", "is_company": True, "privacy_category": "prospect"}
        )
        cls.prospect_contact = Partner.create(
            {
                "name": "Pekka Prospekti",
                "email": "pekka@prospekti.fi",
                "parent_id": prospect.id,
            }
        )

    def _wizard(self, **texts):
        form = Form(
            self.env["willsoft.privacy.bulletin.wizard"].with_user(self.officer)
        )
        form.subject_en = "Service break on Sunday"
        form.body_en = "<p>Our service is down on Sunday from 8 to 10.</p>"
        for name, value in texts.items():
            setattr(form, name, value)
        return form.save()

    def test_recipients_are_active_customers_contacts_only(self):
        recipients = self.env["res.partner"]._privacy_bulletin_recipients()
        ours = recipients.filtered(
            lambda p: (
                p.email
                and (
                    p.email.endswith("lapuankone.fi") or p.email.endswith("example.fi")
                )
            )
        )
        self.assertEqual(
            set(ours.mapped("name")),
            {
                "Contact of Lapuan Kone Oy",
                "Matti Mäki",
                "Sara Berg",
                "Karl Braun",
                "Olli Optout",  # marketing opt-out does not stop a bulletin
                "Toiminimi Tiina",
            },
        )
        for excluded in (
            self.ended_contact,
            self.restricted_contact,
            self.prospect_contact,
            self.no_email,
            self.customer,
        ):
            self.assertNotIn(excluded, recipients)

    def test_each_person_in_their_language_with_english_fallback(self):
        wizard = self._wizard(
            subject_fi="Käyttökatko sunnuntaina",
            body_fi="<p>Palvelu on poissa käytöstä sunnuntaina klo 8–10.</p>",
        )
        groups = wizard._recipients_by_lang()
        self.assertLessEqual(
            self.contact_fi | self.opted_out | self.person_customer, groups["fi"]
        )
        # No Swedish text: Sara gets the English one, as does Karl (German).
        self.assertNotIn("sv", groups)
        self.assertLessEqual(
            self.contact_sv | self.contact_de | self.contact_en, groups["en"]
        )
        self.assertIn(f"Finnish: {len(groups['fi'])}", wizard.preview)
        self.assertIn("Matti Mäki &lt;matti@lapuankone.fi&gt;", wizard.preview)
        self.assertIn("Swedish: 0", wizard.preview)

        wizard.subject_sv = "Driftavbrott på söndag"
        wizard.body_sv = "<p>Tjänsten är nere på söndag kl. 8–10.</p>"
        self.assertIn("Swedish: 1", wizard.preview)
        self.assertEqual(wizard._recipients_by_lang()["sv"], self.contact_sv)

        before = self.env["mail.mail"].search([])
        wizard.action_send()
        mails = self.env["mail.mail"].search([]) - before
        by_person = {m.recipient_ids: m for m in mails}
        self.assertEqual(by_person[self.contact_fi].subject, "Käyttökatko sunnuntaina")
        self.assertEqual(by_person[self.opted_out].subject, "Käyttökatko sunnuntaina")
        self.assertEqual(by_person[self.contact_sv].subject, "Driftavbrott på söndag")
        self.assertEqual(by_person[self.contact_de].subject, "Service break on Sunday")
        self.assertEqual(by_person[self.contact_en].subject, "Service break on Sunday")
        self.assertNotIn(self.ended_contact, by_person)
        self.assertNotIn(self.prospect_contact, by_person)
        bulletins = self.env.ref("willsoft_privacy.processing_bulletins")
        for mail in mails:
            self.assertEqual(mail.state, "outgoing", "sent through the mail queue")
            self.assertEqual(mail.willsoft_privacy_processing_id, bulletins)
        log = self.contact_fi.message_ids[:1]
        self.assertIn("Käyttökatko sunnuntaina", log.body)

        # The blacklisted person's mail really leaves the queue.
        mail = by_person[self.opted_out].sudo()
        mail.send(raise_exception=False)
        self.assertEqual(mail.state, "sent")

    def _send(self, wizard):
        before = self.env["mail.mail"].search([])
        wizard.action_send()
        mails = self.env["mail.mail"].search([]) - before
        return {m.recipient_ids: m for m in mails}

    def test_each_person_gets_their_own_name_in_their_language(self):
        template = self.env.ref("willsoft_privacy.mail_template_bulletin_service_break")
        template.subject = "{{ object.name }}: planned service break"
        for lang, subject, hello in (
            ("fi_FI", "{{ object.name }}: suunniteltu käyttökatko", "Hei"),
            ("sv_SE", "{{ object.name }}: planerat driftavbrott", "Hej"),
        ):
            translated = template.with_context(lang=lang)
            translated.subject = subject
            translated.body_html = (
                f'<div><p>{hello} <t t-out="object.name">Asiakas</t> '
                '(<t t-out="object.commercial_partner_id.name"/>),</p></div>'
            )
        form = Form(
            self.env["willsoft.privacy.bulletin.wizard"].with_user(self.officer)
        )
        form.template_id = template
        wizard = form.save()
        self.assertIn("Hello", wizard.preview)
        self.assertNotIn("t-out", wizard.preview)

        by_person = self._send(wizard)
        matti, sara = by_person[self.contact_fi], by_person[self.contact_sv]
        self.assertEqual(matti.subject, "Matti Mäki: suunniteltu käyttökatko")
        self.assertIn("Hei Matti Mäki (Lapuan Kone Oy),", matti.body_html)
        self.assertNotIn("Sara Berg", matti.body_html)
        self.assertEqual(sara.subject, "Sara Berg: planerat driftavbrott")
        self.assertIn("Hej Sara Berg (Lapuan Kone Oy),", sara.body_html)
        self.assertNotIn("Matti Mäki", sara.body_html)
        # No German text: Karl gets the English template, with his own name.
        karl = by_person[self.contact_de]
        self.assertEqual(karl.subject, "Karl Braun: planned service break")
        self.assertIn("Hello Karl Braun,", karl.body_html)
        tiina = by_person[self.person_customer]
        self.assertIn("Hei Toiminimi Tiina (Toiminimi Tiina),", tiina.body_html)
        for mail in by_person.values():
            self.assertNotIn("object.", mail.subject + mail.body_html)
        self.assertIn(
            "Matti Mäki: suunniteltu käyttökatko",
            self.contact_fi.message_ids[:1].body,
            "the chatter logs the subject the person got",
        )

    def test_bad_placeholder_stops_the_bulletin(self):
        for field, value in (
            ("body_en", '<p>Hello <t t-out="object.name("/>,</p>'),
            ("subject_fi", "Hei {{ object.name( }}"),
        ):
            with self.subTest(field=field):
                texts = {
                    "subject_fi": "Käyttökatko",
                    "body_fi": "<p>Palvelu on poissa käytöstä sunnuntaina.</p>",
                    field: value,
                }
                wizard = self._wizard(**texts)
                self.assertIn("cannot be filled in", wizard.preview)
                before = self.env["mail.mail"].search_count([])
                logs = len(self.contact_fi.message_ids)
                with self.assertRaisesRegex(UserError, "cannot be filled in"):
                    wizard.action_send()
                self.assertEqual(self.env["mail.mail"].search_count([]), before)
                self.assertEqual(len(self.contact_fi.message_ids), logs)

    def test_only_officers_send_bulletins(self):
        with self.assertRaises(AccessError):
            self.env["willsoft.privacy.bulletin.wizard"].with_user(
                self.privacy_user
            ).create({"subject_en": "x", "body_en": "<p>x</p>"})
