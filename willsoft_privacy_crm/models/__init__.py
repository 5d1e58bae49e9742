from . import crm_lead
from . import willsoft_privacy_data_map
from . import willsoft_privacy_retention
