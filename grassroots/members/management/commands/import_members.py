"""`manage.py import_members FILE [--dry-run] [--unit CODE] [--user NAME]`: the member import
of the page, from the command line, for files of any size."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from grassroots.accounts.models import User
from grassroots.core.spreadsheets import Limits
from grassroots.members.imports import members_import
from grassroots.organizations.models import Unit


class Command(BaseCommand):
    help = (
        "Admit the members of a CSV or XLSX file (the import template's columns), every row "
        "checked with the admission rules; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything, save nothing."
        )
        parser.add_argument(
            "--unit", default="", help="Only cells under this unit (code) are accepted."
        )
        parser.add_argument(
            "--user",
            default="",
            help="Import as this user (their roles apply; the audit names them). "
            "Default: the first system administrator.",
        )

    def handle(self, *args, file, dry_run, unit, user, **options):
        actor = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("No such user: create a system administrator or pass --user.")
        within = None
        if unit:
            within = Unit.objects.filter(code=unit).first()
            if within is None:
                raise CommandError(f"No unit with code {unit}.")
        started = time.monotonic()

        def progress(**values):
            if values.get("finished"):
                return
            self.stdout.write(
                f"[{time.monotonic() - started:7.1f} s] {values['rows']:,} rows read, "
                f"{values['valid']:,} valid, {values['errors']:,} errors"
            )

        with open(file, "rb") as handle:
            # A file on the server: any size (the upload cap is for the page), still checked for
            # bombs.
            result = members_import(
                actor=actor,
                file=handle,
                file_name=file,
                dry_run=dry_run,
                within=within,
                progress=progress,
                limits=Limits.server_files(),
            )
        for error in result.errors[:50]:
            self.stderr.write(str(error))
        if result.errors:
            raise CommandError(
                f"Nothing was saved: {result.error_count:,} errors in {result.rows:,} rows."
            )
        verb = "would be admitted (dry run: nothing saved)" if dry_run else "admitted"
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.valid_rows:,} members {verb} in {time.monotonic() - started:.1f} s."
            )
        )
