"""HTML views of the web shell: the public home, the staff dashboard and the
notification list. Thin, as STYLE.md asks: read through ``visible_to``, call
one service, redirect with a message.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView, TemplateView

from . import registry, services
from .forms import NotificationMarkReadForm
from .models import Notification, Role, ScopeType
from .policies import scope_for


def _safe_url(request: HttpRequest, url: str) -> str:
    """``url`` when it points into this site, else an empty string."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _choice_label(choices, value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    return None


class HomeView(TemplateView):
    """The public home: what a deputy does, and how to find your station."""

    template_name = "public/home.html"


class DashboardView(LoginRequiredMixin, TemplateView):
    """The staff workspace: my to-do, the cards apps register, my roles.

    A card's template is rendered here with the context its ``render(user)``
    returned (plus ``card``), so card templates see their own variables at the
    top level, as ``portal.registry.DashboardCard`` promises.
    """

    template_name = "staff/dashboard.html"
    todo_limit = 20

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        todos = registry.dashboard_todos(user)
        todo_rows = []
        for item in todos[: self.todo_limit]:
            due = _as_date(item.due_date)
            todo_rows.append(
                {"item": item, "due": due, "overdue": due is not None and due < today}
            )
        cards = [
            {
                "card": card,
                "html": render_to_string(
                    card.template, {**card_context, "card": card}, request=self.request
                ),
            }
            for card, card_context in registry.cards_for(user)
        ]
        grants = [
            {
                **grant,
                "role_label": _choice_label(Role, grant["role"]),
                "scope_type_label": _choice_label(ScopeType, grant["scope_type"]),
            }
            for grant in scope_for(user).grants
        ]
        context.update(
            todo_rows=todo_rows,
            todo_total=len(todos),
            todo_limit=self.todo_limit,
            todo_cache_minutes=max(1, settings.PORTAL_TODO_CACHE_SECONDS // 60)
            if settings.PORTAL_TODO_CACHE_SECONDS
            else 0,
            cards=cards,
            grants=grants,
            today=today,
        )
        return context


class NotificationListView(LoginRequiredMixin, ListView):
    """The user's in-app notifications, newest first, paginated."""

    template_name = "staff/notifications.html"
    context_object_name = "notifications"
    paginate_by = 20

    def get_queryset(self):
        return (
            Notification.objects.visible_to(self.request.user)
            .in_app()
            .only(
                "id",
                "title",
                "body",
                "title_msgid",
                "body_msgid",
                "params",
                "url",
                "created_at",
                "read_at",
            )
            .order_by("-created_at", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        notifications = list(page.object_list)
        for notification in notifications:
            notification.safe_url = _safe_url(self.request, notification.url)
        # One count for both the bell and the "mark all read" button (the
        # context processor's callable would query once per use).
        unread = Notification.objects.visible_to(self.request.user).unread().in_app()
        context.update(
            notifications=notifications,
            page_range=page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            unread_count=unread.count(),
        )
        return context


class NotificationMarkReadView(LoginRequiredMixin, View):
    """POST: mark the posted notification ids read, or all unread when none."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NotificationMarkReadForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请求无效，请刷新页面后重试。"))
            return redirect("staff:notifications")
        count = services.notification_mark_read(
            actor=request.user, notification_ids=form.cleaned_data["ids"] or None
        )
        if count:
            messages.success(
                request,
                ngettext(
                    "已将 %(count)d 条通知标为已读。",
                    "已将 %(count)d 条通知标为已读。",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("没有需要标为已读的通知。"))
        return redirect(
            _safe_url(request, form.cleaned_data["next"]) or "staff:notifications"
        )


class ApiTokenView(LoginRequiredMixin, View):
    """我的接口令牌: whether the user has an API token, when it was issued and
    when it expires; revoking it (issue 15). Admins list and revoke anyone's
    in the admin."""

    template_name = "registration/api_token.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        from django.shortcuts import render
        from rest_framework.authtoken.models import Token

        from .tokens import expires_at

        token = Token.objects.filter(user=request.user).first()
        return render(
            request,
            self.template_name,
            {
                "token": token,
                "expires_at": expires_at(token) if token else None,
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        if services.api_tokens_revoke(
            user=request.user, actor=request.user, reason="user"
        ):
            messages.success(request, _("接口令牌已撤销。"))
        return redirect("api_token")
