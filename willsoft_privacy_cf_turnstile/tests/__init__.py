from . import test_recaptcha, test_turnstile
