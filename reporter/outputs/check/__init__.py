"""The outputs of `reporter check`: each department's feedback copy and the office's status table."""
