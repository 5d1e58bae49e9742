from . import test_crm_handler
from . import test_crm_export_labels
