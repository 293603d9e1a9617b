"""Schema invariants that a CHECK constraint cannot express, as triggers for each dialect.

A span must end inside its article's text: ``end <= articles.n_chars``.
"""

from alembic import op

MESSAGE = "span end lies beyond the end of its article text"


def create_span_end_triggers() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for event, name in (
            ("INSERT", "spans_end_in_text_ins"),
            ('UPDATE OF start, "end", article_id', "spans_end_in_text_upd"),
        ):
            op.execute(
                f"""CREATE TRIGGER {name} BEFORE {event} ON spans
                WHEN NEW."end" > (SELECT n_chars FROM articles WHERE id = NEW.article_id)
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
            )
    elif bind.dialect.name == "postgresql":
        op.execute(
            f"""CREATE FUNCTION spans_end_in_text() RETURNS trigger AS $$
            BEGIN
              IF NEW."end" > (SELECT n_chars FROM articles WHERE id = NEW.article_id) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql"""
        )
        op.execute(
            """CREATE TRIGGER spans_end_in_text BEFORE INSERT OR UPDATE ON spans
            FOR EACH ROW EXECUTE FUNCTION spans_end_in_text()"""
        )


def drop_span_end_triggers() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS spans_end_in_text_ins")
        op.execute("DROP TRIGGER IF EXISTS spans_end_in_text_upd")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS spans_end_in_text ON spans")
        op.execute("DROP FUNCTION IF EXISTS spans_end_in_text()")
