from django.conf import settings


def site(request):
    return {
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "SITE_URL": settings.SITE_URL,
        "REPORT_DEADLINE_DAYS": settings.REPORT_DEADLINE_WORKING_DAYS,
    }
