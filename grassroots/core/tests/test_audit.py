import pytest
from django.core.exceptions import ValidationError

from grassroots.core.audit import acting_as
from grassroots.core.models import AuditEntry


def test_a_unit_change_is_audited_with_actor_before_and_after(tree, manager_a):
    unit = type(tree.cell_a1).objects.get(pk=tree.cell_a1.pk)
    with acting_as(manager_a):
        unit.address = "Thôn Mường Hum"
        unit.save()
    entry = AuditEntry.objects.for_object(unit).filter(action="update").get()
    assert entry.actor == manager_a
    assert entry.before["address"] == ""
    assert entry.after["address"] == "Thôn Mường Hum"
    assert entry.unit_path == unit.path


def test_the_audit_log_cannot_be_edited_or_deleted(tree):
    entry = AuditEntry.objects.first()
    entry.note = "tampered"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
