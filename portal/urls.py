from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("portal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema"),
        name="api-docs",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("deputies/", include("deputies.urls")),
    path("stations/", include("stations.urls")),
    path("proposals/", include("proposals.urls")),
    path("livelihood/", include("livelihood_votes.urls")),
    path("", include("portal.web_urls")),
]
if settings.BENCH:
    from . import bench

    urlpatterns.insert(0, path("bench/floor/", bench.floor, name="bench-floor"))
# Uploads are never served from MEDIA_URL, not even in DEBUG (issue 15: /media/
# gave every upload to anonymous users in `make run`): each kind has its
# permission-checked view (evidence, reply files, opinion and progress photos,
# deputies' photos, reports, roster imports and exports).
