#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # Production sets SECRET_KEY (and runs the production settings); a checkout without one is a
    # developer's machine, where manage.py runs the demo's settings (DEBUG, local SQLite).
    default = "config.settings.base" if os.environ.get("SECRET_KEY") else "config.settings.dev"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
