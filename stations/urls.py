"""Stations pages: public finder and opinion forms, station workspace, unit inbox
(all in ``stations.views``)."""

from . import views

app_name = "stations"
urlpatterns = list(views.urlpatterns)
