"""Backup and restore (README, "Backup and restore"): bin/backup and bin/restore bring the
database and the private media back into a fresh database and folder (PostgreSQL; CI runs
it in the PostgreSQL pass)."""

import hashlib
import subprocess
import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from accounts.roles import Role
from core.storage import private_storage
from grants.models import Attachment
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, make_user, set_state

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are of PostgreSQL"),
]

TABLES = ["accounts_user", "grants_call", "grants_application", "grants_attachment"]


def database_url(name):
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def run(script, directory, *, database, media):
    return subprocess.run(  # noqa: S603 (our own scripts, fixed arguments)
        [str(settings.BASE_DIR / "bin" / script), str(directory)],
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": database_url(database),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(media),
            "DJANGO_ERASURE_JOURNAL": str(settings.ERASURE_JOURNAL),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def snapshot(dbname):
    with psycopg.connect(database_url(dbname)) as conn:
        rows = {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()  # noqa: S608
            for table in TABLES
        }
        rows["migrations"] = conn.execute(
            "SELECT app, name FROM django_migrations ORDER BY app, name"
        ).fetchall()
    return rows


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_data():
    owner = make_user(Role.APPLICANT)
    make_user(Role.STAFF)  # with an authenticator
    application = set_state(ApplicationFactory(owner=owner), ApplicationState.SUBMITTED)
    contents = {}
    for index in range(3):
        content = f"Work plan, part {index}\n".encode() * 100
        name = private_storage().save(f"{uuid.uuid4().hex}.txt", ContentFile(content))
        Attachment.objects.create(
            application=application,
            original_name=f"plan-{index}.txt",
            stored_name=name,
            content_type="text/plain",
            size=len(content),
            uploaded_by=owner,
        )
        contents[name] = hashlib.sha256(content).hexdigest()
    return contents


def test_backup_and_restore_bring_back_database_and_files(tmp_path, restored_database):
    contents = make_data()
    source = connection.settings_dict["NAME"]
    media = settings.PRIVATE_MEDIA_ROOT
    restored_media = tmp_path / "restored_media"

    backup = run("backup", tmp_path / "backup", database=source, media=media)
    restore = run("restore", tmp_path / "backup", database=restored_database, media=restored_media)

    assert backup.returncode == 0, backup.stderr
    assert restore.returncode == 0, restore.stderr
    assert sorted(path.name for path in (tmp_path / "backup").iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "private_media.tar.gz",
    ]
    assert snapshot(restored_database) == snapshot(source)
    assert len(snapshot(restored_database)["grants_attachment"]) == 3
    for name, digest in contents.items():
        assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == digest


def test_restore_refuses_a_damaged_backup(tmp_path, restored_database):
    make_data()
    run(
        "backup",
        tmp_path / "backup",
        database=connection.settings_dict["NAME"],
        media=settings.PRIVATE_MEDIA_ROOT,
    )
    with open(tmp_path / "backup" / "private_media.tar.gz", "ab") as archive:
        archive.write(b"garbage")

    restore = run(
        "restore",
        tmp_path / "backup",
        database=restored_database,
        media=tmp_path / "restored_media",
    )

    assert restore.returncode != 0
    assert "FAILED" in restore.stdout + restore.stderr
    with psycopg.connect(database_url(restored_database)) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    assert tables == 0


def test_a_restore_erases_again_what_was_erased_after_the_backup(tmp_path, restored_database):
    from privacy.services.erasure import carry_out_erasure, request_erasure

    person = make_user(Role.APPLICANT, email="leaving@example.org", full_name="Lea Ving")
    draft = ApplicationFactory(owner=person)
    name = private_storage().save(f"{uuid.uuid4().hex}.txt", ContentFile(b"Lea's notes\n"))
    Attachment.objects.create(
        application=draft,
        original_name="notes.txt",
        stored_name=name,
        content_type="text/plain",
        size=12,
        uploaded_by=person,
    )
    staff = make_user(Role.STAFF)
    source = connection.settings_dict["NAME"]
    run("backup", tmp_path / "backup", database=source, media=settings.PRIVATE_MEDIA_ROOT)
    carry_out_erasure(request=request_erasure(user=person), actor=staff)  # after the backup
    restored_media = tmp_path / "restored_media"

    restore = run("restore", tmp_path / "backup", database=restored_database, media=restored_media)

    assert restore.returncode == 0, restore.stderr
    assert "erasures applied again: " in restore.stdout
    with psycopg.connect(database_url(restored_database)) as conn:
        user = conn.execute(
            "SELECT email, full_name, is_active FROM accounts_user WHERE id = %s", [person.pk]
        ).fetchone()
        drafts = conn.execute(
            "SELECT count(*) FROM grants_application WHERE id = %s", [draft.pk]
        ).fetchone()[0]
        causes = conn.execute("SELECT DISTINCT cause FROM privacy_erasure").fetchall()
    assert user == (f"anonymised-{person.pk}@anonymised.invalid", "", False)
    assert drafts == 0
    assert causes == [("restore",)]
    assert not (restored_media / name).exists()
