"""Enterprise data (issue 13): the registry, tags, yearly figures, 专精特新 inputs, parks and the area
energy/water table, as the DuckDB SCHEMA has them (zhizao/store/store.py), each with batch_id and plan_id.
One enterprise import is one batch for one plan; rows are only added (a withdrawal stops a batch
counting). Indexes serve the reads: which batch is active per plan (and per year), then its rows.

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DDL = """
CREATE TABLE ent_registry (
    enterprise_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    district VARCHAR,
    park VARCHAR,
    industry_class VARCHAR,
    size VARCHAR,
    established VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX ent_registry_plan ON ent_registry (plan_id, batch_id);
CREATE TABLE ent_tags (
    enterprise_id VARCHAR NOT NULL,
    tag VARCHAR NOT NULL,
    level VARCHAR,
    acquired VARCHAR NOT NULL,
    lost VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX ent_tags_plan ON ent_tags (plan_id, batch_id);
CREATE TABLE ent_annual (
    enterprise_id VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    land_area DOUBLE PRECISION, revenue DOUBLE PRECISION, main_revenue DOUBLE PRECISION,
    value_added DOUBLE PRECISION, tax DOUBLE PRECISION, energy DOUBLE PRECISION, electricity DOUBLE PRECISION,
    water DOUBLE PRECISION, emissions DOUBLE PRECISION, rd_expense DOUBLE PRECISION, employees DOUBLE PRECISION,
    net_profit DOUBLE PRECISION, assets DOUBLE PRECISION, liabilities DOUBLE PRECISION,
    investment DOUBLE PRECISION, env_violations DOUBLE PRECISION, quality_failures DOUBLE PRECISION,
    safety_violations DOUBLE PRECISION, obsolete_equipment DOUBLE PRECISION,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX ent_annual_plan ON ent_annual (plan_id, batch_id, year);
CREATE TABLE ent_srdi (
    enterprise_id VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    niche_years DOUBLE PRECISION, product_field VARCHAR, digital_level DOUBLE PRECISION,
    quality_items DOUBLE PRECISION, ip_class VARCHAR, rd_staff_share DOUBLE PRECISION, rd_institution VARCHAR,
    equity_financing DOUBLE PRECISION, local_points DOUBLE PRECISION, direct_pass VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX ent_srdi_plan ON ent_srdi (plan_id, batch_id, year);
CREATE TABLE ent_parks (
    park_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    tier VARCHAR,
    districts VARCHAR,
    area DOUBLE PRECISION,
    leading_industries VARCHAR,
    target_investment_per_mu DOUBLE PRECISION, target_output_per_mu DOUBLE PRECISION,
    target_tax_per_mu DOUBLE PRECISION,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX ent_parks_plan ON ent_parks (plan_id, batch_id);
CREATE TABLE ent_green (
    area VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    energy DOUBLE PRECISION,
    water DOUBLE PRECISION,
    value_added DOUBLE PRECISION,
    va_real_growth DOUBLE PRECISION,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX ent_green_plan ON ent_green (plan_id, batch_id, year);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE ent_green, ent_parks, ent_srdi, ent_annual, ent_tags, ent_registry")
