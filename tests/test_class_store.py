"""The class store, on SQLite and on PostgreSQL: who may do what, what is kept and for how long, what an
outage looks like, and that the migration builds exactly the tables the code describes.

PostgreSQL is $RNN_TEST_POSTGRES_URL when set (a server the tests may create databases on), else a
throwaway cluster started here from Debian's packages (scripts/test.sh installs them). Without either the
PostgreSQL cases are skipped, except in CI, where they fail.
"""
from __future__ import annotations

import ast
import hashlib
import logging
import os
import pickle
import string
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from babel.messages.pofile import read_po
from sqlalchemy import func, inspect, select

import classroom
from classroom import store as store_module
from classroom.errors import (MESSAGES, ClassError, ClassMessage, ClassNotFound, InvalidInput, NotMember,
                              NotTeacher, StoreUnavailable)
from classroom.schema import answers, classes, gallery, members, metadata, questions, wrong_codes
from classroom.store import (ADDRESS_WRONG_CODE_LIMIT, CODE_ALPHABET, MIGRATIONS, ClassStore, Drawing, Joined,
                             NameEntry, NewClass, create_store_engine, database_url)
from harness.postgres import Postgres, create_database, drop_database
from harness.server import REPO
from tests.test_i18n import CATALOG, code_messages
from ui.class_words import CLASS_WORDS, class_words

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(100)  # the store checks the signature and size, not the pixels


class Clock:
    """The store's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def postgres():
    """(admin URL, the cluster to stop and start, or None for a server given by $RNN_TEST_POSTGRES_URL)."""
    given = os.environ.get("RNN_TEST_POSTGRES_URL")
    if given:
        yield given, None
        return
    try:
        cluster = Postgres()
    except (OSError, subprocess.SubprocessError) as error:
        message = f"no PostgreSQL to test on ({error}); set RNN_TEST_POSTGRES_URL or install postgresql"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    yield cluster.url, cluster
    cluster.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    """A fresh, empty database: an SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'classes.sqlite3'}"
        return
    admin_url, _cluster = request.getfixturevalue("postgres")
    database = create_database(admin_url)
    yield database
    drop_database(admin_url, database)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(url, clock):
    opened = ClassStore(url, clock=clock)
    yield opened
    opened.close()


def rows(url: str, table) -> int:
    engine = create_store_engine(url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(table)).scalar_one()
    engine.dispose()
    return count


# -- codes and keys


def test_codes_are_easy_to_read_aloud_and_unique(store):
    assert not set("0O1IlL") & set(CODE_ALPHABET)
    codes = [store.open_class().code for _ in range(60)]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 6 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert store.state(codes[0].lower()).code == codes[0]  # typed in lower case, or with a space
    assert store.state(f"{codes[0][:3]} {codes[0][3:]}").code == codes[0]


def test_a_code_already_taken_is_drawn_again(store, monkeypatch):
    drawn = iter("AAAAAA" "AAAAAA" "CCCCCC")
    monkeypatch.setattr(store_module.secrets, "choice", lambda _alphabet: next(drawn))
    assert store.open_class().code == "AAAAAA"
    assert store.open_class().code == "CCCCCC"


def test_the_teacher_key_is_checked_in_constant_time_and_a_wrong_one_is_refused(store):
    opened = store.open_class()
    other = store.open_class()
    assert len(opened.teacher_key) >= 32  # token_urlsafe of 24 bytes: 192 random bits
    assert store.teacher(opened.code, opened.teacher_key)
    assert not store.teacher(opened.code, "guess")
    assert not store.teacher(opened.code, other.teacher_key)
    assert not store.teacher("XXXXXX", opened.teacher_key)
    for action in (lambda key: store.set_pacing(opened.code, key, "digits?model=gru"),
                   lambda key: store.lock(opened.code, key, True),
                   lambda key: store.pause(opened.code, key, True),
                   lambda key: store.hide_nicknames(opened.code, key, True),
                   lambda key: store.ask(opened.code, key, "waves", "survive", ["yes", "no"]),
                   lambda key: store.drawings(opened.code, key),
                   lambda key: store.clear_activity(opened.code, key, "name")):
        with pytest.raises(NotTeacher) as refused:
            action(other.teacher_key)
        assert refused.value.code == "class.not_teacher"
    assert store.state(opened.code).page is None and not store.state(opened.code).paused
    source = Path(store_module.__file__).read_text()
    assert "hmac.compare_digest(_hash(key), row.teacher_key_hash)" in source


def test_an_unknown_code_is_a_typed_error(store):
    with pytest.raises(ClassNotFound) as missing:
        store.join("XXXXXX")
    assert missing.value.code == "class.not_found" and isinstance(missing.value, ClassError)


def test_pacing_is_stored_for_every_student_to_follow(store):
    opened = store.open_class()
    store.set_pacing(opened.code, opened.teacher_key, "memory?distance=50&speed=5")
    store.lock(opened.code, opened.teacher_key, True)
    store.pause(opened.code, opened.teacher_key, True)
    store.hide_nicknames(opened.code, opened.teacher_key, True)
    state = store.state(opened.code)
    assert (state.page, state.navigation_locked, state.paused, state.hide_nicknames) == (
        "memory?distance=50&speed=5", True, True, True)
    store.pause(opened.code, opened.teacher_key, False)
    assert not store.state(opened.code).paused
    with pytest.raises(InvalidInput) as long_link:
        store.set_pacing(opened.code, opened.teacher_key, "x" * 2001)
    assert long_link.value.code == "class.page_too_long"


# -- students


def test_join_numbers_students_and_a_token_finds_them_after_a_restart(url, clock):
    first_store = ClassStore(url, clock=clock)
    opened = first_store.open_class()
    anonymous = first_store.join(opened.code)
    named = first_store.join(opened.code, "  Ada  ")
    blank = first_store.join(opened.code, "   ")
    assert [j.member.number for j in (anonymous, named, blank)] == [1, 2, 3]
    assert named.member.nickname == "Ada" and blank.member.nickname is None
    assert str(anonymous.member.display_name()) == "Student 1"
    assert str(named.member.display_name()) == "Ada"
    assert str(named.member.display_name(hide_nickname=True)) == "Student 2"
    first_store.close()

    restarted = ClassStore(url, clock=clock)  # a new process, or another replica
    assert restarted.member(opened.code, named.token) == named.member
    with pytest.raises(NotMember) as stranger:
        restarted.member(opened.code, "not-a-token")
    assert stranger.value.code == "class.not_member"
    other = restarted.open_class()
    with pytest.raises(NotMember):
        restarted.member(other.code, named.token)  # a token is good in its own class only
    restarted.close()


def test_two_replicas_joining_at_once_give_every_student_their_own_number(url, clock):
    replicas = [ClassStore(url, clock=clock) for _ in range(2)]
    opened = replicas[0].open_class()
    joined: list[Joined] = []

    def join_five(replica: ClassStore) -> None:
        joined.extend(replica.join(opened.code) for _ in range(5))

    threads = [threading.Thread(target=join_five, args=(replica,)) for replica in replicas for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(j.member.number for j in joined) == list(range(1, 21))
    for replica in replicas:
        replica.close()


@pytest.mark.parametrize("nickname, code", [
    ("x" * 25, "class.nickname_too_long"),
    ("Ada\x00", "class.nickname_invisible"),
    ("Ada\nLovelace", "class.nickname_invisible"),
    ("\u202eadA", "class.nickname_invisible"),  # a right-to-left override would turn the name around
    ("Ada\u200b", "class.nickname_invisible"),
])
def test_nicknames_are_limited_and_control_characters_refused(store, nickname, code):
    opened = store.open_class()
    with pytest.raises(InvalidInput) as refused:
        store.join(opened.code, nickname)
    assert refused.value.code == code
    assert store.join(opened.code, "x" * 24).member.nickname == "x" * 24
    assert store.join(opened.code, "李小龙 <b>").member.nickname == "李小龙 <b>"  # kept as text, shown as text


# -- predict, then reveal


def test_one_answer_per_student_per_question_and_a_second_replaces_the_first(store):
    opened = store.open_class()
    question = store.ask(opened.code, opened.teacher_key, "waves?clip=0", "survive", ["yes", "no", "unsure"])
    ann, bob = store.join(opened.code, "Ann"), store.join(opened.code, "Bob")
    store.answer(opened.code, ann.token, question.id, "yes")
    store.answer(opened.code, bob.token, question.id, "yes")
    store.answer(opened.code, ann.token, question.id, "no")
    tally = store.tally(opened.code, opened.teacher_key, question.id)
    assert tally.counts == {"yes": 1, "no": 1, "unsure": 0} and tally.total == 2
    assert store.my_answer(opened.code, ann.token, question.id) == "no"
    assert store.asked_questions(opened.code) == [question]

    with pytest.raises(InvalidInput) as unknown:
        store.answer(opened.code, ann.token, question.id, "maybe")
    assert unknown.value.code == "class.choice_unknown"
    with pytest.raises(NotMember):
        store.answer(opened.code, "someone-else", question.id, "yes")
    other = store.open_class()
    foreign = store.ask(other.code, other.teacher_key, "waves", "survive", ["yes", "no"])
    with pytest.raises(InvalidInput) as elsewhere:
        store.answer(opened.code, ann.token, foreign.id, "yes")
    assert elsewhere.value.code == "class.question_unknown"

    store.reveal(opened.code, opened.teacher_key, question.id)
    assert store.asked_questions(opened.code)[0].revealed
    with pytest.raises(InvalidInput) as late:
        store.answer(opened.code, bob.token, question.id, "no")
    assert late.value.code == "class.question_revealed"
    assert store.tally(opened.code, opened.teacher_key, question.id).counts["yes"] == 1


@pytest.mark.parametrize("options", [["only"], ["a", "a"], ["a", ""], ["a", "b" * 65], [str(n) for n in range(9)]])
def test_a_question_needs_a_few_distinct_short_answers(store, options):
    opened = store.open_class()
    with pytest.raises(InvalidInput) as refused:
        store.ask(opened.code, opened.teacher_key, "memory", "gradient", options)
    assert refused.value.code == "class.options_unreadable"


def test_an_acknowledged_answer_survives_closing_and_reopening_the_store(url, clock):
    first = ClassStore(url, clock=clock)
    opened = first.open_class()
    question = first.ask(opened.code, opened.teacher_key, "generate", "temperature", ["tidy", "wild"])
    student = first.join(opened.code)
    first.answer(opened.code, student.token, question.id, "wild")
    first.close()
    reopened = ClassStore(url, clock=clock)
    assert reopened.tally(opened.code, opened.teacher_key, question.id).counts == {"tidy": 0, "wild": 1}
    reopened.close()


def test_every_read_answers_at_once_while_another_connection_is_writing(url, clock, monkeypatch):
    """What every student's page polls each second never queues behind a write: on SQLite a reader reads the
    last commit instead of taking the write lock. (Before, each read took it too, and polls waited in turn.)"""
    monkeypatch.setattr(store_module, "SQLITE_BUSY_MS", 50)  # a read that waited for the lock would fail fast
    store = ClassStore(url, clock=clock)
    opened = store.open_class()
    student = store.join(opened.code, "Ada")
    question = store.ask(opened.code, opened.teacher_key, "generate", "temperature", ["tidy", "wild"])
    store.answer(opened.code, student.token, question.id, "wild")
    key, token = opened.teacher_key, student.token
    writer = create_store_engine(url)
    with writer.begin() as connection:  # another replica's or thread's write, not yet committed
        connection.execute(classes.update().values(paused=True))
        assert store.state(opened.code).paused is False  # the last commit
        assert store.teacher(opened.code, key) and store.member(opened.code, token).nickname == "Ada"
        assert store.member_count(opened.code, key) == 1
        assert store.asked_questions(opened.code)[0].id == question.id
        assert store.my_answer(opened.code, token, question.id) == "wild"
        assert store.tally(opened.code, key, question.id).counts == {"tidy": 0, "wild": 1}
        assert store.names(opened.code, key) == [] and store.drawings(opened.code, key) == []
        assert store.wrong_code_wait("198.51.100.7") == 0
    writer.dispose()
    assert store.state(opened.code).paused is True
    store.close()


# -- the gallery


def test_gallery_entries_are_added_listed_removed_and_cleared(store):
    opened = store.open_class()
    ann, anonymous = store.join(opened.code, "Ann"), store.join(opened.code)
    drawing = store.add_drawing(opened.code, ann.token, PNG, "7", "1", 0.62)
    raw = store.add_drawing(opened.code, anonymous.token, bytes(784), "any", "0", 1.0)
    name = store.add_name(opened.code, ann.token, " Nakamura ", [("Japanese", 0.97), ("Italian", 0.02)])
    assert name.surname == "Nakamura"

    drawings = store.drawings(opened.code, opened.teacher_key)
    assert drawings == [drawing, raw] and all(isinstance(d, Drawing) for d in drawings)
    assert drawings[0].image == PNG and str(drawings[0].student) == "Ann"
    assert str(drawings[1].student) == "Student 2"
    names = store.names(opened.code, opened.teacher_key)
    assert names == [name] and isinstance(names[0], NameEntry)
    assert names[0].languages == (("Japanese", 0.97), ("Italian", 0.02))

    store.hide_nicknames(opened.code, opened.teacher_key, True)
    assert str(store.drawings(opened.code, opened.teacher_key)[0].student) == "Student 1"

    store.remove_entry(opened.code, opened.teacher_key, drawing.id)
    assert [d.id for d in store.drawings(opened.code, opened.teacher_key)] == [raw.id]
    with pytest.raises(InvalidInput) as gone:
        store.remove_entry(opened.code, opened.teacher_key, drawing.id)
    assert gone.value.code == "class.entry_unknown"

    store.clear_activity(opened.code, opened.teacher_key, "drawing")
    assert store.drawings(opened.code, opened.teacher_key) == []
    assert [n.id for n in store.names(opened.code, opened.teacher_key)] == [name.id]  # the other activity stays
    question = store.ask(opened.code, opened.teacher_key, "inside", "shape", ["a", "b"])
    store.answer(opened.code, ann.token, question.id, "a")
    store.clear_activity(opened.code, opened.teacher_key, "question")
    assert store.asked_questions(opened.code) == []
    with pytest.raises(InvalidInput) as unknown:
        store.clear_activity(opened.code, opened.teacher_key, "everything")
    assert unknown.value.code == "class.activity_unknown"


@pytest.mark.parametrize("image, label, reading, confidence, code", [
    (b"GIF89a", "7", "7", 0.5, "class.drawing_unreadable"),
    (bytes(783), "7", "7", 0.5, "class.drawing_unreadable"),
    (PNG + bytes(20_000), "7", "7", 0.5, "class.drawing_unreadable"),
    (PNG, "7" * 33, "7", 0.5, "class.reading_unreadable"),
    (PNG, "7", "", 0.5, "class.reading_unreadable"),
    (PNG, "7", "7", float("nan"), "class.reading_unreadable"),
    (PNG, "7", "7", 1.5, "class.reading_unreadable"),
])
def test_a_drawing_that_is_not_a_small_image_with_a_reading_is_refused(store, image, label, reading, confidence,
                                                                        code):
    opened = store.open_class()
    student = store.join(opened.code)
    with pytest.raises(InvalidInput) as refused:
        store.add_drawing(opened.code, student.token, image, label, reading, confidence)
    assert refused.value.code == code


@pytest.mark.parametrize("surname, languages, code", [
    ("x" * 41, [("Irish", 0.9)], "class.surname_too_long"),
    ("   ", [("Irish", 0.9)], "class.surname_empty"),
    ("O'Brien\x1b[31m", [("Irish", 0.9)], "class.surname_invisible"),
    ("O'Brien", [], "class.reading_unreadable"),
    ("O'Brien", [("Irish", 2.0)], "class.reading_unreadable"),
])
def test_names_are_limited_and_control_characters_refused(store, surname, languages, code):
    opened = store.open_class()
    student = store.join(opened.code)
    with pytest.raises(InvalidInput) as refused:
        store.add_name(opened.code, student.token, surname, languages)
    assert refused.value.code == code
    assert store.add_name(opened.code, student.token, "x" * 40, [("Irish", 0.9)]).surname == "x" * 40


# -- expiry


def fill(store: ClassStore, opened: NewClass) -> None:
    """One of everything a class can hold."""
    student = store.join(opened.code, "Ann")
    question = store.ask(opened.code, opened.teacher_key, "digits", "gates", ["a", "b"])
    store.answer(opened.code, student.token, question.id, "a")
    store.add_drawing(opened.code, student.token, PNG, "3", "3", 0.9)
    store.add_name(opened.code, student.token, "Nakamura", [("Japanese", 0.9)])


def test_expiry_deletes_every_row_of_an_expired_class_and_only_of_it(store, url, clock):
    short = store.open_class(lifetime=timedelta(hours=1))
    long = store.open_class(lifetime=timedelta(hours=12))
    fill(store, short)
    fill(store, long)
    clock.now = START + timedelta(hours=2)
    with pytest.raises(ClassNotFound):
        store.state(short.code)  # over before it is swept away
    assert store.expire_classes() == 1
    assert store.expire_classes() == 0
    assert {table.name: rows(url, table) for table in (classes, members, questions, answers, gallery)} == {
        "classes": 1, "members": 1, "questions": 1, "answers": 1, "gallery": 2}
    assert len(store.drawings(long.code, long.teacher_key)) == 1
    clock.now = START + timedelta(hours=13)
    assert store.expire_classes() == 1 and rows(url, members) == 0


def test_the_lifetime_is_a_setting(store, monkeypatch):
    monkeypatch.setenv("RNN_CLASS_HOURS", "2")
    assert store.open_class().expires_at == START + timedelta(hours=2)
    monkeypatch.setenv("RNN_CLASS_HOURS", "soon")
    assert store.open_class().expires_at == START + timedelta(hours=12)


# -- wrong codes, per client address

SCHOOL, HOME = "203.0.113.7", "2001:db8:7:1::/64"  # as ui/client_address.py gives them


def test_wrong_codes_are_limited_per_address_on_every_replica_and_only_for_a_minute(url, clock):
    replicas = [ClassStore(url, clock=clock) for _ in range(2)]  # a reload may land on either
    for typed in range(ADDRESS_WRONG_CODE_LIMIT):
        clock.now = START + timedelta(seconds=typed / 10)
        assert replicas[typed % 2].wrong_code_wait(SCHOOL) == 0
        replicas[typed % 2].count_wrong_code(SCHOOL)
    clock.now = START + timedelta(seconds=20)
    # the oldest counted code, typed at START, leaves the window 40 seconds from now
    assert [replica.wrong_code_wait(SCHOOL) for replica in replicas] == [40, 40]
    assert replicas[0].wrong_code_wait(HOME) == 0  # another address is not held back
    clock.now = START + timedelta(seconds=60)
    assert replicas[1].wrong_code_wait(SCHOOL) == 0  # one more try, then wait for the next to leave
    replicas[1].count_wrong_code(SCHOOL)
    assert replicas[0].wrong_code_wait(SCHOOL) == 1
    for replica in replicas:
        replica.close()


def test_an_address_is_stored_only_as_a_keyed_hash_and_deleted_with_the_window(store, url, clock):
    store.count_wrong_code(SCHOOL)
    clock.now = START + timedelta(seconds=59)
    store.count_wrong_code(HOME)
    engine = create_store_engine(url)
    with engine.connect() as connection:
        stored = " ".join(str(row) for table in metadata.sorted_tables
                          for row in connection.execute(select(table)).all())
    engine.dispose()
    for address in (SCHOOL, HOME):  # neither the address nor its plain hash, which anyone could recompute
        assert address not in stored and hashlib.sha256(address.encode()).hexdigest() not in stored
    clock.now = START + timedelta(seconds=61)
    assert store.expire_classes() == 0 and rows(url, wrong_codes) == 1  # SCHOOL's is out of the window
    clock.now = START + timedelta(seconds=120)
    store.expire_classes()
    assert rows(url, wrong_codes) == 0


# -- secrets


def test_keys_and_tokens_never_show_in_a_repr_the_database_or_the_logs(url, clock, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")  # every statement, its parameters and rows
    store = ClassStore(url, clock=clock)  # made after the level is set: SQLAlchemy reads it then
    opened = store.open_class()
    student = store.join(opened.code, "Ann")
    question = store.ask(opened.code, opened.teacher_key, "waves", "survive", ["yes", "no"])
    store.answer(opened.code, student.token, question.id, "yes")
    secrets = (opened.teacher_key, student.token)
    for shown in (repr(opened), str(opened), repr(student), str(student), repr(student.member)):
        assert not any(secret in shown for secret in secrets), shown
    assert any(record.name.startswith("sqlalchemy.engine") for record in caplog.records)  # the logs were on
    assert not any(secret in caplog.text for secret in secrets)
    engine = create_store_engine(url)
    with engine.connect() as connection:
        stored = " ".join(str(row) for table in metadata.sorted_tables
                          for row in connection.execute(select(table)).all())
    engine.dispose()
    assert opened.code in stored and not any(secret in stored for secret in secrets)
    store.close()


# -- outages


def test_an_sqlite_file_that_cannot_be_opened_is_store_unavailable(tmp_path):
    (tmp_path / "classes.sqlite3").mkdir()  # a folder where the file should be
    with pytest.raises(StoreUnavailable) as down:
        ClassStore(f"sqlite:///{tmp_path / 'classes.sqlite3'}")
    assert down.value.code == "class.store_unavailable"
    (tmp_path / "not-a-folder").write_text("")
    with pytest.raises(StoreUnavailable):
        ClassStore(f"sqlite:///{tmp_path / 'not-a-folder' / 'classes.sqlite3'}")


def test_postgres_going_away_is_store_unavailable_and_nothing_acknowledged_is_lost(postgres, clock):
    admin_url, cluster = postgres
    if cluster is None:
        pytest.skip("the server given by RNN_TEST_POSTGRES_URL is not ours to stop")
    store = ClassStore(create_database(admin_url), clock=clock)
    opened = store.open_class()
    question = store.ask(opened.code, opened.teacher_key, "waves", "survive", ["yes", "no"])
    students = [store.join(opened.code) for _ in range(3)]
    for student in students[:2]:
        store.answer(opened.code, student.token, question.id, "yes")

    cluster.stop()
    try:
        with pytest.raises(StoreUnavailable):
            store.answer(opened.code, students[2].token, question.id, "no")
        with pytest.raises(StoreUnavailable):
            store.state(opened.code)
    finally:
        cluster.start()

    assert store.tally(opened.code, opened.teacher_key, question.id).counts == {"yes": 2, "no": 0}
    store.answer(opened.code, students[2].token, question.id, "no")  # sent again, as the page retries
    assert store.tally(opened.code, opened.teacher_key, question.id).counts == {"yes": 2, "no": 1}
    store.close()


# -- the database and its migrations


def test_sqlite_runs_in_wal_mode_under_the_data_root_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("RNN_CLASS_DB", raising=False)
    monkeypatch.setenv("RNN_DATA_DIR", str(tmp_path / "data"))
    assert database_url() == f"sqlite:///{tmp_path / 'data' / 'classes.sqlite3'}"
    store = ClassStore()
    assert (tmp_path / "data" / "classes.sqlite3").is_file()
    store.close()
    engine = create_store_engine(database_url())
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    monkeypatch.setenv("RNN_CLASS_DB", "postgresql+psycopg://class@db/classes")
    assert database_url() == "postgresql+psycopg://class@db/classes"


def migration_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def test_the_migration_goes_up_from_empty_and_back_down(url):
    engine = create_store_engine(url)
    tables = {table.name for table in metadata.sorted_tables}
    with engine.begin() as connection:
        command.upgrade(migration_config(connection), "head")
    assert tables <= set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        command.downgrade(migration_config(connection), "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    with engine.begin() as connection:
        command.upgrade(migration_config(connection), "head")
    assert tables <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_the_migration_builds_exactly_the_tables_of_the_schema(store, url):
    engine = create_store_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert differences == []


def test_the_alembic_command_line_migrates_the_stores_own_database(url):
    """alembic.ini names no database: migrations/env.py reads the store's setting, $RNN_CLASS_DB."""
    environment = {**os.environ, "RNN_CLASS_DB": url}
    for step in ("head", "base"):
        verb = "upgrade" if step == "head" else "downgrade"
        done = subprocess.run([sys.executable, "-m", "alembic", verb, step], cwd=REPO, env=environment,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert "sqlalchemy.url" not in (REPO / "alembic.ini").read_text()


# -- the package's rules


def test_the_store_never_imports_streamlit():
    for path in Path(classroom.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(name.split(".")[0] == "streamlit" for name in names), path


def fields(template: str) -> set[str]:
    return {name for _text, name, _spec, _conversion in string.Formatter().parse(template) if name is not None}


def test_every_store_message_has_words_for_the_page_with_the_same_fields():
    assert set(CLASS_WORDS) == set(MESSAGES)
    assert [code for code in MESSAGES if fields(MESSAGES[code]) != fields(CLASS_WORDS[code])] == []
    assert class_words(ClassMessage("class.anonymous", number=7)) == "Student 7"  # outside a page: English


def test_every_store_error_raised_has_a_code_with_its_fields():
    wrong = []
    for path in Path(classroom.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("class."):
                if node.value not in MESSAGES:
                    wrong.append(f"{path.name}:{node.lineno}: {node.value} is not in MESSAGES")
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") in
                    {"ClassMessage", "ClassNotFound", "NotTeacher", "NotMember", "InvalidInput"}):
                continue
            if node.args and isinstance(node.args[0], ast.Name):
                continue  # a code handed in (_clean's): the constants themselves are checked above
            code = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
            if code not in MESSAGES or {k.arg for k in node.keywords} != fields(MESSAGES[code]):
                wrong.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert not wrong, wrong


def test_every_store_message_is_translated():
    with CATALOG.open("rb") as file:
        catalog = read_po(file, locale="zh_CN")
    extracted = code_messages()
    untranslated = [template for template in CLASS_WORDS.values()
                    if template not in extracted or not (entry := catalog.get(template)) or entry.fuzzy
                    or not entry.string]
    assert not untranslated, untranslated


@pytest.mark.parametrize("error", [ClassNotFound("class.not_found"), NotTeacher("class.not_teacher"),
                                   NotMember("class.not_member"), InvalidInput("class.nickname_too_long",
                                                                               limit=24, count=30),
                                   StoreUnavailable()], ids=lambda error: type(error).__name__)
def test_every_class_error_pickles_with_its_code_and_fields(error):
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.code, copy.fields, str(copy)) == (type(error), error.code, error.fields, str(error))
