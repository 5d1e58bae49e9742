from . import test_mailing_consent
from . import test_mailing_handler
from . import test_mailing_former_address
from . import test_mailing_identity
from . import test_mailing_export_labels
from . import test_mailing_unsubscribe_ledger
