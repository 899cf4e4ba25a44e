"""yamldeck: compile a YAML outline into a designed 16:9 PowerPoint deck."""

__version__ = "0.1.0"
