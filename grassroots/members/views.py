from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Member


@login_required
def member_list(request):
    members = Member.objects.visible_to(request.user).select_related("unit")[:50]
    return render(request, "members/member_list.html", {"members": members})
