from . import test_website_handler
from . import test_retention_clock_website
from . import test_website_export_labels
