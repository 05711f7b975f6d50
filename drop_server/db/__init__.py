"""PostgreSQL through SQLAlchemy 2 and psycopg 3: models, engine, migrations."""
