"""Whose cart a request holds, and the cart as the pages show it.

A visitor's cart is keyed by a random token kept in their session (``request.session["shop_cart"]``), made on
the first "add to cart". It is not the session key itself: that changes at sign-in (Django cycles it against
session fixation), while the session's data, and so the token, is carried over. Once the person is signed in,
opening the cart or the checkout moves the token's lines into the account's cart and forgets the token.
"""

import re
import secrets
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest

from inspiracle.accounts.models import User
from inspiracle.shop.models import CartLine, Mockup
from inspiracle.shop.selectors import buyable_problem, cart_lines
from inspiracle.shop.services.cart import cart_adopt

SESSION_KEY = "shop_cart"
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def cart_token(request: HttpRequest, *, create: bool = False) -> str:
    """The visitor's cart token ("" when there is none and ``create`` is false)."""
    token = request.session.get(SESSION_KEY)
    if isinstance(token, str) and _SHAPE.match(token):
        return token
    if not create:
        return ""
    token = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = token
    return token


def cart_owner(request: HttpRequest, *, create: bool = False) -> tuple[User | None, str]:
    """``(user, session_key)`` as the cart services take them: the account once signed in, else the token."""
    if request.user.is_authenticated:
        assert isinstance(request.user, User)
        return request.user, ""
    return None, cart_token(request, create=create)


def cart_adopt_visitor_lines(request: HttpRequest) -> None:
    """Signed in with a visitor's cart token: its lines join the account's cart and the token is dropped."""
    token = cart_token(request)
    if not token or not request.user.is_authenticated:
        return
    assert isinstance(request.user, User)
    cart_adopt(user=request.user, session_key=token)
    del request.session[SESSION_KEY]


@dataclass(frozen=True)
class CartRow:
    line: CartLine
    subtotal_fen: int
    mockup: Mockup | None  # the variant's colour, if rendered
    problem: str | None  # why it cannot be bought now


@dataclass(frozen=True)
class Cart:
    rows: list[CartRow]
    total_fen: int
    buyable: bool


def cart_for(request: HttpRequest) -> Cart:
    user, token = cart_owner(request)
    lines = cart_lines(user=user, session_key=token)
    ready = Mockup.objects.filter(status=Mockup.Status.READY).order_by("pk")
    prefetch_related_objects(lines, Prefetch("product__mockups", queryset=ready))
    rows = []
    for line in lines:
        colours = [m for m in line.product.mockups.all() if m.colour == line.variant.colour]
        subtotal = line.product.price_fen * line.quantity
        # A line per variant: few enough that asking for each whether it is still for sale costs little.
        problem = buyable_problem(line.product, line.variant)
        rows.append(CartRow(line, subtotal, colours[0] if colours else None, problem))
    total = sum(row.subtotal_fen for row in rows)
    return Cart(rows=rows, total_fen=total, buyable=bool(rows) and not any(row.problem for row in rows))
