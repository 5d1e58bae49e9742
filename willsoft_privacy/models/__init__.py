from . import res_company
from . import res_config_settings
from . import res_partner
from . import account_move
from . import willsoft_privacy_request
from . import willsoft_privacy_request_verification
