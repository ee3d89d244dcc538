from django.db.models import QuerySet

from accounts.models import AccountEvent, Customer, User
from portal.rows import RowByKey

# A login's company, read by a statement compiled once (portal/rows.py).
_CUSTOMER_BY_PK = RowByKey(Customer)


def customer_people(customer: Customer) -> QuerySet[User]:
    """The logins of a customer that can still be used or are awaiting their first login,
    owners first."""
    return (
        User.objects.filter(customer=customer).exclude(role="").order_by("-role", "full_name", "pk")
    )


def awaiting_activation(users: QuerySet[User]) -> QuerySet[User]:
    """The registered owners among `users` who have never activated their login.

    Invited members (who accept an invitation instead) and logins closed by an owner or by
    staff are inactive too, but an activation link must never open them again.
    """
    return users.filter(is_active=False, last_login__isnull=True, role=User.Role.OWNER).exclude(
        account_events__kind=AccountEvent.Kind.ACTIVATED
    )


def with_customer(user: User) -> User:
    """The login with its company read (`user.customer`, as the ORM would read it at first
    use), by a statement compiled once; a login of no company as it is."""
    if user.customer_id is not None and not User.customer.is_cached(user):
        customer = _CUSTOMER_BY_PK.get(user.customer_id)
        if customer is not None:
            user.customer = customer
    return user
