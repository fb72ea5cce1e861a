"""Staff page: what was sent, to whom, when, on which channel, and failures."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import JobRun, Notification
from .policies import scope_for


@login_required
@require_GET
def sent_log(request):
    scope = scope_for(request.user)
    if not (scope.is_admin or scope.governed_paths):
        raise PermissionDenied
    rows = (
        Notification.objects.sent_log_visible_to(request.user)
        .select_related("recipient")
        .order_by("-created_at", "-id")
    )
    channel = request.GET.get("channel", "")
    status = request.GET.get("status", "")
    if channel in Notification.Channel.values:
        rows = rows.filter(channel=channel)
    if status in Notification.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    runs = (
        JobRun.objects.order_by("-started_at")[:20]
        if scope.is_admin or scope.managed_paths
        else []
    )
    return render(
        request,
        "staff/notification_log.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "channel": channel,
            "status": status,
            "runs": runs,
            "channels": Notification.Channel.choices,
            "statuses": Notification.Status.choices,
        },
    )
