"""Idempotent demo data: a customer on each plan with an owner and a member, a support
agent and a supervisor. Prints the logins. Run again at any time: nothing is duplicated
and the demo passwords are reset."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.mfa import demo as two_factor_demo
from accounts.models import Customer, User
from billing import demo as billing_demo
from portal.mail import emails_dropped
from supportpin import demo as supportpin_demo
from tickets import demo as tickets_demo

DEMO_PASSWORD = "demo-Portal-2026"

CUSTOMERS = [
    # contract, company, plan, owner (username, name, mobile), member (username, name)
    (
        "GR-1001",
        "Αλφα Hosting ΙΚΕ",
        Customer.Plan.BASIC,
        ("basic.owner", "Νίκος Παπαδόπουλος", "+306912345001", "el"),
        ("basic.member", "Ελένη Γεωργίου", "el"),
    ),
    (
        "IT-2002",
        "Rossi Domini S.r.l.",
        Customer.Plan.PREMIUM,
        ("premium.owner", "Giulia Rossi", "+393471234567", "it"),
        ("premium.member", "Marco Bianchi", "it"),
    ),
    (
        "SK-3003",
        "Tatra Telecom s.r.o.",
        Customer.Plan.BUSINESS,
        ("business.owner", "Jana Novákova", "+421905123456", "sk"),
        ("business.member", "Peter Horváth", "en"),
    ),
]

STAFF = [
    ("agent", "Anna Agent", False),
    ("supervisor", "Stavros Supervisor", True),
]


def _login(username: str, *, full_name: str, language: str = "en", **fields: object) -> User:
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.example.com",
            "full_name": full_name,
            "language": language,
            "is_active": True,
            **fields,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


class Command(BaseCommand):
    help = "Create or refresh the demo customers, logins and staff, and print the logins."

    def handle(self, *args, **options) -> None:
        # The notifications the demo's services send are not news to anyone: drop them, so
        # that the console shows the logins and, later, the mail of real use.
        with emails_dropped():
            rows = self._seed()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):")
        )
        for username, role in rows:
            self.stdout.write(f"  {username:<18} {role}")
        self.stdout.write(
            f"Customers log in at {settings.SITE_URL}/accounts/login/, "
            f"staff at {settings.SITE_URL}/admin/"
        )

    @transaction.atomic
    def _seed(self) -> list[tuple[str, str]]:
        rows = []
        for contract, company, plan, owner, member in CUSTOMERS:
            customer, _created = Customer.objects.update_or_create(
                contract_number=contract, defaults={"name": company, "plan": plan}
            )
            username, full_name, mobile, language = owner
            _login(
                username,
                full_name=full_name,
                mobile=mobile,
                # The demo's numbers count as verified, so that the PIN SMS work at once.
                mobile_verified_at=timezone.now(),
                language=language,
                customer=customer,
                role=User.Role.OWNER,
            )
            rows.append((username, f"owner of {company} ({plan})"))
            username, full_name, language = member
            _login(
                username,
                full_name=full_name,
                language=language,
                customer=customer,
                role=User.Role.MEMBER,
                can_view_all_tickets=plan == Customer.Plan.BUSINESS,
            )
            rows.append((username, f"member of {company} ({plan})"))

        supervisors, _created = Group.objects.get_or_create(name="Support supervisors")
        for username, full_name, is_superuser in STAFF:
            user = _login(username, full_name=full_name, is_staff=True, is_superuser=is_superuser)
            if is_superuser:
                user.groups.add(supervisors)
            rows.append((username, "support supervisor" if is_superuser else "support agent"))

        self._seed_apps()
        return rows

    def _seed_apps(self) -> None:
        tickets_demo.seed_demo(stdout=self.stdout)
        supportpin_demo.seed_demo(stdout=self.stdout)
        two_factor_demo.seed_demo(stdout=self.stdout)
        billing_demo.seed_demo(stdout=self.stdout)
        call_command("load_help_articles", stdout=self.stdout)
