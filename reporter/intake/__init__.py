"""The intake stage: which files are submissions, whether each is safe to parse, and reading it
into raw cells (the only code that opens submissions)."""
