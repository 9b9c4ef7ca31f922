"""`suxin rotate-keys`: re-encrypts rows under the active key, in batches, idempotently."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from suxin_common.privacy import FieldCipher, key_id_of, new_key_entry
from suxin_common.security.rotation import encrypted_columns, rotate_service
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import make_resident_id

pytestmark = pytest.mark.integration

metadata = sa.MetaData()
people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("resident_id_encrypted", sa.Text),
    sa.Column("person_key", sa.Text, nullable=False),
)


async def test_rotation_reencrypts_every_row_once_and_keeps_lookups(infra):
    url = await infra.create_database("rotation")
    engine = create_async_engine(url)
    old, new = new_key_entry("old1"), new_key_entry("new1")
    before = FieldCipher.from_spec(old)
    (column,) = encrypted_columns("demo", metadata)
    assert column.associated_data == "demo.people.resident_id"
    numbers = {i: make_resident_id(i) for i in range(1, 12)}
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(
            sa.insert(people),
            [
                {
                    "id": i,
                    "resident_id_encrypted": before.encrypt(n, column.associated_data),
                    "person_key": f"pk_{i}",
                }
                for i, n in numbers.items()
            ]
            + [{"id": 99, "resident_id_encrypted": None, "person_key": "pk_none"}],
        )
    settings = ServiceSettings(environment="test", field_encryption_keys=f"{new},{old}")
    try:
        first = await rotate_service(
            "demo", url, batch_size=4, settings=settings, metadata=metadata
        )
        again = await rotate_service(
            "demo", url, batch_size=4, settings=settings, metadata=metadata
        )
        after = FieldCipher.from_spec(f"{new},{old}")
        async with engine.connect() as conn:
            rows = (await conn.execute(sa.select(people).order_by(people.c.id))).all()
    finally:
        await engine.dispose()
    assert first == {"people.resident_id_encrypted": 11}
    assert again == {"people.resident_id_encrypted": 0}
    for row in rows:
        if row.id == 99:
            assert row.resident_id_encrypted is None
            continue
        assert key_id_of(row.resident_id_encrypted) == "new1"
        assert after.decrypt(row.resident_id_encrypted, column.associated_data) == numbers[row.id]
        assert row.person_key == f"pk_{row.id}"
