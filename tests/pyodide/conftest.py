"""in_pyodide.py runs inside Pyodide (tests/test_pyodide.py), not under pytest."""

collect_ignore = ["in_pyodide.py"]
