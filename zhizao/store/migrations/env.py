"""Alembic's entry point for the PostgreSQL schema (zhizao/store/postgres.py runs it; no alembic.ini).

The URL comes from the Config's attributes, set by postgres.alembic_config; migrations are plain
SQL (op.execute) so that what runs on the server reads as the DDL it is.
"""
from alembic import context
from sqlalchemy import create_engine, pool

url = context.config.attributes["url"]
engine = create_engine(url, poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
