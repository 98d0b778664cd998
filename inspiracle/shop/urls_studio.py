from django.urls import path, re_path

from inspiracle.shop.views import art, studio

app_name = "shop_studio"
urlpatterns = [
    path("", studio.products, name="products"),
    path("new/", studio.product_new, name="new"),
    path("products/<str:reference>/", studio.product_detail, name="product"),
    path("products/<str:reference>/withdraw/", studio.withdraw, name="withdraw"),
    path("sales/", studio.sales, name="sales"),
    path("revenue/", studio.revenue_page, name="revenue"),
    path("revenue.csv", studio.revenue_csv, name="revenue_csv"),
    path("payouts/", studio.payout, name="payout"),
    re_path(r"^art/(?P<slug>[-\w]+)/(?P<colour>[0-9a-f]{6})\.webp$", art.template_picture, name="art"),
]
