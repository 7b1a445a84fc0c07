"""CSS, icons and the little JavaScript there is, installed as ``portal.static``."""
