from django.urls import path

from inspiracle.licensing.views import requests as views

app_name = "licensing"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("new/", views.request_new, name="new"),
    path("requests/<str:reference>/", views.request_detail, name="request"),
    path("requests/<str:reference>/counter/", views.counter, name="counter"),
    path("requests/<str:reference>/accept/", views.accept, name="accept"),
    path("requests/<str:reference>/decline/", views.decline, name="decline"),
    path("requests/<str:reference>/withdraw/", views.withdraw, name="withdraw"),
]
