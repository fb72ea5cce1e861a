"""Models of the deputies app (built by its own issue)."""
