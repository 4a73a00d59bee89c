"""consult: policy consultation and devolution deliberation toolkit."""

__version__ = "0.1.0"
