from . import test_access
from . import test_constraints
from . import test_retention_dates
from . import test_ui
from . import test_views
from . import test_willsoft_privacy_request
from . import test_willsoft_privacy_request_mail
