from . import willsoft_privacy_consent
from . import willsoft_privacy_data_map
