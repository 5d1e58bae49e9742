from . import test_website_handler
