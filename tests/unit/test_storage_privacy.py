"""The schema holds nothing that identifies a resident (bot/storage/models.py promises it)."""

from sqlalchemy import Boolean, LargeBinary

from bot.storage.models import metadata

IDENTIFYING = (
    "name",
    "personnummer",
    "personal_number",
    "ip",
    "address",
    "sender",
    "text",
    "message",
    "email",
    "phone",
)


def test_no_table_has_a_column_for_a_name_address_sender_or_message():
    found = [
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        if any(part in IDENTIFYING for part in column.name.split("_"))
        and not isinstance(
            column.type, Boolean
        )  # a yes/no answer ("may we leave a message") holds no one
        and column.name not in ("phone_cipher", "username")
    ]
    assert found == []


def test_the_phone_number_exists_only_as_ciphertext():
    phone_columns = [
        (table.name, column)
        for table in metadata.sorted_tables
        for column in table.columns
        if column.name.startswith("phone") and not column.name.endswith("_at")
    ]
    assert phone_columns and all(
        isinstance(column.type, LargeBinary) for _t, column in phone_columns
    )
