"""What makers, buyers and creators are told about products, orders and payouts (inbox and e-mail)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from inspiracle.notifications.messages import Message

MESSAGES = {
    "shop_product_approved": Message(
        "shop.product_approved",
        _("Your product “%(title)s” is in the shop"),
        _("A moderator approved your product %(reference)s; buyers can find and order it now."),
    ),
    "shop_product_rejected": Message(
        "shop.product_rejected",
        _("Your product “%(title)s” was not approved"),
        _("A moderator did not approve your product %(reference)s."),
        _("The reason is shown on the product's page; you can make a new product that follows the rules."),
    ),
    "shop_order_paid": Message(
        "shop.order_paid",
        _("Order %(reference)s is paid"),
        _("Thank you: we received ¥%(total)s for order %(reference)s. We tell you when it ships."),
    ),
    "shop_order_sold": Message(
        "shop.order_sold",
        ngettext_lazy(
            "You sold %(count)s item in order %(reference)s",
            "You sold %(count)s items in order %(reference)s",
            "count",
        ),
        _("Your margin of ¥%(margin)s is pending until the order is delivered; then it is yours to pay out."),
    ),
    "shop_order_shipped": Message(
        "shop.order_shipped",
        _("Order %(reference)s has shipped"),
        _("Your parcel is on its way; its tracking number is %(tracking)s."),
    ),
    "shop_order_delivered": Message(
        "shop.order_delivered",
        _("Order %(reference)s was delivered"),
        _("Order %(reference)s was delivered. We hope you enjoy it."),
    ),
    "shop_order_refunded": Message(
        "shop.order_refunded",
        _("Order %(reference)s was refunded"),
        _("¥%(total)s for order %(reference)s goes back to the card or account you paid with."),
    ),
    "shop_payout_settled": Message(
        "shop.payout_settled",
        _("Your payout of ¥%(amount)s was paid"),
        _("The payout you asked for on %(requested)s was paid to you."),
    ),
}
