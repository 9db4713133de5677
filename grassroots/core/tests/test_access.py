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
