"""The statistics store (docs/storage.md). Importing the package registers the PostgreSQL backend,
so that `Store(url)` finds it whichever module was imported first."""
from zhizao.store import pg_store  # noqa: F401 - registers PgStore in store.BACKENDS
