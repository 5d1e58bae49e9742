from . import willsoft_privacy_data_map
