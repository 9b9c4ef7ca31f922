"""Re-encryption of stored personal data after a field-key rotation (`suxin rotate-keys`).

A service's encrypted columns are found from its tables: a column named `*_encrypted`, or one
with `info={"encrypted": True}`. Its associated data is `info["associated_data"]` or, by the
convention the services follow, `<service>.<table>.<column without _encrypted>` (the AAD the
handler passed to `PersonalData.protect`).

Rows are visited in primary-key order, in short transactions of `batch_size` rows, each row
updated only if it still holds the ciphertext that was read (a concurrent write by the service
wins, and is already under the active key). So it runs while the service serves traffic, may be
interrupted at any point, and a second run only touches rows still under an old key.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from suxin_common.migrate import normalise_service, to_async_url
from suxin_common.privacy import DecryptionError, FieldCipher
from suxin_common.settings import ServiceSettings

ENCRYPTED_SUFFIX = "_encrypted"


@dataclass(frozen=True)
class EncryptedColumn:
    table: sa.Table
    column: str
    associated_data: str

    @property
    def name(self) -> str:
        return f"{self.table.name}.{self.column}"


def encrypted_columns(service: str, metadata: sa.MetaData) -> list[EncryptedColumn]:
    found = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if not (column.name.endswith(ENCRYPTED_SUFFIX) or column.info.get("encrypted")):
                continue
            aad = column.info.get("associated_data") or (
                f"{normalise_service(service)}.{table.name}."
                f"{column.name.removesuffix(ENCRYPTED_SUFFIX)}"
            )
            found.append(EncryptedColumn(table, column.name, aad))
    return found


async def rotate_column(
    engine: AsyncEngine, cipher: FieldCipher, target: EncryptedColumn, *, batch_size: int = 500
) -> int:
    """Re-encrypt every value of `target` not under the active key; returns how many."""
    table = target.table
    column = table.c[target.column]
    pk = list(table.primary_key.columns)
    if not pk:
        raise ValueError(f"{target.name}: a table without a primary key cannot be rotated")
    stale = sa.and_(
        column.is_not(None), sa.not_(column.startswith(cipher.active_kid + ".", autoescape=True))
    )
    last: tuple[Any, ...] | None = None
    rotated = 0
    while True:
        query = sa.select(*pk, column).where(stale).order_by(*pk).limit(batch_size)
        if last is not None:
            query = query.where(sa.tuple_(*pk) > sa.tuple_(*last))
        async with engine.begin() as conn:
            rows = (await conn.execute(query)).all()
            for row in rows:
                *key, old = row
                try:
                    new = cipher.reencrypt(old, target.associated_data)
                except DecryptionError as exc:
                    raise ValueError(f"{target.name}: row {tuple(key)}: {exc}") from None
                if new is None:
                    continue
                result = await conn.execute(
                    sa.update(table)
                    .where(*(c == v for c, v in zip(pk, key, strict=True)), column == old)
                    .values({target.column: new})
                )
                rotated += result.rowcount
        if len(rows) < batch_size:
            return rotated
        last = tuple(rows[-1][: len(pk)])


async def rotate_service(
    service: str,
    database_url: str,
    *,
    batch_size: int = 500,
    settings: ServiceSettings | None = None,
    metadata: sa.MetaData | None = None,
) -> dict[str, int]:
    """Re-encrypt all of `service`'s encrypted columns; `{"table.column": rows}`."""
    package = normalise_service(service)
    if metadata is None:
        metadata = importlib.import_module(f"{package}.adapters.tables").metadata
    settings = settings or ServiceSettings()
    cipher = FieldCipher.from_spec(settings.field_encryption_keys)
    engine = create_async_engine(to_async_url(database_url))
    try:
        return {
            target.name: await rotate_column(engine, cipher, target, batch_size=batch_size)
            for target in encrypted_columns(package, metadata)
        }
    finally:
        await engine.dispose()
