from . import notice
from . import consent
