from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register(
    "livelihood/programs", views.ProgrammeViewSet, basename="livelihood-program"
)
router.register("livelihood/rounds", views.RoundViewSet, basename="livelihood-round")
urlpatterns = [
    path(
        "public/livelihood-ideas/",
        views.PublicIdeaCreateView.as_view(),
        name="public-livelihood-idea",
    ),
    path(
        "public/livelihood-results/<int:pk>/",
        views.PublicResultsView.as_view(),
        name="public-livelihood-results",
    ),
    *router.urls,
]
