from django.urls import path

from inspiracle.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.index, name="index"),
    path("accept/", views.accept, name="accept"),
    path("<slug:slug>/", views.document, name="document"),
    path("<slug:slug>/v<int:number>/", views.version, name="version"),
    path("<slug:slug>/diff/", views.diff, name="diff"),
]
