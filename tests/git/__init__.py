"""Tests of scaffold.git."""
