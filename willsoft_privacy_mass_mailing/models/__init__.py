from . import mailing_list
from . import mailing_mailing
from . import willsoft_privacy_consent
from . import willsoft_privacy_data_map
from . import willsoft_privacy_retention
