"""Allow ``python -m debiteuren``."""

from .launch import run

run()
