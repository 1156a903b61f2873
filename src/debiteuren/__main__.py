"""Allow ``python -m debiteuren``."""

from .cli import main

main()
