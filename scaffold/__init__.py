"""scaffold: uniform, MLOps-ready projects that stay uniform.

Only the version lives here so that `scaffold --version` imports nothing heavy.
"""

__version__ = "0.1.0"
