"""Settings modules: base (production, from the environment), dev (the demo), test."""
