"""For template authors: inspection and lint of a template."""
