"""The indicator catalogue, read by everyone signed in."""

from __future__ import annotations

from typing import Any

from grassroots.core.views import ScopedListView

from ..filtersets import IndicatorFilterSet
from ..models import Indicator
from .common import targets_trail


class IndicatorListView(ScopedListView):
    model = Indicator
    filterset_class = IndicatorFilterSet
    template_name = "targets/indicator_list.html"
    paginate_by = 100
    context_object_name = "indicators"

    def get_queryset(self):
        return super().get_queryset().order_by("group", "code")

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        return super().get_context_data(
            filter=kwargs["filterset"], trail=targets_trail(self.request.user, None), **kwargs
        )
