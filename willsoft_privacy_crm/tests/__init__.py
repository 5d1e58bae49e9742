from . import test_crm_handler
