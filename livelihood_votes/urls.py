"""Livelihood-project pages (all in ``livelihood_votes.views``)."""

from . import views

app_name = "livelihood"
urlpatterns = list(views.urlpatterns)
