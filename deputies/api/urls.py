from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("deputies", views.MandateViewSet, basename="deputy")
router.register("deputy-groups", views.DeputyGroupViewSet, basename="deputy-group")
router.register("activities", views.ActivityViewSet, basename="activity")
urlpatterns = router.urls
