from . import mailing_list
from . import mailing_subscription
from . import willsoft_privacy_consent
from . import willsoft_privacy_data_map
