# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Willsoft Privacy",
    "summary": "Keep the privacy notice's promises: consent, retention and "
    "data-subject requests for CRM and invoicing",
    "version": "18.0.1.0.0",
    "category": "Productivity/Privacy",
    "website": "https://www.willsoft.fi",
    "author": "Willsoft Oy",
    "license": "LGPL-3",
    "application": True,
    "depends": ["mail", "portal", "account"],
    "data": [
        "security/res_groups.xml",
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        "data/willsoft_privacy_processing_data.xml",
        "data/willsoft_privacy_notice_data.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/willsoft_privacy_processing_views.xml",
        "views/willsoft_privacy_notice_views.xml",
        "views/willsoft_privacy_consent_event_views.xml",
        "wizards/willsoft_privacy_bulletin_wizard_views.xml",
        "views/menus.xml",
        "wizards/willsoft_privacy_end_relationship_views.xml",
        "wizards/willsoft_privacy_consent_wizard_views.xml",
        "templates/willsoft_privacy_notice_templates.xml",
        "templates/willsoft_privacy_consent_templates.xml",
        "report/willsoft_privacy_processing_report.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "willsoft_privacy/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/res_users_demo.xml",
    ],
}
