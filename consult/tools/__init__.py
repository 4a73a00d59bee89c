"""Checks on the code itself (run as modules: `python -m consult.tools.check_layers`)."""
