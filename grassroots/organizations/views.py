from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Unit


@login_required
def tree(request):
    roots = Unit.objects.visible_to(request.user).open().order_by("depth", "name")[:50]
    return render(request, "organizations/tree.html", {"roots": roots})
