import pytest
from django.urls import reverse


@pytest.mark.parametrize("model", ["term", "committee", "committeeseat"])
def test_admin_lists_open_for_the_administrator(tree, admin_user, as_persona, model):
    assert (
        as_persona("admin").get(reverse(f"admin:committees_{model}_changelist")).status_code == 200
    )
