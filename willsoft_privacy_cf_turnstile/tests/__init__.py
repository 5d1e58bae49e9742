from . import test_both_captchas, test_recaptcha, test_turnstile
