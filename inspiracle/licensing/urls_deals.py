from django.urls import path

from inspiracle.licensing.views import deals as views

app_name = "licensing_deals"
urlpatterns = [
    path("", views.deal_list, name="list"),
    path("<str:reference>/", views.deal_detail, name="detail"),
    path("<str:reference>/print/", views.deal_print, name="print"),
    path("<str:reference>/pdf/", views.deal_pdf_download, name="pdf"),
]
