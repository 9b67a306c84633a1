"""The web front door: the only part of the assistant exposed to the internet."""
