from rest_framework.routers import SimpleRouter

from . import organs, session_views, views

router = SimpleRouter()
router.register("deputies", views.MandateViewSet, basename="deputy")
router.register("deputy-groups", views.DeputyGroupViewSet, basename="deputy-group")
router.register("activities", views.ActivityViewSet, basename="activity")
# issue 16: organs
router.register("organ-plans", organs.OrganPlanViewSet, basename="organ-plan")
router.register("organ-contacts", organs.OrganContactViewSet, basename="organ-contact")
router.register(
    "standing-meetings", organs.StandingMeetingViewSet, basename="standing-meeting"
)
router.register(
    "meeting-invitations", organs.InvitationViewSet, basename="meeting-invitation"
)
# end issue 16: organs
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
