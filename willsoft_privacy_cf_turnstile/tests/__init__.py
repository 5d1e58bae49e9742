from . import test_turnstile
