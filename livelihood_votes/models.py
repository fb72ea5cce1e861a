"""Models of the livelihood_votes app (built by its own issue)."""
