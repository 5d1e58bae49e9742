from . import res_company
from . import res_config_settings
from . import res_partner
from . import account_move
from . import willsoft_privacy_audit_log
from . import willsoft_privacy_data_map
from . import willsoft_privacy_suppression
from . import willsoft_privacy_retention
