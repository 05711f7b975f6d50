"""Drop: a PSD2 pass-through payments backend."""

__version__ = "0.1.0"
