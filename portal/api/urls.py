"""API v1 routes. Domain apps add their routers here as they land."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("congresses", views.CongressViewSet, basename="congress")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("handling-units", views.HandlingUnitViewSet, basename="handling-unit")
router.register("notifications", views.NotificationViewSet, basename="notification")

app_name = "api"
urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("", include(router.urls)),
    # Domain apps' API routes (project-level wiring).
    path("", include("deputies.api.urls")),
    path("", include("stations.api.urls")),
    path("", include("proposals.api.urls")),
    path("", include("livelihood_votes.api.urls")),
]
