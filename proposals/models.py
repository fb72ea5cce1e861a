"""Models of the proposals app (built by its own issue)."""
