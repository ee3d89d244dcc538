"""Reads of a login's second factors."""

from django_otp import device_classes, devices_for_user
from django_otp.models import Device

from accounts.mfa.methods import METHODS, Method, method_of
from accounts.models import RecoveryCode, TwoFactorState, User


def confirmed_devices(user: User) -> list[Device]:
    return list(devices_for_user(user, confirmed=True))


def _any_device(user: User | int, models: list[type[Device]]) -> bool:
    # One query for all the device tables.
    querysets = [model.objects.filter(user=user, confirmed=True).values("pk") for model in models]
    if not querysets:
        return False
    return querysets[0].union(*querysets[1:], all=True).exists()


def second_step_required(user: User | int) -> bool:
    """A login with a confirmed device gives a code or a passkey after its password.

    Asks the device tables; every page reads the login's copy of the answer instead,
    `User.has_second_factor` (kept by accounts.mfa.services)."""
    return _any_device(user, list(device_classes()))


def has_staff_factor(user: User) -> bool:
    """Whether a staff login has a factor staff may use (an app or a passkey)."""
    device = getattr(user, "otp_device", None)
    staff_models = [m.model for m in METHODS if m.staff_allowed and not m.backup]
    if device is not None and isinstance(device, tuple(staff_models)):
        return True
    return _any_device(user, staff_models)


def enabled_methods(user: User) -> list[Method]:
    """The methods the login has a confirmed device of, in the order of METHODS."""
    found = {method_of(device) for device in confirmed_devices(user)}
    return [m for m in METHODS if m in found]


def primary_methods(user: User) -> list[Method]:
    return [m for m in enabled_methods(user) if not m.backup]


def default_method(user: User) -> Method | None:
    """The method the second step offers first: the login's choice while it is enabled,
    else the first enabled one."""
    primaries = primary_methods(user)
    if not primaries:
        return None
    chosen = (
        TwoFactorState.objects.filter(user=user).values_list("default_method", flat=True).first()
    )
    return next((m for m in primaries if m.key == chosen), primaries[0])


def devices_of(user: User, m: Method, *, confirmed: bool | None = True) -> list[Device]:
    return list(m.model.objects.devices_for_user(user, confirmed=confirmed).order_by("pk"))


def two_factor_generation(user: User) -> int:
    return (
        TwoFactorState.objects.filter(user=user).values_list("generation", flat=True).first() or 0
    )


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()
