"""What every schema module shares: the one MetaData (with its naming convention) and the CHECK helper.

`schema` and `schema_responses` both build on it, so neither imports the other's internals (they used to import
each other).
"""

from __future__ import annotations

from sqlalchemy import MetaData

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def one_of(column: str, values: tuple[str, ...]) -> str:
    """A CHECK condition: `column` holds one of `values`."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"
