"""The whole demo, loaded once for every test module of this package.

Loading it takes minutes on PostgreSQL, so the modules share one load: it runs inside a
transaction that is rolled back when the package is done, and each test runs in a savepoint
inside it (the `db` fixture), so a test may write, or load the demo again, without touching
the others. The load is kept to this package so that the demo's other tests (which build
their own small trees) never run on top of it.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from . import TODAY


@pytest.fixture(scope="package")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            out = StringIO()
            call_command("load_demo", "--today", TODAY.isoformat(), stdout=out)
            # The foreign keys a commit would check, checked once here: on PostgreSQL the
            # checks left pending by the load would otherwise run again at every test's end
            # (each test checks the constraints and then rolls its savepoint back, undoing the
            # checks with it), which costs seconds a test.
            connection.check_constraints()
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    """The command's output, for a test running in a savepoint over the shared load."""
    return demo_output
