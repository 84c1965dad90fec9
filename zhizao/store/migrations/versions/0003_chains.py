"""Chain data (issue 12): enterprises, their places on the plan's chain links and the supply
relations, as the DuckDB SCHEMA has them (zhizao/store/store.py). One chain import is one batch for
one plan; rows are only added (a withdrawal stops a batch counting). Indexes serve the reads: the
active batch of a plan, then the batch's rows.

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

DDL = """
CREATE TABLE chain_enterprises (
    enterprise_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    district VARCHAR,
    country VARCHAR NOT NULL,
    output DOUBLE PRECISION,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX chain_enterprises_batch ON chain_enterprises (batch_id, plan_id);
CREATE TABLE chain_members (
    enterprise_id VARCHAR NOT NULL,
    chain VARCHAR NOT NULL,
    link VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    capacity DOUBLE PRECISION,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX chain_members_batch ON chain_members (batch_id);
CREATE TABLE chain_supply (
    supplier_id VARCHAR NOT NULL,
    buyer_id VARCHAR NOT NULL,
    chain VARCHAR NOT NULL,
    link VARCHAR NOT NULL,
    share DOUBLE PRECISION NOT NULL,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX chain_supply_batch ON chain_supply (batch_id);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE chain_supply, chain_members, chain_enterprises")
