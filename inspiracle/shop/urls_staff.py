from django.urls import path

from inspiracle.shop.views import staff as views

app_name = "shop_staff"
urlpatterns = [
    path("review/", views.review, name="review"),
    path("review/<str:reference>/", views.review_product, name="review_product"),
    path("review/<str:reference>/claim/", views.review_claim, name="review_claim"),
    path("review/<str:reference>/approve/", views.review_approve, name="review_approve"),
    path("review/<str:reference>/reject/", views.review_reject, name="review_reject"),
    path("orders/", views.orders, name="orders"),
    path("orders/<str:reference>/", views.order, name="order"),
    path("orders/<str:reference>/advance/", views.order_advance, name="order_advance"),
    path("orders/<str:reference>/refund/", views.order_refund, name="order_refund"),
    path("orders/<str:reference>/address/", views.order_address, name="order_address"),
    path("orders/<str:reference>/print/<int:line_id>.png", views.print_file, name="print_file"),
    path("payouts/", views.payouts, name="payouts"),
    path("payouts/<int:payout_id>/settle/", views.payout_settle, name="payout_settle"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/variants/<int:variant_id>/", views.variant_cost, name="variant_cost"),
    path("catalogue/variants/<int:variant_id>/active/", views.variant_active, name="variant_active"),
    path("catalogue/areas/<int:area_id>/", views.print_area, name="print_area"),
    path("catalogue/<slug:slug>/", views.catalogue_type, name="catalogue_type"),
    path("catalogue/<slug:slug>/variants/", views.variant_add, name="variant_add"),
]
