"""The page around the fixed Support PIN bar: on a phone and on a laptop, a field that gets
the focus is scrolled fully above the bar, and the footer can be scrolled into view."""

import pytest

from accounts.models import User
from tests.factories import activate_pin, make_customer, make_user
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy

pytestmark = pytest.mark.django_db(transaction=True)

# How far below the top of the PIN bar `selector` ends once focused, in pixels.
FOCUS_AND_MEASURE = """(selector) => {
  window.scrollTo(0, 0);
  const element = document.querySelector(selector);
  element.focus();
  const bar = document.querySelector("[data-pin-bar]").getBoundingClientRect();
  return element.getBoundingClientRect().bottom - bar.top;
}"""

FOOTER_BELOW_BAR = """() => {
  window.scrollTo(0, document.documentElement.scrollHeight);
  const bar = document.querySelector("[data-pin-bar]").getBoundingClientRect();
  return document.querySelector(".site-footer").getBoundingClientRect().bottom - bar.top;
}"""


@pytest.mark.parametrize(("width", "height"), [(375, 812), (1280, 900)])
def test_focused_fields_and_the_footer_stay_above_the_support_pin_bar(
    new_page, log_in, width, height
):
    install_defaults(Category, SlaPolicy)
    owner = make_user(
        "olga.owner", customer=make_customer(), role=User.Role.OWNER, mobile="+306912345678"
    )
    activate_pin(owner)
    page = new_page(viewport={"width": width, "height": height})
    log_in(page, owner)
    page.goto("/tickets/new/")

    hidden = {
        field: page.evaluate(FOCUS_AND_MEASURE, f"#{field}")
        for field in ("id_description", "id_attachments", "id_browser", "id_device")
    }
    assert {field: below for field, below in hidden.items() if below > 0} == {}
    assert page.evaluate(FOOTER_BELOW_BAR) <= 0
