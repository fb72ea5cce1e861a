from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("suggestions", views.SuggestionViewSet, basename="suggestion")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register(
    "extension-requests", views.ExtensionRequestViewSet, basename="extension-request"
)
router.register(
    "return-requests", views.ReturnRequestViewSet, basename="return-request"
)
router.register(
    "public/suggestions", views.PublicSuggestionViewSet, basename="public-suggestion"
)
# issue 17: incentives — commendations (大激励). Begin.
from ..commendations import api as commendation_api  # noqa: E402

router.register(
    "commendations", commendation_api.CampaignViewSet, basename="commendation"
)
router.register(
    "public/commendations",
    commendation_api.PublicCampaignViewSet,
    basename="public-commendation",
)
# issue 17: incentives. End.
urlpatterns = router.urls
