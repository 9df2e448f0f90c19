"""sagsfremstilling: council-ready case papers from plain-text case files."""

__version__ = "0.1.0"
