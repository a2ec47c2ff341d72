"""Wrappers around the git command and readers of git objects (index, pristine blobs)."""
