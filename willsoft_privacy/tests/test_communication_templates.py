# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, tagged

from .common import ConsentCommon, PrivacyCommon


@tagged("post_install", "-at_install")
class TestCommunicationTemplates(PrivacyCommon, ConsentCommon):
    """The double opt-in and the bulletins are mail templates an officer can
    edit and translate; each person gets them in their own language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpConsent()
        for code in ("fi_FI", "sv_SE"):
            cls.env["res.lang"]._activate_lang(code)
        cls.confirm = cls.env.ref("willsoft_privacy.mail_template_consent_confirm")
        cls.bulletin = cls.env.ref(
            "willsoft_privacy.mail_template_bulletin_service_break"
        )

    def test_double_opt_in_mail_is_the_edited_template_in_the_person_language(self):
        self.confirm.with_context(lang="fi_FI").subject = "Vahvista tilauksesi"
        self.confirm.with_context(
            lang="en_US"
        ).body_html = self.confirm.body_html.replace(
            "Please confirm your consent:", "Confirm:"
        )
        self.person.lang = "fi_FI"
        before = self.consent_mails(self.person)
        self.Consent._request_email_consent(self.person, self.marketing, "public_form")
        mail = self.consent_mails(self.person) - before
        self.assertEqual(mail.subject, "Vahvista tilauksesi")
        self.assertIn("/privacy/consent/confirm?", mail.body_html)
        self.assertIn("valid for 72 hours", mail.body_html)
        self.assertEqual(mail.willsoft_privacy_processing_id, self.marketing)

        self.person.lang = "en_US"
        before = self.consent_mails(self.person)
        self.Consent._request_email_consent(
            self.person, self.marketing, "public_form", lang="en_US"
        )
        mail = self.consent_mails(self.person) - before
        self.assertEqual(mail.subject, "Confirm your subscription")
        self.assertIn("Confirm:", mail.body_html, "the officer's edit is what goes")

    def test_bulletin_wizard_starts_from_a_translated_template(self):
        self.bulletin.with_context(lang="fi_FI").subject = "Suunniteltu käyttökatko"
        wizards = self.env["willsoft.privacy.bulletin.wizard"].with_user(self.officer)
        form = Form(wizards)
        form.template_id = self.bulletin
        self.assertEqual(form.subject_en, "Planned service break")
        self.assertIn("planned maintenance", form.body_en)
        self.assertEqual(form.subject_fi, "Suunniteltu käyttökatko")
        # No Swedish translation: Swedish speakers get the English text.
        self.assertFalse(form.subject_sv)
        wizard = form.save()
        self.assertEqual(wizard._texts()["fi"]["subject"], "Suunniteltu käyttökatko")

    def test_only_bulletin_templates_offered(self):
        domain = (
            self.env["willsoft.privacy.bulletin.wizard"]._fields["template_id"].domain
        )
        offered = self.env["mail.template"].search(domain)
        self.assertIn(self.bulletin, offered)
        self.assertNotIn(self.confirm, offered)
