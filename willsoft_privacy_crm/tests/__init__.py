from . import test_crm_handler
from . import test_retention_clock_crm
from . import test_crm_own_clock
from . import test_crm_identity
from . import test_crm_export_labels
from . import test_crm_meetings
from . import test_all_cases
