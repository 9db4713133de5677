import pytest

from grassroots.conftest import assert_accessible, browser_login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_logs_in_on_a_phone_and_the_login_page_is_accessible(page, manager_a):
    page.goto(page.base + "/accounts/login/")
    assert_accessible(page)
    shot(page, "login")
    browser_login(page, "manager_a")
    assert "/accounts/login/" not in page.url
