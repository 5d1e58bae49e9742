from . import test_mailing_consent
from . import test_mailing_handler
from . import test_mailing_export_labels
