from . import willsoft_privacy_end_relationship
