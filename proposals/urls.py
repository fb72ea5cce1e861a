"""Bills and suggestions pages (deputy, congress staff, units, leaders, public),
all in ``proposals.views``."""

from . import views

app_name = "proposals"
urlpatterns = list(views.urlpatterns)
