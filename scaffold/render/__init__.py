"""Rendering: template sources and versions, checkout, engines, staging, containment."""
