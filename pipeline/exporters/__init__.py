"""One module per output format, all behind the interface in base.py."""
