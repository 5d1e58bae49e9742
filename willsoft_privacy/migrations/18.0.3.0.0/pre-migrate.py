# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def migrate(cr, version):
    """18.0.3.0.0 computes the last contact from real events. The date staff
    set (or the creation day it defaulted to) becomes the date entered by
    hand; made here, before the update would fill the new column with
    today's date."""
    cr.execute(
        """
        ALTER TABLE res_partner
            ADD COLUMN IF NOT EXISTS privacy_contact_date_manual date;
        UPDATE res_partner
           SET privacy_contact_date_manual = privacy_last_contact_date
         WHERE privacy_contact_date_manual IS NULL;
        """
    )
