from . import willsoft_privacy_data_map
from . import willsoft_privacy_request
from . import res_partner
