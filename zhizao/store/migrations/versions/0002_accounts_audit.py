"""Accounts, sessions, API tokens and the audit log of the multi-user server (docs/deployment.md).

Secrets are stored only as hashes: passwords as argon2 hashes, session cookies and API tokens as
their SHA-256, so a copy of the database opens no account. Times are UTC, as in the other tables.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DDL = """
CREATE TABLE users (
    username VARCHAR PRIMARY KEY,
    display_name VARCHAR,
    role VARCHAR NOT NULL CHECK (role IN ('admin', 'analyst', 'district', 'guest')),
    region VARCHAR,                 -- GB/T 2260 code of a district user's district
    password_hash VARCHAR NOT NULL, -- argon2
    created_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP,
    disabled_at TIMESTAMP,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    CHECK (role <> 'district' OR region IS NOT NULL)
);
CREATE TABLE sessions (
    session_hash VARCHAR PRIMARY KEY,   -- SHA-256 of the cookie's value
    username VARCHAR NOT NULL REFERENCES users (username),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    last_seen TIMESTAMP
);
CREATE INDEX sessions_user ON sessions (username);
CREATE TABLE api_tokens (
    token_hash VARCHAR PRIMARY KEY,     -- SHA-256 of the token
    username VARCHAR NOT NULL REFERENCES users (username),
    name VARCHAR,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP,
    last_used TIMESTAMP
);
CREATE TABLE audit (
    audit_id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,         -- a username, or cli:<system user> for the command line
    role VARCHAR,
    action VARCHAR NOT NULL,        -- import | withdraw | edit | login | login_failed | logout | export | user_add …
    target VARCHAR,                 -- a batch id, a file name, a username, a page
    rows INTEGER,                   -- rows affected, when rows were
    detail VARCHAR,                 -- JSON
    ip VARCHAR
);
CREATE INDEX audit_at ON audit (at);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE audit, api_tokens, sessions, users")
