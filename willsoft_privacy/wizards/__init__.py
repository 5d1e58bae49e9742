from . import willsoft_privacy_end_relationship
from . import willsoft_privacy_request_extend
