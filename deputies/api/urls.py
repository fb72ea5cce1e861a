from rest_framework.routers import SimpleRouter

from . import session_views, views

router = SimpleRouter()
router.register("deputies", views.MandateViewSet, basename="deputy")
router.register("deputy-groups", views.DeputyGroupViewSet, basename="deputy-group")
router.register("activities", views.ActivityViewSet, basename="activity")
# issue 16: sessions
router.register(
    "session-attendance",
    session_views.SessionAttendanceViewSet,
    basename="session-attendance",
)
router.register(
    "leave-requests", session_views.LeaveRequestViewSet, basename="leave-request"
)
router.register("speeches", session_views.SpeechViewSet, basename="speech")
router.register(
    "training-enrolments",
    session_views.EnrolmentViewSet,
    basename="training-enrolment",
)
urlpatterns = router.urls
