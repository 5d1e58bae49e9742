from . import test_website_newsletter
