"""Gates: built folders -> the identifier scan (identifiers.py: what the input holds; scanner.py: the scan, also
`python -m umkm.gates scan`) and frictionless validation (validation.py). A failed gate raises GateError: nothing
is published."""


class GateError(Exception):
    """A gate failed: the build publishes nothing (exit 3)."""
