"""The class store: classes, members, pacing, questions, answers and the gallery, kept in a real database.

One ClassStore per process, shared by all its page runs. Every method is one transaction, committed before
it returns: an answer a student was told was sent is on disk. What comes back is plain dataclasses, never
rows. Teacher actions need the class's teacher key, student actions the student's token; both are secrets
kept only as their SHA-256, compared in constant time, and hidden from every repr.

The database is $RNN_CLASS_DB (PostgreSQL for replicas that share one class), else an SQLite file under the
data root. Opening the store migrates it to the newest schema, so a fresh file or database just works. When
the database cannot be reached, every method raises StoreUnavailable and the page says it is reconnecting.

It also counts the wrong class codes typed from each client address, for a limit that holds across reloads
and replicas; the address is kept only as a keyed hash, and only for a minute or two.
"""
from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, Row, create_engine, delete, event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from classroom.errors import (ClassMessage, ClassNotFound, InvalidInput, NotMember, NotTeacher,
                              StoreUnavailable)
from classroom.schema import (CHOICE_LIMIT, CODE_LENGTH, KINDS, LABEL_LIMIT, NICKNAME_LIMIT, PAGE_LIMIT,
                              QUESTION_ID_LIMIT, SURNAME_LIMIT, address_key, answers, classes, gallery, members,
                              questions, wrong_codes)
from rnn_core.data_root import data_root
from rnn_core.settings import class_database_url, class_hours

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_FILE = "classes.sqlite3"
SQLITE_BUSY_MS = 5000  # how long a write waits for another one to finish before the store gives up
# Read aloud or typed from a projector: no 0/O, 1/I/L, 2/Z, 5/S or 8/B to mix up.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_TRIES = 20  # a new code is drawn again while it is taken
KEY_BYTES = 24  # teacher keys and student tokens: 192 random bits
OPTIONS_LIMIT = 8
LANGUAGES_LIMIT = 18  # every language the names model knows
IMAGE_LIMIT = 16_384  # bytes: a 28x28 PNG is far smaller
RAW_IMAGE_BYTES = 28 * 28
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ACTIVITIES = ("question", *KINDS)
# Wrong class codes from one address (a whole class behind a school's NAT shares one), in WRONG_CODE_WINDOW;
# each session has its own, smaller limit too (ui/class_session.py). Why these numbers: docs/decisions/021.
WRONG_CODE_WINDOW = timedelta(minutes=1)
ADDRESS_WRONG_CODE_LIMIT = 100  # 40 students mistyping twice in a minute stay below; 1 in 3,400 to guess a class
# Errors that mean the database is down or unreachable, not that a statement was wrong.
OUTAGES = (OperationalError, InterfaceError, PoolTimeout)
READ_ONLY = "class_store_read_only"  # a transaction's execution option: it only reads


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def database_url() -> str:
    """$RNN_CLASS_DB, else the SQLite file under the data root."""
    return class_database_url() or f"sqlite:///{data_root() / SQLITE_FILE}"


def class_lifetime() -> timedelta:
    """How long a class lasts: $RNN_CLASS_HOURS (settings.class_hours gives the reason when it is not used)."""
    return timedelta(hours=class_hours()[0])


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def display_name(number: int, nickname: str | None, hide_nickname: bool = False) -> ClassMessage:
    """The nickname, or "Student N" when there is none or nicknames are hidden; for ui/class_words.py to put
    in the visitor's language."""
    if nickname and not hide_nickname:
        return ClassMessage("class.nickname", nickname=nickname)
    return ClassMessage("class.anonymous", number=number)


@dataclass(frozen=True)
class NewClass:
    """A class just opened. The teacher key goes into the teacher's own link and nowhere else."""

    code: str
    teacher_key: str = field(repr=False)
    expires_at: datetime


@dataclass(frozen=True)
class ClassState:
    """What every page of the class follows: where the teacher sends it, and what students may do."""

    code: str
    created_at: datetime
    expires_at: datetime
    page: str | None  # a page's link with its setup; None until the teacher sends the class somewhere
    navigation_locked: bool
    paused: bool
    hide_nicknames: bool


@dataclass(frozen=True)
class Member:
    id: int
    number: int  # "Student 7": the order of joining, within the class
    nickname: str | None
    joined_at: datetime

    def display_name(self, hide_nickname: bool = False) -> ClassMessage:
        return display_name(self.number, self.nickname, hide_nickname)


@dataclass(frozen=True)
class Joined:
    """A student just joined. The token goes into the student's own link, so a reload keeps them in."""

    member: Member
    token: str = field(repr=False)


@dataclass(frozen=True)
class Question:
    id: int
    page: str
    question_id: str  # which of the page's ready questions
    options: tuple[str, ...]
    revealed: bool
    created_at: datetime


@dataclass(frozen=True)
class Tally:
    question: Question
    counts: dict[str, int]  # every option, in the question's order, with its number of answers

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Drawing:
    id: int
    student: ClassMessage  # the display name, with nicknames hidden when the class hides them
    image: bytes = field(repr=False)  # a 28x28 PNG, or 784 grey bytes row by row
    label: str  # what the teacher asked for, e.g. "7" or "any"
    reading: str  # the model's answer
    confidence: float
    created_at: datetime


@dataclass(frozen=True)
class NameEntry:
    id: int
    student: ClassMessage
    surname: str
    languages: tuple[tuple[str, float], ...]  # the model's top languages, each with its confidence
    created_at: datetime


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:
    # The driver's own transaction handling is switched off: SQLAlchemy's "begin" event below starts each.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite's default is off: deleting a class would leave its rows
    cursor.close()


def _begin(connection: Connection) -> None:
    # A writer takes the write lock first: a transaction that reads, then writes, would otherwise fail at once
    # when another wrote in between, instead of waiting its turn. A reader takes none: in WAL mode it reads
    # the last commit, so the polls of a whole class never queue behind each other or behind a write.
    reading = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN DEFERRED" if reading else "BEGIN IMMEDIATE")


def create_store_engine(url: str) -> Engine:
    """An engine for the store: SQLite in WAL mode with a busy timeout, or PostgreSQL whose pooled
    connections are checked before use, so a database that restarted is reconnected to."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreUnavailable() from error
        engine = create_engine(parsed, hide_parameters=True)
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(parsed, hide_parameters=True, pool_pre_ping=True)


def upgrade(engine: Engine) -> None:
    """Migrate the database to the newest schema (alembic upgrade head), on one of the store's connections."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _clean(text: str, limit: int, too_long: str, invisible: str) -> str:
    """The text as it will be kept, NFC and stripped; refused when too long or holding characters a reader
    cannot see (control, format and private-use characters, such as a right-to-left override)."""
    text = unicodedata.normalize("NFC", text).strip()
    if any(unicodedata.category(character).startswith("C") for character in text):
        raise InvalidInput(invisible)
    if len(text) > limit:
        raise InvalidInput(too_long, limit=limit, count=len(text))
    return text


def _is_label(value: object) -> bool:
    return (isinstance(value, str) and 0 < len(value) <= LABEL_LIMIT
            and not any(unicodedata.category(character).startswith("C") for character in value))


def _is_confidence(value: object) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and 0 <= value <= 1


class ClassStore:
    """The classes of every replica that shares the database; see the module's docstring."""

    def __init__(self, url: str | None = None, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._engine = create_store_engine(url or database_url())
        self._clock = clock
        try:
            upgrade(self._engine)
            with self._engine.begin() as connection:  # the key every replica hashes addresses with
                self._address_key = bytes.fromhex(connection.execute(select(address_key.c.secret)).scalar_one())
        except OUTAGES as error:
            self._engine.dispose()
            raise StoreUnavailable() from error

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _transaction(self, read_only: bool = False) -> Iterator[Connection]:
        """One transaction, committed when the block ends; an outage becomes StoreUnavailable. A read-only one
        never waits for a writer (see _begin)."""
        try:
            with self._engine.connect() as connection:
                connection.execution_options(**{READ_ONLY: read_only})  # read by _begin on SQLite
                with connection.begin():
                    yield connection
        except OUTAGES as error:
            raise StoreUnavailable() from error

    # -- classes, and who may lead them

    def open_class(self, now: datetime | None = None, lifetime: timedelta | None = None) -> NewClass:
        """A new class with a fresh code and teacher key, deleted `lifetime` (default: class_lifetime()) after
        `now`."""
        now = now or self._clock()
        expires_at = now + (lifetime or class_lifetime())
        key = secrets.token_urlsafe(KEY_BYTES)
        for _ in range(CODE_TRIES):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with self._transaction() as connection:
                    connection.execute(classes.insert().values(
                        code=code, teacher_key_hash=_hash(key), created_at=now, expires_at=expires_at,
                        navigation_locked=False, paused=False, hide_nicknames=False, members_joined=0))
            except IntegrityError:
                continue  # the code is taken: draw another
            return NewClass(code=code, teacher_key=key, expires_at=expires_at)
        raise RuntimeError("no free class code after many tries: the codes are nearly all in use")

    def _class(self, connection: Connection, code: str) -> Row:
        """The class's row, if the class exists and has not expired; codes are read in any case and spacing."""
        typed = "".join(code.split()).upper()
        row = connection.execute(select(classes).where(classes.c.code == typed,
                                                       classes.c.expires_at > self._clock())).first()
        if row is None:
            raise ClassNotFound("class.not_found")
        return row

    def _led_class(self, connection: Connection, code: str, key: str) -> Row:
        row = self._class(connection, code)
        if not hmac.compare_digest(_hash(key), row.teacher_key_hash):
            raise NotTeacher("class.not_teacher")
        return row

    def teacher(self, code: str, key: str) -> bool:
        """Whether `key` is the class's teacher key (False for a class that does not exist)."""
        try:
            with self._transaction(read_only=True) as connection:
                self._led_class(connection, code, key)
        except (ClassNotFound, NotTeacher):
            return False
        return True

    def state(self, code: str) -> ClassState:
        """Where the class is: what every student's page polls."""
        with self._transaction(read_only=True) as connection:
            row = self._class(connection, code)
        return ClassState(code=row.code, created_at=row.created_at, expires_at=row.expires_at, page=row.page,
                          navigation_locked=row.navigation_locked, paused=row.paused,
                          hide_nicknames=row.hide_nicknames)

    def member_count(self, code: str, key: str) -> int:
        """How many students have joined the class, for the teacher's screen."""
        with self._transaction(read_only=True) as connection:
            row = self._led_class(connection, code, key)
            return connection.execute(select(func.count()).select_from(members)
                                      .where(members.c.class_id == row.id)).scalar_one()

    def _update_class(self, code: str, key: str, **values: object) -> None:
        with self._transaction() as connection:
            row = self._led_class(connection, code, key)
            connection.execute(update(classes).where(classes.c.id == row.id).values(**values))

    def set_pacing(self, code: str, key: str, page: str | None) -> None:
        """Send the class to a page: its link with the setup (None: no page, students roam)."""
        if page is not None and len(page) > PAGE_LIMIT:
            raise InvalidInput("class.page_too_long", limit=PAGE_LIMIT)
        self._update_class(code, key, page=page)

    def lock(self, code: str, key: str, locked: bool) -> None:
        """Keep students on the current page, or let them go."""
        self._update_class(code, key, navigation_locked=locked)

    def pause(self, code: str, key: str, paused: bool) -> None:
        """Pause the class: students see "eyes on the teacher" until it resumes."""
        self._update_class(code, key, paused=paused)

    def hide_nicknames(self, code: str, key: str, hidden: bool) -> None:
        """Show every student as "Student N" on the projector."""
        self._update_class(code, key, hide_nicknames=hidden)

    def expire_classes(self, now: datetime | None = None) -> int:
        """Delete every class past its end, with everything it held, and the wrong codes no limit counts any
        more; how many classes went."""
        now = now or self._clock()
        with self._transaction() as connection:
            result = connection.execute(delete(classes).where(classes.c.expires_at <= now))
            connection.execute(delete(wrong_codes).where(wrong_codes.c.typed_at <= now - WRONG_CODE_WINDOW))
        return result.rowcount

    # -- wrong codes, counted per client address

    def _address_hash(self, address: str) -> str:
        """The address as it is stored: an HMAC under the database's own key, so no address is kept."""
        return hmac.new(self._address_key, address.encode(), hashlib.sha256).hexdigest()

    def count_wrong_code(self, address: str) -> None:
        """Note that someone at `address` typed a code no class has."""
        with self._transaction() as connection:
            connection.execute(wrong_codes.insert().values(address_hash=self._address_hash(address),
                                                           typed_at=self._clock()))

    def wrong_code_wait(self, address: str) -> int:
        """Whole seconds before `address` may try another code: 0 while it has typed fewer than
        ADDRESS_WRONG_CODE_LIMIT wrong ones in the last WRONG_CODE_WINDOW, on any replica."""
        now = self._clock()
        with self._transaction(read_only=True) as connection:
            latest = connection.execute(
                select(wrong_codes.c.typed_at)
                .where(wrong_codes.c.address_hash == self._address_hash(address),
                       wrong_codes.c.typed_at > now - WRONG_CODE_WINDOW)
                .order_by(wrong_codes.c.typed_at.desc()).limit(ADDRESS_WRONG_CODE_LIMIT)).scalars().all()
        if len(latest) < ADDRESS_WRONG_CODE_LIMIT:
            return 0
        # The limit's worth of latest codes: once the oldest of them leaves the window, one more try is allowed.
        return max(1, math.ceil((latest[-1] + WRONG_CODE_WINDOW - now).total_seconds()))

    # -- students

    def join(self, code: str, nickname: str | None = None) -> Joined:
        """A new member of the class, numbered in order of joining; a blank nickname means none."""
        if nickname is not None:
            nickname = _clean(nickname, NICKNAME_LIMIT, "class.nickname_too_long", "class.nickname_invisible")
        token = secrets.token_urlsafe(KEY_BYTES)
        now = self._clock()
        with self._transaction() as connection:
            row = self._class(connection, code)
            # One UPDATE numbers the student: two joining at once through two replicas get two numbers.
            number = connection.execute(update(classes).where(classes.c.id == row.id)
                                        .values(members_joined=classes.c.members_joined + 1)
                                        .returning(classes.c.members_joined)).scalar_one()
            member_id = connection.execute(members.insert().values(
                class_id=row.id, token_hash=_hash(token), number=number, nickname=nickname or None,
                joined_at=now)).inserted_primary_key[0]
        return Joined(member=Member(id=member_id, number=number, nickname=nickname or None, joined_at=now),
                      token=token)

    def _member(self, connection: Connection, code: str, token: str) -> tuple[Row, Row]:
        """The class and the member whose token this is, in that class."""
        row = self._class(connection, code)
        member = connection.execute(select(members).where(members.c.class_id == row.id,
                                                          members.c.token_hash == _hash(token))).first()
        if member is None:
            raise NotMember("class.not_member")
        return row, member

    def member(self, code: str, token: str) -> Member:
        """The student whose token this is: how a reload or another replica finds them again."""
        with self._transaction(read_only=True) as connection:
            _row, member = self._member(connection, code, token)
        return Member(id=member.id, number=member.number, nickname=member.nickname, joined_at=member.joined_at)

    # -- predict, then reveal

    def ask(self, code: str, key: str, page: str, question_id: str, options: Sequence[str]) -> Question:
        """Put one of a page's ready questions to the class, with the answers a student may choose from."""
        options = tuple(options)
        if not (2 <= len(options) <= OPTIONS_LIMIT and len(set(options)) == len(options)
                and all(isinstance(option, str) and 0 < len(option) <= CHOICE_LIMIT for option in options)):
            raise InvalidInput("class.options_unreadable", limit=OPTIONS_LIMIT)
        if len(page) > PAGE_LIMIT:
            raise InvalidInput("class.page_too_long", limit=PAGE_LIMIT)
        if not 0 < len(question_id) <= QUESTION_ID_LIMIT:
            raise InvalidInput("class.question_id_unreadable", limit=QUESTION_ID_LIMIT)
        now = self._clock()
        with self._transaction() as connection:
            row = self._led_class(connection, code, key)
            question = connection.execute(questions.insert().values(
                class_id=row.id, page=page, question_id=question_id, options=list(options), state="open",
                created_at=now)).inserted_primary_key[0]
        return Question(id=question, page=page, question_id=question_id, options=options, revealed=False,
                        created_at=now)

    @staticmethod
    def _question(connection: Connection, class_id: int, question: int) -> Row:
        row = connection.execute(select(questions).where(questions.c.id == question,
                                                         questions.c.class_id == class_id)).first()
        if row is None:
            raise InvalidInput("class.question_unknown")
        return row

    @staticmethod
    def _as_question(row: Row) -> Question:
        return Question(id=row.id, page=row.page, question_id=row.question_id, options=tuple(row.options),
                        revealed=row.state == "revealed", created_at=row.created_at)

    def asked_questions(self, code: str) -> list[Question]:
        """The class's questions, newest first: a student's page shows the newest."""
        with self._transaction(read_only=True) as connection:
            row = self._class(connection, code)
            rows = connection.execute(select(questions).where(questions.c.class_id == row.id)
                                      .order_by(questions.c.id.desc())).all()
        return [self._as_question(question) for question in rows]

    def answer(self, code: str, token: str, question: int, choice: str) -> None:
        """The student's answer, replacing any earlier one; committed before this returns."""
        now = self._clock()
        with self._transaction() as connection:
            row, member = self._member(connection, code, token)
            asked = self._question(connection, row.id, question)
            if asked.state == "revealed":
                raise InvalidInput("class.question_revealed")
            if choice not in asked.options:
                raise InvalidInput("class.choice_unknown")
            insert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(answers)
            connection.execute(insert.values(question_id=question, member_id=member.id, choice=choice,
                                             answered_at=now)
                               .on_conflict_do_update(index_elements=["question_id", "member_id"],
                                                      set_={"choice": choice, "answered_at": now}))

    def my_answer(self, code: str, token: str, question: int) -> str | None:
        """The student's own answer to the question, if any: shown again after a reload."""
        with self._transaction(read_only=True) as connection:
            row, member = self._member(connection, code, token)
            self._question(connection, row.id, question)
            return connection.execute(select(answers.c.choice).where(answers.c.question_id == question,
                                                                     answers.c.member_id == member.id)).scalar()

    def reveal(self, code: str, key: str, question: int) -> None:
        """Close the question: the teacher shows the answer, and no student can change theirs."""
        with self._transaction() as connection:
            row = self._led_class(connection, code, key)
            self._question(connection, row.id, question)
            connection.execute(update(questions).where(questions.c.id == question).values(state="revealed"))

    def tally(self, code: str, key: str, question: int) -> Tally:
        """How many students gave each answer, for the projector's bar chart."""
        with self._transaction(read_only=True) as connection:
            row = self._led_class(connection, code, key)
            asked = self._as_question(self._question(connection, row.id, question))
            counted = dict(connection.execute(select(answers.c.choice, func.count())
                                              .where(answers.c.question_id == question)
                                              .group_by(answers.c.choice)).all())
        return Tally(question=asked, counts={option: counted.get(option, 0) for option in asked.options})

    # -- the gallery: the class's drawings and names

    def _add_entry(self, code: str, token: str, kind: str, **values: object) -> tuple[int, ClassMessage, datetime]:
        now = self._clock()
        with self._transaction() as connection:
            row, member = self._member(connection, code, token)
            entry = connection.execute(gallery.insert().values(
                class_id=row.id, member_id=member.id, kind=kind, created_at=now, **values)).inserted_primary_key[0]
        return entry, display_name(member.number, member.nickname, row.hide_nicknames), now

    def add_drawing(self, code: str, token: str, image: bytes, label: str, reading: str,
                    confidence: float) -> Drawing:
        """A student's drawing for the gallery: the image, the digit asked for, and what the model read."""
        if not (isinstance(image, bytes) and (len(image) == RAW_IMAGE_BYTES
                                              or image.startswith(PNG_SIGNATURE) and len(image) <= IMAGE_LIMIT)):
            raise InvalidInput("class.drawing_unreadable")
        if not (_is_label(label) and _is_label(reading) and _is_confidence(confidence)):
            raise InvalidInput("class.reading_unreadable", limit=LABEL_LIMIT)
        entry, student, now = self._add_entry(code, token, "drawing", image=image, label=label, reading=reading,
                                              confidence=float(confidence))
        return Drawing(id=entry, student=student, image=image, label=label, reading=reading,
                       confidence=float(confidence), created_at=now)

    def add_name(self, code: str, token: str, surname: str, languages: Sequence[tuple[str, float]]) -> NameEntry:
        """A student's surname for the gallery, with the languages the model gives it."""
        surname = _clean(surname, SURNAME_LIMIT, "class.surname_too_long", "class.surname_invisible")
        if not surname:
            raise InvalidInput("class.surname_empty")
        languages = tuple((language, float(confidence)) for language, confidence in languages
                          if _is_label(language) and _is_confidence(confidence))
        if not 0 < len(languages) <= LANGUAGES_LIMIT:
            raise InvalidInput("class.reading_unreadable", limit=LABEL_LIMIT)
        entry, student, now = self._add_entry(code, token, "name", surname=surname,
                                              languages=[list(pair) for pair in languages])
        return NameEntry(id=entry, student=student, surname=surname, languages=languages, created_at=now)

    def _entries(self, code: str, key: str, kind: str) -> tuple[Row, list[Row]]:
        with self._transaction(read_only=True) as connection:
            row = self._led_class(connection, code, key)
            entries = connection.execute(
                select(gallery, members.c.number, members.c.nickname)
                .join(members, members.c.id == gallery.c.member_id)
                .where(gallery.c.class_id == row.id, gallery.c.kind == kind).order_by(gallery.c.id)).all()
        return row, entries

    def drawings(self, code: str, key: str) -> list[Drawing]:
        """The class's drawings, oldest first, for the projector's grid."""
        row, entries = self._entries(code, key, "drawing")
        return [Drawing(id=entry.id, student=display_name(entry.number, entry.nickname, row.hide_nicknames),
                        image=entry.image, label=entry.label, reading=entry.reading, confidence=entry.confidence,
                        created_at=entry.created_at) for entry in entries]

    def names(self, code: str, key: str) -> list[NameEntry]:
        """The class's names, oldest first, for the projector's chart and list."""
        row, entries = self._entries(code, key, "name")
        return [NameEntry(id=entry.id, student=display_name(entry.number, entry.nickname, row.hide_nicknames),
                          surname=entry.surname, languages=tuple(map(tuple, entry.languages)),
                          created_at=entry.created_at) for entry in entries]

    def remove_entry(self, code: str, key: str, entry: int) -> None:
        """Take one drawing or name off the gallery, for good."""
        with self._transaction() as connection:
            row = self._led_class(connection, code, key)
            removed = connection.execute(delete(gallery).where(gallery.c.id == entry, gallery.c.class_id == row.id))
            if removed.rowcount != 1:
                raise InvalidInput("class.entry_unknown")

    def clear_activity(self, code: str, key: str, activity: str) -> None:
        """Delete every question (with its answers), every drawing or every name of the class."""
        if activity not in ACTIVITIES:
            raise InvalidInput("class.activity_unknown", activity=activity, choices=", ".join(ACTIVITIES))
        with self._transaction() as connection:
            row = self._led_class(connection, code, key)
            if activity == "question":
                connection.execute(delete(questions).where(questions.c.class_id == row.id))
            else:
                connection.execute(delete(gallery).where(gallery.c.class_id == row.id, gallery.c.kind == activity))
