"""The statistics store as the embedded DuckDB default has it (zhizao/store/store.py SCHEMA at the
time of the first PostgreSQL release), plus store_meta, whose generation counts committed writes so
that readers know when their copy is stale.

Revision ID: 0001
"""
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

DDL = """
CREATE TABLE batches (
    batch_id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    file VARCHAR,
    sha256 VARCHAR,
    rows INTEGER,
    imported_at TIMESTAMP NOT NULL,
    note VARCHAR
);
CREATE TABLE sources (
    source_id VARCHAR PRIMARY KEY,
    title VARCHAR,
    publisher VARCHAR,
    url VARCHAR,
    published DATE,
    accessed DATE,
    grade VARCHAR NOT NULL
);
CREATE TABLE series (
    series VARCHAR PRIMARY KEY,
    unit VARCHAR NOT NULL,
    price_basis VARCHAR,
    concept VARCHAR,
    scope VARCHAR,
    note VARCHAR
);
CREATE TABLE links (
    plan_id VARCHAR,
    indicator VARCHAR NOT NULL,
    series VARCHAR,
    comparability VARCHAR NOT NULL,
    transform VARCHAR NOT NULL,
    numerator VARCHAR,
    numerator_unit VARCHAR,
    denominator VARCHAR,
    denominator_unit VARCHAR,
    scale DOUBLE PRECISION,
    region VARCHAR,
    note VARCHAR,
    batch_id VARCHAR
);
CREATE TABLE observations (
    obs_id BIGINT PRIMARY KEY,
    series VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    industry VARCHAR NOT NULL,
    period_type VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER,
    period_key VARCHAR NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    qualifier VARCHAR NOT NULL,
    value_text VARCHAR,
    unit VARCHAR NOT NULL,
    unit_original VARCHAR,
    price_basis VARCHAR,
    status VARCHAR NOT NULL,
    vintage DATE,
    source_id VARCHAR,
    quote VARCHAR,
    note VARCHAR,
    batch_id VARCHAR NOT NULL,
    synthetic BOOLEAN NOT NULL DEFAULT FALSE,
    basis VARCHAR DEFAULT 'level',
    basis_from VARCHAR
);
CREATE INDEX observations_batch ON observations (batch_id);
CREATE TABLE withdrawals (
    batch_id VARCHAR PRIMARY KEY,
    withdrawn_at TIMESTAMP NOT NULL,
    withdrawn_by VARCHAR,
    reason VARCHAR
);
CREATE TABLE plans (
    plan_id VARCHAR PRIMARY KEY,
    title VARCHAR,
    kind VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    yaml VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    registered_at TIMESTAMP NOT NULL
);
CREATE TABLE store_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO store_meta VALUES (1, 0);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE store_meta, plans, withdrawals, observations, links, series, sources, batches")
