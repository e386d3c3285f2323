"""The forms stage: one pre-filled department workbook per department from the office's template."""
