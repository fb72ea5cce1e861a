"""HTML pages of the core: public home, staff shell and the login pages.

Namespaces: ``public`` (the citizens' site) and ``staff`` (the workspace).
The auth views keep Django's un-namespaced names (``login``, ``logout``,
``password_change``, ``password_change_done``) that settings refer to.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import notification_views, report_views, views
from .forms import LoginForm, PortalPasswordChangeForm

public_patterns = (
    [
        path("", views.HomeView.as_view(), name="home"),
    ],
    "public",
)

staff_patterns = (
    [
        path("", views.DashboardView.as_view(), name="dashboard"),
        path(
            "notifications/",
            views.NotificationListView.as_view(),
            name="notifications",
        ),
        path(
            "notifications/mark-read/",
            views.NotificationMarkReadView.as_view(),
            name="notifications_mark_read",
        ),
        path(
            "notifications/sent/", notification_views.sent_log, name="notification_log"
        ),
    ],
    "staff",
)

urlpatterns = [
    path("", include(public_patterns)),
    path("staff/", include(staff_patterns)),
    path("staff/reports/", include((report_views.urlpatterns, "reports"))),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/api-token/", views.ApiTokenView.as_view(), name="api_token"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
