from django.urls import path

from inspiracle.licensing.views import staff as views

app_name = "licensing_staff"
urlpatterns = [
    path("", views.deals, name="deals"),
    path("deals/<str:reference>/", views.deal_detail, name="deal"),
    path("register/", views.register, name="register"),
    path("disclosures/", views.disclosures, name="disclosures"),
]
