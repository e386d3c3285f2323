"""reporter: the yearly progress review of a community welfare plan (地域福祉計画の進行管理)."""

__version__ = "0.1.0"
