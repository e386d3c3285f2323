"""The history of the plan period: one SQLite database per working folder (see store.py)."""
