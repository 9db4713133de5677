import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_rate_counts():
    """The public pages count per address in the cache, which a test's rollback does not
    undo."""
    cache.clear()
    yield
    cache.clear()
