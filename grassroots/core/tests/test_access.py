from grassroots.core.querysets import Action
from grassroots.core.text import fold, vi_sort_key
from grassroots.organizations.models import Unit


def test_fold_strips_vietnamese_diacritics_and_d_bar():
    assert fold("Mường Hum") == "muong hum"
    assert fold("  Đồng   Thái ") == "dong thai"
    assert fold("NGUYỄN Văn Ánh") == "nguyen van anh"


def test_vietnamese_sort_puts_d_bar_after_d_and_tones_after_base():
    names = ["Đông", "Dung", "An", "Ân", "Ăn", "Bình"]
    assert sorted(names, key=vi_sort_key) == ["An", "Ăn", "Ân", "Bình", "Dung", "Đông"]


def test_a_role_reaches_the_whole_subtree_and_nothing_outside(tree, viewer_a):
    visible = set(Unit.objects.visible_to(viewer_a).values_list("code", flat=True))
    assert visible == {"XA", "XA-1", "XA-2"}


def test_a_viewer_may_not_change_and_a_manager_may(tree, viewer_a, manager_a):
    assert not Unit.objects.visible_to(viewer_a, Action.CHANGE).exists()
    assert set(
        Unit.objects.visible_to(manager_a, Action.CHANGE).values_list("code", flat=True)
    ) == {"XA", "XA-1", "XA-2"}


def test_anonymous_sees_nothing_and_the_administrator_everything(tree, admin_user):
    from django.contrib.auth.models import AnonymousUser

    assert not Unit.objects.visible_to(AnonymousUser()).exists()
    assert Unit.objects.visible_to(admin_user).count() == 7


def test_a_rule_override_takes_effect_at_once_and_its_removal_too(db):
    from grassroots.core.models import RuleSetting
    from grassroots.core.rules import rule

    assert rule("probation_months") == 12
    setting = RuleSetting.objects.create(key="probation_months", value=18, reason="test")
    assert rule("probation_months") == 18
    setting.delete()
    assert rule("probation_months") == 12


def test_the_access_object_answers_may_for_the_subtree_of_each_role(tree, viewer_a, manager_a):
    from grassroots.core.access import Access

    viewer, manager = Access.of(viewer_a), Access.of(manager_a)
    assert viewer.may(Action.VIEW, tree.cell_a1) and not viewer.may(Action.CHANGE, tree.cell_a1)
    assert manager.may(Action.MANAGE, tree.cell_a1)
    assert not manager.may(Action.VIEW, tree.commune_b)
    assert not manager.may(Action.VIEW, tree.province)
    assert manager.has_any_change_role and not viewer.has_any_change_role


def test_require_is_404_outside_the_subtrees_and_403_for_a_read_only_role(tree, viewer_a):
    import pytest
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from grassroots.core.access import Access

    access = Access.of(viewer_a)
    access.require(Action.VIEW, tree.commune_a)
    with pytest.raises(PermissionDenied):
        access.require(Action.CHANGE, tree.commune_a)
    with pytest.raises(Http404):
        access.require(Action.CHANGE, tree.commune_b)


def test_breadcrumbs_name_only_the_units_the_user_may_see(tree, manager_a, admin_user):
    from grassroots.core.access import Access

    crumbs = Access.of(manager_a).crumbs(tree.cell_a1, include_self=True)
    assert [u.code for u in crumbs] == ["XA", "XA-1"]
    everything = Access.of(admin_user).crumbs(tree.cell_a1)
    assert [u.code for u in everything] == ["TW", "T01", "XA"]


def test_the_roles_are_read_once_per_action_however_often_asked(
    tree, manager_a, django_assert_num_queries
):
    from grassroots.core.access import Access

    access = Access.of(manager_a)
    with django_assert_num_queries(1):
        for _ in range(20):
            access.may(Action.CHANGE, tree.cell_a1)
            access.may(Action.CHANGE, tree.commune_b)
