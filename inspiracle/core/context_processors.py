from django.conf import settings


def site(request):
    return {"CONTACT_EMAIL": settings.CONTACT_EMAIL, "SITE_URL": settings.SITE_URL}
