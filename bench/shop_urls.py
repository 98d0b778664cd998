from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as site


def bare(request):
    """The site's base template with nothing in it: what any page costs before its own work."""
    return render(request, "base.html", {})


urlpatterns = [path("bench/bare/", bare), *site]
