"""Writers: one module per output."""
