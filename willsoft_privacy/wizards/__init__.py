from . import willsoft_privacy_end_relationship
from . import willsoft_privacy_consent_wizard
from . import willsoft_privacy_bulletin_wizard
