from django.urls import path

from inspiracle.shop.views import buyer, public

app_name = "shop"
urlpatterns = [
    path("", public.shop_list, name="list"),
    path("p/<str:reference>/", public.product_detail, name="product"),
    path("p/<str:reference>/mockups/<int:mockup_id>.webp", public.product_mockup, name="mockup"),
    path("cart/", public.cart, name="cart"),
    path("p/<str:reference>/add/", public.cart_add, name="cart-add"),
    path("cart/<int:line_id>/", public.cart_update, name="cart-update"),
    path("checkout/", buyer.checkout, name="checkout"),
    path("orders/", buyer.order_list, name="orders"),
    path("orders/<str:reference>/", buyer.order_detail, name="order"),
    path("orders/<str:reference>/pay/", buyer.order_pay, name="order-pay"),
    path("orders/<str:reference>/cancel/", buyer.order_cancel, name="order-cancel"),
]
