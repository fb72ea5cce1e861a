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
urlpatterns = router.urls
