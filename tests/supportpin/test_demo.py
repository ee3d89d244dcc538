import io

import pytest

from supportpin.demo import seed_demo
from supportpin.models import AssistedAction, SupportPin, VerificationAttempt

pytestmark = pytest.mark.django_db


def test_demo_data_gives_owners_with_a_mobile_a_pin_and_some_history(owner, member, agent):
    seed_demo(stdout=io.StringIO())
    assert SupportPin.objects.get(user=owner).is_active
    assert not SupportPin.objects.filter(user=member).exists()
    assert VerificationAttempt.objects.filter(user=owner).count() == 2
    assert AssistedAction.objects.filter(user=owner).count() == 2


def test_demo_data_can_be_seeded_twice(owner, agent):
    seed_demo(stdout=io.StringIO())
    seed_demo(stdout=io.StringIO())
    assert SupportPin.objects.count() == 1
    assert VerificationAttempt.objects.count() == 2
    assert AssistedAction.objects.count() == 2
