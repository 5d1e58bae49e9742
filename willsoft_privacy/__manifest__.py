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
        "security/willsoft_privacy_request_security.xml",
        "data/ir_cron.xml",
        "data/willsoft_privacy_request_data.xml",
        "data/mail_template_data.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/willsoft_privacy_request_extend_views.xml",
        "views/willsoft_privacy_request_views.xml",
        "views/menus.xml",
        "wizards/willsoft_privacy_end_relationship_views.xml",
        "views/willsoft_privacy_audit_log_views.xml",
        "views/willsoft_privacy_retention_views.xml",
        "templates/portal_templates.xml",
        "templates/public_templates.xml",
        "report/willsoft_privacy_request_reports.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "willsoft_privacy/static/src/js/privacy_request_form.js",
        ],
        "web.assets_tests": [
            "willsoft_privacy/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/res_users_demo.xml",
    ],
}
