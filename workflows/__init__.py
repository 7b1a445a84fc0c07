"""Default workflow definitions (YAML), installed as the package ``portal.workflows``."""
