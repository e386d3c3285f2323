"""What the check and build stages write: check/ (feedback copies, status table) and build/
(aggregates, context, charts, Word, Excel summary, PDF)."""
