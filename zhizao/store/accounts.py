"""Accounts of the multi-user server: users, sessions, API tokens and the audit log (docs/accounts.md).

The tables are Alembic revision 0002 in a PostgreSQL database (`Accounts(url)` upgrades it first).
Secrets are stored only as hashes: passwords as argon2id (argon2-cffi), session cookies and API
tokens as their SHA-256. Times are naive UTC, as in the other tables.

Sessions: a random 32-byte token; idle expiry SESSION_IDLE, absolute expiry SESSION_ABSOLUTE. A
disabled user's sessions and tokens stop working at once (every lookup joins `users`). Lock-out:
LOCK_AFTER failures in a row lock the account for LOCK_FOR, kept in users.failed_logins/locked_until
so that every server process sees it. Every change writes an audit row.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import threading
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from zhizao.codes.regions import DISTRICTS
from zhizao.errors import UserError
from zhizao.store import postgres
from zhizao.store.store import AUDIT_COLUMNS

ROLES = ("admin", "analyst", "district", "guest")
SESSION_IDLE = timedelta(minutes=30)
SESSION_ABSOLUTE = timedelta(hours=12)
SESSION_TOUCH = timedelta(minutes=1)  # a session's last_seen is written when older than this
# The session's account, and its idle clock restarted when the clock is older than SESSION_TOUCH: one
# statement (the UPDATE of the CTE runs whether or not the SELECT reads it), by the primary keys.
SESSION_LOOKUP = (
    "WITH live AS (SELECT s.session_hash, s.last_seen, u.username, u.role, u.region, u.display_name "
    "FROM sessions s JOIN users u ON u.username = s.username WHERE s.session_hash = %(hash)s "
    "AND u.disabled_at IS NULL AND s.expires_at > %(now)s AND s.last_seen > %(idle)s), "
    "touched AS (UPDATE sessions s SET last_seen = %(now)s FROM live "
    "WHERE s.session_hash = live.session_hash AND live.last_seen < %(stale)s) "
    "SELECT username, role, region, display_name FROM live")
LOCK_AFTER = 5  # failed logins in a row
LOCK_FOR = timedelta(minutes=15)
MIN_PASSWORD = 10
MIN_DISTINCT = 5  # different characters a password needs (aaaaaaaaaa, ababababab are refused)
MAX_USERNAME = 64  # check_username; a login's name is cut to this before anything else
TOKEN_BYTES = 32
POOL_MAX = 8  # connections per process: a session lookup per request (one round trip), audit rows (a commit each)
TOKEN_DAYS = 365  # an API token's default lifetime (zhizao user token --expires-days; 0: never)
MAX_TOKEN_NAME = 40
# Seconds a lookup waits for a pooled connection before opening one of its own. The pool hands out
# nothing while the server is down or restarting (it reconnects in the background, with backoff):
# the own connection then fails at once (StoreUnavailable → 503) or, once the server is back,
# succeeds without waiting for the pool's next attempt.
POOL_WAIT = 0.5

HASHER = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) parameters
# Verified when the user does not exist, so that an unknown name costs what a wrong password does.
_DUMMY_HASH = HASHER.hash("zhizao-no-such-user-" + secrets.token_hex(8))


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    region: str | None = None
    display_name: str | None = None


@dataclass(frozen=True)
class LoginResult:
    account: Account | None  # set when the login succeeded
    outcome: str  # ok | bad (unknown user or wrong password) | locked | disabled
    locked_until: datetime | None = None


def check_password(username: str, password: str) -> None:
    """The password policy (docs/accounts.md): at least MIN_PASSWORD characters, not the user name,
    at least MIN_DISTINCT different characters, not only digits, not a run along the alphabet or a
    keyboard row (1234567890, qwertyuiop, abcdefghij, either way), and none of the most common
    passwords (zhizao/resources/common-passwords.txt, shipped with the package; also a common word
    followed by digits or symbols: password2024!). UserError naming the rule."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"密码至少 {MIN_PASSWORD} 个字符", f"the password needs at least {MIN_PASSWORD} characters")
    if password.strip().lower() == username.strip().lower():
        raise UserError("密码不能与用户名相同", "the password may not be the user name")
    if len(set(password)) < MIN_DISTINCT:
        raise UserError(f"密码太简单：至少要有 {MIN_DISTINCT} 个不同的字符（不能是同一字符重复）",
                        f"the password is too simple: it needs at least {MIN_DISTINCT} different characters "
                        "(not one character repeated)")
    if password.isdigit():
        raise UserError("密码太简单：不能全是数字；请加入字母或其他字符",
                        "the password is too simple: not only digits; add letters or other characters")
    low = password.lower()
    if any(low in row for row in _RUNS):
        raise UserError("密码太简单：不能是按字母表或键盘顺序排列的字符（如 1234567890、qwertyuiop、abcdefghij）",
                        "the password is too simple: not a run along the alphabet or a keyboard row "
                        "(like 1234567890, qwertyuiop, abcdefghij)")
    base = low.rstrip("0123456789!@#$%^&*._-+=?~ ")
    if low in _common_passwords() or (base in _COMMON_WORDS and low != base):
        raise UserError("密码太常见（属于最常用的密码之列）：请换一个别人猜不到的密码，如几个不相关的词加数字",
                        "the password is too common (among the most used passwords): choose one nobody would "
                        "guess, e.g. a few unrelated words with digits")


# Runs that check_password refuses within (both ways, wrapping round): the alphabet, the digits and
# the rows of a keyboard.
_ROWS = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv5tgb")
_RUNS = tuple(r * 3 for row in _ROWS for r in (row, row[::-1]))
# Words that with only digits or symbols after them make a common password (password2024!, admin@123).
_COMMON_WORDS = frozenset({"password", "passw0rd", "p@ssw0rd", "p@ssword", "qwerty", "admin", "administrator",
                           "welcome", "letmein", "iloveyou", "woaini", "zhizao", "changeme", "abc", "test", "root",
                           "chongqing", "qwertyuiop", "asdfghjkl", "user", "guest", "pass"})
COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "resources" / "common-passwords.txt"


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip().lower() for ln in lines if ln.strip() and not ln.startswith("#"))


def check_token_name(name: str) -> None:
    """A token's name: 1–MAX_TOKEN_NAME letters, digits or . _ - (no spaces, tabs or quotes: it is
    typed after --name and shown in lists)."""
    if not name or len(name) > MAX_TOKEN_NAME or not all(c.isalnum() or c in "._-" for c in name):
        raise UserError(f"令牌名称须为 1—{MAX_TOKEN_NAME} 个字母、数字或 . _ -（如 nightly、report-2025）",
                        f"a token name is 1–{MAX_TOKEN_NAME} letters, digits or . _ - (e.g. nightly, report-2025)")


def check_username(username: str) -> None:
    if not username or len(username) > MAX_USERNAME or not all(c.isalnum() or c in "._-@" for c in username):
        raise UserError("用户名须为 1—64 个字母、数字或 . _ - @",
                        "a user name is 1–64 letters, digits or . _ - @")


def check_role(role: str, region: str | None) -> str | None:
    """The region a user of `role` is bound to (None but for district users); UserError otherwise."""
    if role not in ROLES:
        raise UserError(f"角色须为 {'、'.join(ROLES)} 之一", f"role must be one of {', '.join(ROLES)}")
    if role == "district":
        if not region:
            raise UserError("区县用户须用 --region 指定所属区县的行政区划代码（GB/T 2260，如 " + next(iter(DISTRICTS)) + "）",
                            "a district user needs --region: the district's GB/T 2260 code (e.g. "
                            + next(iter(DISTRICTS)) + ")")
        if region not in DISTRICTS:
            raise UserError(f"“{region[:20]}”不是已知的区县代码（GB/T 2260）；区县代码见 zhizao plan show",
                            f"'{region[:20]}' is not a known district code (GB/T 2260); see zhizao plan show")
        return region
    if region:
        raise UserError("只有区县用户（--role district）绑定区县；其他角色不用 --region",
                        "only district users (--role district) are bound to a district; drop --region")
    return None


class Accounts:
    """The accounts database at `url` (a PostgreSQL URL); its schema is upgraded on open."""

    def __init__(self, url: str, *, migrate: bool = True):
        if not postgres.is_postgres(url):
            raise UserError("账户只用于服务器模式（PostgreSQL）：请设置 ZHIZAO_DB=postgresql://用户@主机:端口/库名",
                            "accounts exist only in server mode (PostgreSQL): set ZHIZAO_DB=postgresql://user@host:port/db")
        self.url = postgres.libpq_url(url)
        if migrate:
            postgres.upgrade(url)
        from psycopg_pool import ConnectionPool  # the pool package: only when accounts are opened

        # check_connection: a connection broken by a server restart is replaced, not handed out.
        # Failed logins of names that are no account, counted in this process as users.failed_logins
        # counts an account's: an unknown name is "locked" after LOCK_AFTER failures too, so the
        # answers (and their timing) never tell which names exist.
        self._unknown: dict[str, tuple[int, datetime | None]] = {}
        self._unknown_lock = threading.Lock()
        self.pool = ConnectionPool(self.url, min_size=1, max_size=POOL_MAX, open=True, timeout=postgres.CONNECT_TIMEOUT,
                                   kwargs={"connect_timeout": postgres.CONNECT_TIMEOUT},
                                   check=ConnectionPool.check_connection)

    def close(self) -> None:
        self.pool.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def _conn(self):
        """A connection for one unit of work (committed at the end, rolled back on an error). A server
        that cannot be reached, or that drops the connection (a restart), raises StoreUnavailable
        naming the database: never a wait longer than POOL_WAIT plus the connect timeout."""
        import psycopg  # the driver: loaded with the pool in __init__ already
        from psycopg_pool import PoolTimeout  # the pool package: loaded in __init__ already

        try:
            pooled = self.pool.connection(timeout=POOL_WAIT)
            con = pooled.__enter__()
        except PoolTimeout:
            pooled = None
        try:
            if pooled is None:
                with postgres.connect(self.url) as con:  # StoreUnavailable when the server is down
                    yield con
                return
            try:
                yield con
            except BaseException as e:
                if not pooled.__exit__(type(e), e, e.__traceback__):
                    raise
            else:
                pooled.__exit__(None, None, None)
        except psycopg.OperationalError as e:  # the connection broke (a restart) or the commit failed
            raise postgres.StoreUnavailable(self.url, str(e)) from None

    # --- users ------------------------------------------------------------------------------
    def add_user(self, username: str, role: str, password: str, *, region: str | None = None,
                 display_name: str | None = None, actor: str = "system", ip: str | None = None) -> Account:
        check_username(username)
        region = check_role(role, region)
        check_password(username, password)
        with self._conn() as con:
            if con.execute("SELECT 1 FROM users WHERE username = %s", [username]).fetchone():
                raise UserError(f"用户“{username}”已存在", f"user '{username}' already exists")
            t = now()
            con.execute("INSERT INTO users (username, display_name, role, region, password_hash, created_at, "
                        "password_changed_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [username, display_name, role, region, HASHER.hash(password), t, t])
            self._audit(con, actor, None, "user_add", username, detail={"role": role, "region": region}, ip=ip)
        return Account(username, role, region, display_name)

    def get(self, username: str) -> dict | None:
        with self._conn() as con:
            row = con.execute("SELECT username, display_name, role, region, created_at, disabled_at, failed_logins, "
                              "locked_until FROM users WHERE username = %s", [username]).fetchone()
        if row is None:
            return None
        keys = ("username", "display_name", "role", "region", "created_at", "disabled_at", "failed_logins", "locked_until")
        return dict(zip(keys, row))

    def _require(self, con, username: str) -> None:
        if not con.execute("SELECT 1 FROM users WHERE username = %s", [username]).fetchone():
            raise UserError(f"没有用户“{username}”；用 zhizao user list 查看", f"no user '{username}'; see zhizao user list")

    def list_users(self) -> list[dict]:
        """Every user without secrets: role, region, disabled, locked, last login."""
        with self._conn() as con:
            rows = con.execute(
                "SELECT u.username, u.display_name, u.role, u.region, u.created_at, u.disabled_at, u.locked_until, "
                "(SELECT max(at) FROM audit a WHERE a.actor = u.username AND a.action = 'login') "
                "FROM users u ORDER BY u.username").fetchall()
        t = now()
        return [{"username": r[0], "display_name": r[1], "role": r[2], "region": r[3], "created_at": r[4],
                 "disabled": r[5] is not None, "locked": r[6] is not None and r[6] > t, "locked_until": r[6],
                 "last_login": r[7]} for r in rows]

    def set_disabled(self, username: str, disabled: bool, *, actor: str = "system", ip: str | None = None) -> None:
        """Disable (its sessions are deleted, its tokens stop working) or enable a user."""
        with self._conn() as con:
            self._require(con, username)
            con.execute("UPDATE users SET disabled_at = %s, failed_logins = 0, locked_until = NULL WHERE username = %s",
                        [now() if disabled else None, username])
            if disabled:
                con.execute("DELETE FROM sessions WHERE username = %s", [username])
            self._audit(con, actor, None, "user_disable" if disabled else "user_enable", username, ip=ip)

    def update_user(self, username: str, *, role: str | None = None, region: str | None = None,
                    display_name: str | None = None, actor: str = "system", ip: str | None = None) -> dict:
        """Change a user's role, district or display name (None: unchanged; a role other than district
        drops the district). Audited as user_edit with what changed; returns {field: [before, after]}.
        The next request of the user's sessions and tokens already has the new role (lookups join users)."""
        with self._conn() as con:
            self._require(con, username)
            old_role, old_region, old_name = con.execute(
                "SELECT role, region, display_name FROM users WHERE username = %s FOR UPDATE", [username]).fetchone()
            new_role = role or old_role
            if region is None and new_role == "district" and old_role == "district":
                region = old_region
            new_region = check_role(new_role, region)
            new_name = old_name if display_name is None else (display_name or None)
            changes = {k: [a, b] for k, a, b in (("role", old_role, new_role), ("region", old_region, new_region),
                                                 ("display_name", old_name, new_name)) if a != b}
            if changes:
                con.execute("UPDATE users SET role = %s, region = %s, display_name = %s WHERE username = %s",
                            [new_role, new_region, new_name, username])
                self._audit(con, actor, None, "user_edit", username, detail=changes, ip=ip)
        return changes

    def set_password(self, username: str, password: str, *, actor: str = "system", ip: str | None = None) -> None:
        """A new password; the user's sessions end (a stolen session does not survive the change)."""
        check_password(username, password)
        with self._conn() as con:
            self._require(con, username)
            con.execute("UPDATE users SET password_hash = %s, password_changed_at = %s, failed_logins = 0, "
                        "locked_until = NULL WHERE username = %s", [HASHER.hash(password), now(), username])
            con.execute("DELETE FROM sessions WHERE username = %s", [username])
            self._audit(con, actor, None, "user_passwd", username, ip=ip)

    # --- login --------------------------------------------------------------------------------
    def authenticate(self, username: str, password: str, *, ip: str | None = None) -> LoginResult:
        """Check a password. Unknown users and wrong passwords give the same outcome ("bad") after the
        same work (an argon2 verification); a locked account says "locked" whatever the password, and
        so does an unknown name after as many failures (counted in this process). The caller answers
        "bad" and "locked" alike, so that nothing tells which names exist."""
        username = username[:MAX_USERNAME]
        with self._conn() as con:
            row = con.execute("SELECT username, role, region, display_name, password_hash, disabled_at, failed_logins, "
                              "locked_until FROM users WHERE username = %s FOR UPDATE", [username]).fetchone()
            t = now()
            if row is None:
                _verify(_DUMMY_HASH, password)
                return self._unknown_failure(con, username, t, ip)
            name, role, region, display, hashed, disabled_at, failed, locked_until = row
            if locked_until is not None and locked_until > t:
                _verify(_DUMMY_HASH, password)
                self._audit(con, name, role, "login_failed", None, detail={"reason": "locked"}, ip=ip)
                return LoginResult(None, "locked", locked_until)
            ok = _verify(hashed, password)
            if ok and disabled_at is not None:
                self._audit(con, name, role, "login_failed", None, detail={"reason": "disabled"}, ip=ip)
                return LoginResult(None, "disabled")
            if not ok:
                failed = (0 if locked_until is not None else failed) + 1  # a lock that ran out starts afresh
                until = t + LOCK_FOR if failed >= LOCK_AFTER else None
                con.execute("UPDATE users SET failed_logins = %s, locked_until = %s WHERE username = %s",
                            [0 if until else failed, until, name])
                self._audit(con, name, role, "login_failed", None, detail={"reason": "bad"}, ip=ip)
                if until:
                    self._audit(con, name, role, "lockout", name, detail={"until": until.isoformat()}, ip=ip)
                    return LoginResult(None, "locked", until)
                return LoginResult(None, "bad")
            if HASHER.check_needs_rehash(hashed):
                con.execute("UPDATE users SET password_hash = %s WHERE username = %s", [HASHER.hash(password), name])
            con.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = %s", [name])
            return LoginResult(Account(name, role, region, display), "ok")

    def _unknown_failure(self, con, username: str, t: datetime, ip: str | None) -> LoginResult:
        """A failed login of a name that is no account, counted and locked as an account's would be."""
        with self._unknown_lock:
            failed, until = self._unknown.get(username, (0, None))
            if until is not None and until > t:  # locked already: as an account's lock
                reason, result, newly = "locked", LoginResult(None, "locked", until), False
            else:
                failed = (0 if until is not None else failed) + 1  # a lock that ran out starts afresh
                until = t + LOCK_FOR if failed >= LOCK_AFTER else None
                self._unknown[username] = (0, until) if until else (failed, None)
                reason, newly = "bad", until is not None
                result = LoginResult(None, "locked", until) if until else LoginResult(None, "bad")
            if len(self._unknown) > 10_000:  # forget names that are not locked
                for k in [k for k, (_, u) in self._unknown.items() if u is None or u <= t][:5_000]:
                    del self._unknown[k]
        self._audit(con, username, None, "login_failed", None, detail={"reason": reason}, ip=ip)
        if newly:
            self._audit(con, username, None, "lockout", username, detail={"until": until.isoformat()}, ip=ip)
        return result

    def create_session(self, username: str, *, replaces: str | None = None, ip: str | None = None) -> str:
        """A new session token for `username` (the cookie's value); `replaces` (the visitor's old
        token) is deleted, so the session id is new at every login. Writes the login audit row."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        t = now()
        with self._conn() as con:
            if replaces:
                con.execute("DELETE FROM sessions WHERE session_hash = %s", [digest(replaces)])
            con.execute("INSERT INTO sessions (session_hash, username, created_at, expires_at, last_seen) "
                        "VALUES (%s, %s, %s, %s, %s)", [digest(token), username, t, t + SESSION_ABSOLUTE, t])
            role = con.execute("SELECT role FROM users WHERE username = %s", [username]).fetchone()
            self._audit(con, username, role[0] if role else None, "login", None, ip=ip)
        return token

    def session_account(self, token: str | None) -> Account | None:
        """The account of a live session (not idle longer than SESSION_IDLE, not older than
        SESSION_ABSOLUTE, user not disabled); its idle clock restarts (kept to SESSION_TOUCH: the row
        is written only when its clock is older, so most lookups write nothing).

        Every request asks this, so it is one statement (SESSION_LOOKUP) in autocommit: one round trip,
        by primary keys, no BEGIN/COMMIT and no WAL flush unless the clock is written. A disable, a
        logout or a password change is seen by the next request."""
        if not token or len(token) > 200:
            return None
        t = now()
        with self._conn() as con:
            con.autocommit = True  # idle here (the pool's check ran in autocommit too)
            try:
                row = con.execute(SESSION_LOOKUP, {"hash": digest(token), "now": t, "idle": t - SESSION_IDLE,
                                                   "stale": t - SESSION_TOUCH}).fetchone()
            finally:
                with suppress(Exception):  # a broken connection: the pool discards it
                    con.autocommit = False
        return Account(*row) if row else None

    def end_session(self, token: str | None, *, ip: str | None = None) -> None:
        if not token:
            return
        with self._conn() as con:
            row = con.execute("DELETE FROM sessions s USING users u WHERE s.session_hash = %s AND u.username = s.username "
                              "RETURNING u.username, u.role", [digest(token)]).fetchone()
            if row:
                self._audit(con, row[0], row[1], "logout", None, ip=ip)

    def purge_sessions(self) -> int:
        """Delete expired sessions (a housekeeping call; an expired one never authenticates anyway)."""
        t = now()
        with self._conn() as con:
            return con.execute("DELETE FROM sessions WHERE expires_at <= %s OR last_seen <= %s",
                               [t, t - SESSION_IDLE]).rowcount

    # --- API tokens -------------------------------------------------------------------------------
    def create_token(self, username: str, *, name: str | None = None, expires_days: int | None = TOKEN_DAYS,
                     actor: str = "system", ip: str | None = None) -> str:
        """A new API token (shown once; only its hash is kept), called `name` (check_token_name; unique
        among the user's working tokens) or, without one, token-1, token-2 … (a name the user never had).
        It expires after `expires_days` (TOKEN_DAYS by default; 0 or None: never)."""
        if expires_days is not None and expires_days < 0:
            raise UserError("--expires-days 须为 0（不过期）或正整数", "--expires-days must be 0 (never) or a positive whole number")
        if name is not None:
            check_token_name(name)
        token = "zt_" + secrets.token_urlsafe(TOKEN_BYTES)
        t = now()
        expires = t + timedelta(days=expires_days) if expires_days else None
        with self._conn() as con:
            con.execute("SELECT 1 FROM users WHERE username = %s FOR UPDATE", [username])  # one creator at a time
            self._require(con, username)
            rows = con.execute("SELECT name, revoked_at, expires_at FROM api_tokens WHERE username = %s",
                               [username]).fetchall()
            if name is None:
                used = {r[0] for r in rows}
                name = next(f"token-{n}" for n in range(1, len(used) + 2) if f"token-{n}" not in used)
            elif any(r[0] == name and r[1] is None and (r[2] is None or r[2] > t) for r in rows):
                raise UserError(f"用户 {username} 已有名为“{name}”的有效令牌：请另取名称，或先 zhizao user revoke-token "
                                f"{username} --name {name}",
                                f"user {username} already has a token named '{name}': choose another name, or first run "
                                f"zhizao user revoke-token {username} --name {name}")
            con.execute("INSERT INTO api_tokens (token_hash, username, name, created_at, expires_at) "
                        "VALUES (%s, %s, %s, %s, %s)", [digest(token), username, name, t, expires])
            self._audit(con, actor, None, "token_add", username,
                        detail={"name": name, "expires_days": expires_days or None}, ip=ip)
        return token

    def token_account(self, token: str | None) -> Account | None:
        if not token or len(token) > 200:
            return None
        t = now()
        with self._conn() as con:
            row = con.execute(
                "UPDATE api_tokens k SET last_used = %s FROM users u "
                "WHERE k.token_hash = %s AND u.username = k.username AND u.disabled_at IS NULL "
                "AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > %s) "
                "RETURNING u.username, u.role, u.region, u.display_name", [t, digest(token), t]).fetchone()
        return Account(*row) if row else None

    def revoke_tokens(self, username: str, *, name: str | None = None, actor: str = "system",
                      ip: str | None = None) -> int:
        """Revoke the user's working tokens (only the one called `name` when given); returns how many.
        Nothing to revoke writes nothing (no audit row)."""
        t = now()
        with self._conn() as con:
            self._require(con, username)
            sql = ("UPDATE api_tokens SET revoked_at = %s WHERE username = %s AND revoked_at IS NULL "
                   "AND (expires_at IS NULL OR expires_at > %s)")
            args = [t, username, t]
            if name is not None:
                sql += " AND name = %s"
                args.append(name)
            n = con.execute(sql, args).rowcount
            if n:
                self._audit(con, actor, None, "token_revoke", username, rows=n, detail={"name": name}, ip=ip)
        return n

    def list_tokens(self, username: str) -> list[dict]:
        """The user's tokens, oldest first: name, created, expires, revoked, last used, and `working`
        (not revoked, not expired); never the token or its hash."""
        with self._conn() as con:
            rows = con.execute("SELECT name, created_at, expires_at, revoked_at, last_used FROM api_tokens "
                               "WHERE username = %s ORDER BY created_at", [username]).fetchall()
        t = now()
        keys = ("name", "created_at", "expires_at", "revoked_at", "last_used")
        return [{**dict(zip(keys, r)), "working": r[3] is None and (r[2] is None or r[2] > t)} for r in rows]

    # --- audit ------------------------------------------------------------------------------------
    @staticmethod
    def _audit(con, actor: str, role: str | None, action: str, target: str | None, *, rows: int | None = None,
               detail: dict | None = None, ip: str | None = None) -> None:
        con.execute("INSERT INTO audit (at, actor, role, action, target, rows, detail, ip) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [now(), (actor or "")[:MAX_USERNAME + 8], role, action, target, rows,
                     json.dumps(detail, ensure_ascii=False, default=str) if detail else None, ip])

    def audit(self, actor: str, action: str, target: str | None = None, *, role: str | None = None,
              rows: int | None = None, detail: dict | None = None, ip: str | None = None) -> None:
        with self._conn() as con:
            self._audit(con, actor, role, action, target, rows=rows, detail=detail, ip=ip)

    def audit_log(self, *, actor: str | None = None, action: str | None = None, limit: int = 50,
                  offset: int = 0) -> tuple[list[dict], int]:
        """(rows newest first, total) of the audit log, optionally of one actor and/or action."""
        where, args = [], []
        if actor:
            where.append("actor = %s")
            args.append(actor)
        if action:
            where.append("action = %s")
            args.append(action)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        keys = AUDIT_COLUMNS
        with self._conn() as con:
            total = con.execute("SELECT count(*) FROM audit" + clause, args).fetchone()[0]
            rows = con.execute(f"SELECT {', '.join(keys)} FROM audit{clause} ORDER BY audit_id DESC LIMIT %s OFFSET %s",
                               [*args, limit, offset]).fetchall()
        return [dict(zip(keys, r)) for r in rows], total

    def actions(self) -> list[str]:
        with self._conn() as con:
            return [r[0] for r in con.execute("SELECT DISTINCT action FROM audit ORDER BY action").fetchall()]


def _verify(hashed: str, password: str) -> bool:
    try:
        return HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
