from . import willsoft_privacy_end_relationship
from . import willsoft_privacy_retention_preview
from . import willsoft_privacy_retention_preview_line
from . import willsoft_privacy_request_extend
from . import willsoft_privacy_consent_wizard
from . import willsoft_privacy_bulletin_wizard
