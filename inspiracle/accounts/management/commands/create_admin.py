import getpass
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inspiracle.accounts.services import RegistrationData, admin_create
from inspiracle.agreements.selectors import required_versions_in_force
from inspiracle.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Create an administrator (the first one on a new install): a full account with registration "
        "information and consents to the agreements in force, given the admin role; audited. The password "
        "is asked for twice on a terminal, or read from the first line of standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--legal-name", required=True, help="the administrator's real name (REG-5)")
        parser.add_argument(
            "--mobile", required=True, help="mobile phone, e.g. 13800138000 or +44 7700 900123"
        )
        parser.add_argument("--mailing-address", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--landline", default="")
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE, choices=[c for c, _ in settings.LANGUAGES]
        )
        parser.add_argument(
            "--agree",
            action="store_true",
            help="the administrator has read and agrees to every agreement in force and is at least 18 "
            "(asked on a terminal otherwise)",
        )
        parser.add_argument("--reason", default="first administrator of this installation")

    def handle(self, *args, **o):
        versions = required_versions_in_force()
        if not versions:
            raise CommandError(
                "No agreements are in force yet, and an administrator agrees to them like everyone else. "
                "Publish them first: `./run load-agreements` (the shipped texts) or `./run load-agreements "
                "FOLDER` (your own), then run this again."
            )
        self._agree(versions, given=o["agree"])
        password = self._password()
        data = RegistrationData(
            username=o["username"],
            password=password,
            kind="person",
            legal_name=o["legal_name"],
            mailing_address=o["mailing_address"],
            mobile=o["mobile"],
            landline=o["landline"],
            email=o["email"],
            language=o["language"],
        )
        try:
            user = admin_create(data=data, accepted=[v.label for v in versions], reason=o["reason"])
        except ApplicationError as exc:
            problems = [f"  {field}: {' '.join(messages)}" for field, messages in exc.fields.items()]
            raise CommandError("\n".join([str(exc.message), *problems])) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator '{user.username}' created. Sign in at {settings.SITE_URL}/accounts/signin/"
            )
        )

    def _agree(self, versions, *, given: bool) -> None:
        listing = "\n".join(
            f"  {v.document.title} (version {v.number}): {settings.SITE_URL}"
            f"/agreements/{v.document.slug}/v{v.number}/"
            for v in versions
        )
        if given:
            return
        if not sys.stdin.isatty():
            raise CommandError(
                f"The administrator must agree to the agreements in force:\n{listing}\n"
                "Read them, then run again with --agree."
            )
        self.stdout.write(f"The administrator agrees to:\n{listing}\nand confirms being at least 18.")
        if input("Type 'agree' to continue: ").strip().lower() != "agree":
            raise CommandError("Nothing was created: the agreements were not accepted.")

    def _password(self) -> str:
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError(
                    "Give the password on the first line of standard input, or run on a terminal."
                )
            return password
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != first:
            raise CommandError("The two passwords differ; nothing was created.")
        return first
