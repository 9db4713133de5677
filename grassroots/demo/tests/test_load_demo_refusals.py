"""load_demo refuses what would damage data or could not be recorded."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from grassroots.members.models import Member
from grassroots.organizations.models import Unit

pytestmark = pytest.mark.django_db


def test_the_demo_is_not_loaded_into_a_database_holding_other_units(tree):
    before = Unit.objects.count()
    with pytest.raises(CommandError, match="not the demo"):
        call_command("load_demo", stdout=StringIO())
    assert Unit.objects.count() == before
    assert not Member.objects.exists()


def test_reset_refuses_a_database_holding_other_units(tree):
    with pytest.raises(CommandError, match="Refusing to reset"):
        call_command("load_demo", "--reset", stdout=StringIO())
    assert Unit.objects.filter(code=tree.commune_a.code).exists()


def test_a_day_in_the_future_is_refused(db):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(CommandError, match="future"):
        call_command("load_demo", "--today", tomorrow.isoformat(), stdout=StringIO())
    assert not Unit.objects.exists()


def test_a_day_before_the_2025_reorganization_is_refused(db):
    with pytest.raises(CommandError, match="after the 2025 reorganization"):
        call_command("load_demo", "--today", "2025-06-01", stdout=StringIO())
    assert not Unit.objects.exists()
