"""Station: a terminal release station for print servers (vendor REST API v3 for jobs)."""

__version__ = "0.1.0"
