"""Plan-delivery data (issue 14): projects, their monthly progress, 三服务 problems, the 任务分工方案 (work
items, milestones, progress reports) and its units, as the DuckDB SCHEMA has them (zhizao/store/delivery.py),
each with batch_id and plan_id. Batches of kind 'delivery' (an import) or 'delivery_edit' (one form/API
edit); rows are only added, a key's active row is its version in the latest batch not withdrawn. Indexes
serve the read: a plan's rows, by batch.

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DDL = """
CREATE TABLE dl_projects (
    project_id VARCHAR NOT NULL, name VARCHAR, cluster VARCHAR, chain VARCHAR, link VARCHAR, district VARCHAR,
    park VARCHAR, investor VARCHAR, investor_id VARCHAR,
    planned_investment DOUBLE PRECISION, planned_output DOUBLE PRECISION,
    planned_signed VARCHAR, planned_started VARCHAR, planned_production VARCHAR, planned_full_production VARCHAR,
    signed VARCHAR, started VARCHAR, production VARCHAR, full_production VARCHAR,
    status VARCHAR, note VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX dl_projects_plan ON dl_projects (plan_id, batch_id);
CREATE TABLE dl_project_progress (
    project_id VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    investment DOUBLE PRECISION,
    output DOUBLE PRECISION,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX dl_project_progress_plan ON dl_project_progress (plan_id, batch_id);
CREATE TABLE dl_problems (
    problem_id VARCHAR NOT NULL, enterprise_id VARCHAR, enterprise_name VARCHAR, district VARCHAR,
    category VARCHAR, description VARCHAR, department VARCHAR, raised VARCHAR, deadline VARCHAR,
    status VARCHAR, resolved VARCHAR, resolution VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX dl_problems_plan ON dl_problems (plan_id, batch_id);
CREATE TABLE dl_work_items (
    item_id VARCHAR NOT NULL, task VARCHAR, title VARCHAR, lead VARCHAR, cooperating VARCHAR,
    start VARCHAR, deadline VARCHAR, basis VARCHAR, section VARCHAR, quote VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX dl_work_items_plan ON dl_work_items (plan_id, batch_id);
CREATE TABLE dl_milestones (
    item_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    due VARCHAR, text VARCHAR, done VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX dl_milestones_plan ON dl_milestones (plan_id, batch_id);
CREATE TABLE dl_progress_reports (
    report_id VARCHAR NOT NULL, item_id VARCHAR, date VARCHAR,
    completion DOUBLE PRECISION,
    text VARCHAR, attachments VARCHAR, reporter VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX dl_progress_reports_plan ON dl_progress_reports (plan_id, batch_id);
CREATE TABLE dl_departments (
    department_id VARCHAR NOT NULL, name VARCHAR, name_en VARCHAR, kind VARCHAR, aliases VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE INDEX dl_departments_plan ON dl_departments (plan_id, batch_id);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE dl_departments, dl_progress_reports, dl_milestones, dl_work_items, dl_problems, "
               "dl_project_progress, dl_projects")
