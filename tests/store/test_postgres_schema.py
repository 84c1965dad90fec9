"""The PostgreSQL schema is kept by Alembic: an empty database is brought to the head revision, and
upgrading again changes nothing."""
import psycopg

from zhizao.store import postgres


def test_upgrade_from_empty_reaches_head_and_is_idempotent(pg_url):
    assert postgres.current_revision(pg_url) is None
    postgres.upgrade(pg_url)
    assert postgres.current_revision(pg_url) == postgres.head_revision()
    postgres.upgrade(pg_url)
    with psycopg.connect(pg_url) as con:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}
        assert {"batches", "sources", "series", "links", "observations", "withdrawals", "plans",
                "store_meta", "users", "sessions", "api_tokens", "audit"} <= tables
        assert con.execute("SELECT generation FROM store_meta").fetchone()[0] == 0


def test_is_postgres_tells_urls_from_paths(tmp_path):
    assert postgres.is_postgres("postgresql://u@h/db")
    assert postgres.is_postgres("postgres://u@h/db")
    assert not postgres.is_postgres(tmp_path / "postgresql:" / "x.duckdb")
    assert not postgres.is_postgres(None)
