from django.core.management.base import BaseCommand
from django.db import transaction

from inspiracle.accounts.models import User
from inspiracle.accounts.services import RegistrationData, account_verify, protected_name_add, user_register
from inspiracle.agreements.selectors import required_versions_in_force
from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory

DEMO_PASSWORD = "inspiracle-demo"  # noqa: S105 - demo accounts on a local machine, printed by `serve`

# (username, kind, staff role, legal name, mobile, email)
DEMO_USERS = [
    ("admin", "person", "admin", "管理员 Admin", "13800138000", "admin@demo.inspiracle.example"),
    ("ana", "person", "", "安娜 Ana Lin", "13800138001", "ana@demo.inspiracle.example"),
    (
        "ben_brand",
        "organization",
        "",
        "奔牌文创有限公司 Ben Brand Ltd.",
        "13800138002",
        "ben@demo.inspiracle.example",
    ),
    ("mo", "person", "moderator", "莫 Mo Chen", "13800138003", "mo@demo.inspiracle.example"),
    ("lee", "person", "legal_officer", "李 Lee Wang", "13800138004", "lee@demo.inspiracle.example"),
    ("cy", "person", "", "西 Cy Zhao", "13800138005", ""),
]
# A minimal valid PDF standing in for a scanned certificate.
DEMO_CERTIFICATE = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class Command(BaseCommand):
    help = "Load the shipped agreements and demo users of every role, once."

    def handle(self, *args, **options):
        for version in agreements_load_directory(directory=DEFAULTS_DIR, only_if_empty=True):
            self.stdout.write(f"published {version.label}")
        if User.objects.exists():
            self.stdout.write("demo data: users exist already, nothing loaded")
            return
        labels = [v.label for v in required_versions_in_force()]
        with transaction.atomic():
            for username, kind, role, legal_name, mobile, email in DEMO_USERS:
                user = user_register(
                    data=RegistrationData(
                        username=username,
                        password=DEMO_PASSWORD,
                        kind=kind,
                        legal_name=legal_name,
                        mailing_address="上海市黄浦区中山东一路 1 号",
                        mobile=mobile,
                        email=email,
                    ),
                    accepted=labels,
                    age_attested=True,
                    certificate=DEMO_CERTIFICATE if kind == "organization" else None,
                )
                if role:
                    User.objects.filter(pk=user.pk).update(staff_role=role)
            admin = User.objects.get(username="admin")
            account_verify(
                actor=admin,
                user=User.objects.get(username="ben_brand"),
                verified=True,
                reason="demo: registration certificate checked",
            )
            for name in ("Inspiracle", "Inspiracle 官方"):
                protected_name_add(actor=admin, name=name, note="the platform's own name")
        self.stdout.write(
            f"demo users loaded: {', '.join(u[0] for u in DEMO_USERS)} (password: {DEMO_PASSWORD})"
        )
