"""Updating: pristine history, merge base, 3-way merging, migrations."""
