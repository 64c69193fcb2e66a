"""Text made safe for the place that reads it: escaping and visible control characters."""
