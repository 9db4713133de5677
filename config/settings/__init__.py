"""Settings modules: base (shared, from the environment), dev (a developer's machine and the
demo), test (the suite), prod (production)."""
