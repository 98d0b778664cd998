from django.conf import settings
from django.urls import include, path
from django.views.static import serve

from config.api import api
from inspiracle.accounts.views import language_switch, profile_public
from inspiracle.core.health import health_live, health_ready
from inspiracle.core.views import home
from inspiracle.licensing.views.deals import contact_disclosures
from inspiracle.works.views import gallery, portfolio

urlpatterns = [
    path("", home, name="home"),
    path("health/", health_ready, name="health"),
    path("health/live", health_live, name="health-live"),
    path("health/ready", health_ready, name="health-ready"),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("accounts/", include("inspiracle.accounts.urls")),
    path("accounts/", include("inspiracle.moderation.urls_user")),
    path("agreements/", include("inspiracle.agreements.urls")),
    path("staff/licensing/", include("inspiracle.licensing.urls_staff")),
    path("staff/disclosure/", include("inspiracle.disclosure.urls")),
    path("staff/", include("inspiracle.staff.urls")),
    path("works/", include("inspiracle.works.urls")),
    path("proofs/", include("inspiracle.proofs.urls")),
    path("inbox/", include("inspiracle.notifications.urls")),
    path("staff/review/", include("inspiracle.moderation.urls")),
    path("staff/", include("inspiracle.moderation.urls_staff")),
    path("staff/reports/", include("inspiracle.reports.urls_staff")),
    path("reports/", include("inspiracle.reports.urls")),
    # Deals before the rest of licensing (/licensing/, the requests): the more specific prefix first.
    path("licensing/deals/", include("inspiracle.licensing.urls_deals")),
    path("licensing/contacts/", contact_disclosures, name="licensing-contacts"),
    path("licensing/", include("inspiracle.licensing.urls")),
    path("reposts/", include("inspiracle.reposts.urls")),
    path("messages/", include("inspiracle.messaging.urls")),
    path("privacy/export/", include("inspiracle.exports.urls")),
    path("privacy/", include("inspiracle.privacy.urls")),
    path("shop/studio/", include("inspiracle.shop.urls_studio")),
    path("shop/", include("inspiracle.shop.urls")),
    path("staff/shop/", include("inspiracle.shop.urls_staff")),
    path("staff/messages/", include("inspiracle.messaging.urls_staff")),
    path("gallery/", gallery, name="gallery"),
    path("u/<str:username>/", profile_public, name="profile"),
    path("u/<str:username>/works/", portfolio, name="portfolio"),
    path("api/", api.urls),
    # Public media (avatars). Private files (certificates, works) live in another storage with no URL.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]

# JSON on /api/, the site's pages elsewhere (inspiracle.core.http).
handler400 = "inspiracle.core.http.bad_request"
handler403 = "inspiracle.core.http.permission_denied"
handler404 = "inspiracle.core.http.page_not_found"
handler500 = "inspiracle.core.http.server_error"
