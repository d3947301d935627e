"""Rows of a member register for Odoo's import, as a federation types them.

``member_import_file(member_rows(10000, codes))`` (models/union_member.py)
gives the .xlsx of the import template with 10,000 members: the tests import
small ones; the bench can import a large one.
"""

from datetime import date

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Nông", "Hà", "Ma", "Đàm", "Lương"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hạnh", "Long", "Mai", "Nam", "Phương", "Tuấn"]
ETHNICITIES = ["Tày", "Kinh", "Dao", "Nùng", "Mông", "Sán Chay"]
CATEGORIES = ["Cán bộ, công chức", "Viên chức", "Công nhân lao động"]
GENDERS = ["Nam", "Nữ"]


def member_rows(count, organization_codes, start=1, card_prefix="IMP"):
    """``count`` members spread over the organisations of the given codes,
    with card numbers ``<card_prefix>-<n>`` from ``start`` on."""
    rows = []
    for n in range(start, start + count):
        rows.append(
            {
                "name": f"{FAMILY[n % len(FAMILY)]} {MIDDLE[n // 3 % len(MIDDLE)]} "
                f"{GIVEN[n // 7 % len(GIVEN)]}",
                "birth_date": date(1965 + n % 35, 1 + n % 12, 1 + n % 28),
                "gender": GENDERS[n % 2],
                "ethnicity": ETHNICITIES[n % len(ETHNICITIES)],
                "union_card_number": f"{card_prefix}-{n:07d}",
                "organization_code": organization_codes[n % len(organization_codes)],
                "category": CATEGORIES[n % len(CATEGORIES)],
                "union_position": "Tổ trưởng tổ công đoàn" if n % 25 == 0 else "",
                "is_party_member": n % 4 == 0,
                "join_date": date(2000 + n % 25, 1 + n % 12, 1),
            }
        )
    return rows
