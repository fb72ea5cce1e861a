from django.urls import path
from rest_framework.routers import SimpleRouter

from . import network, views

router = SimpleRouter()
router.register("stations", views.StationViewSet, basename="station")
router.register("opinions", views.OpinionViewSet, basename="opinion")
# issue 17: incentives — activity funds and legislative consultation. Begin.
from . import incentives  # noqa: E402

router.register("fund-budgets", incentives.FundBudgetViewSet, basename="fund-budget")
router.register(
    "legislative-drafts",
    incentives.LegislativeDraftViewSet,
    basename="legislative-draft",
)
router.register(
    "public/legislative-drafts",
    incentives.PublicLegislativeDraftViewSet,
    basename="public-legislative-draft",
)
# issue 17: incentives. End.
# issue 17: networks
router.register(
    "station-assessments", network.AssessmentViewSet, basename="station-assessment"
)
router.register("social-reports", network.SocialReportViewSet, basename="social-report")
router.register(
    "mediation-cases", network.MediationCaseViewSet, basename="mediation-case"
)
# issue 17: networks (end)
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
    # issue 17: networks
    path("duty-targets/", network.DutyTargetListView.as_view(), name="duty-targets"),
    *router.urls,
]
