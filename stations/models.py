"""Models of the stations app (built by its own issue)."""
