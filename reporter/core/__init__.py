"""The pure core of the domain: the plan model, the form's fields, eras, normalisers, issues and
their catalogue, sheet records and the check report. No I/O: what it needs (even "today") comes
as arguments."""
