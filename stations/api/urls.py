from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("stations", views.StationViewSet, basename="station")
router.register("opinions", views.OpinionViewSet, basename="opinion")
urlpatterns = [
    path(
        "public/opinions/",
        views.PublicOpinionCreateView.as_view(),
        name="public-opinion-create",
    ),
    path(
        "public/opinions/<str:tracking_code>/",
        views.PublicOpinionTrackView.as_view(),
        name="public-opinion-track",
    ),
    *router.urls,
]
