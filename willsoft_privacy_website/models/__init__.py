from . import willsoft_privacy_data_map
from . import res_partner
