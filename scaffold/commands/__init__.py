"""One module per CLI command; each exposes a typed function callable from Python."""
