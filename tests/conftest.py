"""Settings for every test.

Hypothesis checks each example against a deadline of wall-clock time by default; a test must not
depend on how busy the machine is, so the property tests run without one (they still stop after
their ``max_examples``).
"""

from hypothesis import settings

settings.register_profile("debiteuren", deadline=None)
settings.load_profile("debiteuren")
