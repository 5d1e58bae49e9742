from . import crm_lead
from . import willsoft_privacy_data_map
from . import res_partner
from . import willsoft_privacy_retention
