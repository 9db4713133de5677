#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # A developer's machine by default (DEBUG, the local SQLite); production sets
    # DJANGO_SETTINGS_MODULE=config.settings.prod, as wsgi.py and asgi.py assume.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
