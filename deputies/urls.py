"""Deputies' pages: staff workspace, the deputy's own pages, the public directory
(``deputies.views``) and the roster import/export (``deputies.roster_views``)."""

from django.urls import path  # noqa: F401 - used by the included lists

from . import roster_views, views

app_name = "deputies"
urlpatterns = [*views.urlpatterns, *roster_views.urlpatterns]
