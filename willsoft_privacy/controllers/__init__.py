from . import main
from . import portal
from . import notice
from . import consent
