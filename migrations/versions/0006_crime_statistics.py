"""crime statistics

Revision ID: 0006_crime_statistics
Revises: 0005_records_details
"""
from datetime import UTC, datetime

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls  # noqa: F401

revision = "0006_crime_statistics"
down_revision = "0005_records_details"
branch_labels = None
depends_on = None

TENANT_TABLES = ("crime_statistics_uploads", "crime_counts")

# The national list as first published (frozen here; the application's copy is
# safetycouncil.crime_statistics.categories.DEFAULT_CATEGORIES).
CATEGORIES = (
    ("theft", "Vjedhje", "Theft", False),
    ("burglary", "Vjedhje me thyerje", "Burglary", False),
    ("robbery", "Grabitje", "Robbery", False),
    ("assault", "Dhunë fizike dhe plagosje", "Assault and bodily harm", False),
    ("domestic_violence", "Dhunë në familje", "Domestic violence", True),
    ("sexual_offences", "Vepra penale seksuale", "Sexual offences", True),
    ("offences_against_children", "Vepra penale ndaj fëmijëve", "Offences against children", True),
    ("drugs", "Vepra me lëndë narkotike", "Drug offences", False),
    ("road_traffic_injury", "Aksidente rrugore me të lënduar", "Road traffic offences with injury", False),
    ("fraud", "Mashtrim", "Fraud", False),
    ("property_damage", "Dëmtim prone dhe vandalizëm", "Vandalism and property damage", False),
    ("public_order", "Vepra kundër rendit publik", "Public order offences", False),
    ("weapons", "Armëmbajtje pa leje", "Weapons offences", False),
)


def upgrade():
    categories = op.create_table(
        "offence_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_sq", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offence_categories")),
        sa.UniqueConstraint("code", name=op.f("uq_offence_categories_code")),
    )
    settings = op.create_table(
        "crime_statistics_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("disclosure_threshold", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name=op.f("fk_crime_statistics_settings_updated_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crime_statistics_settings")),
    )
    op.create_table(
        "crime_statistics_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("is_revision", sa.Boolean(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("line_report", sa.JSON(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_crime_statistics_uploads_municipality_id_municipalities"),
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"],
                                name=op.f("fk_crime_statistics_uploads_uploaded_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crime_statistics_uploads")),
        sa.UniqueConstraint("municipality_id", "month", "revision",
                            name=op.f("uq_crime_statistics_uploads_municipality_id_month_revision")),
    )
    op.create_index(op.f("ix_crime_statistics_uploads_municipality_id"), "crime_statistics_uploads",
                    ["municipality_id"], unique=False)
    op.create_table(
        "crime_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["upload_id"], ["crime_statistics_uploads.id"],
                                name=op.f("fk_crime_counts_upload_id_crime_statistics_uploads"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_crime_counts_area_id_areas"),
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["category_id"], ["offence_categories.id"],
                                name=op.f("fk_crime_counts_category_id_offence_categories"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_crime_counts_municipality_id_municipalities"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crime_counts")),
        sa.UniqueConstraint("upload_id", "area_id", "category_id",
                            name=op.f("uq_crime_counts_upload_id_area_id_category_id")),
    )
    op.create_index(op.f("ix_crime_counts_municipality_id"), "crime_counts", ["municipality_id"], unique=False)
    op.create_index(op.f("ix_crime_counts_upload_id"), "crime_counts", ["upload_id"], unique=False)
    op.create_index(op.f("ix_crime_counts_area_id"), "crime_counts", ["area_id"], unique=False)
    op.create_index("ix_crime_counts_current", "crime_counts", ["municipality_id", "is_current", "month"],
                    unique=False)
    for table in TENANT_TABLES:
        enable_tenant_rls(op, table)

    op.bulk_insert(categories, [
        {"code": code, "name_sq": name_sq, "name_en": name_en, "sensitive": sensitive, "position": position,
         "active": True}
        for position, (code, name_sq, name_en, sensitive) in enumerate(CATEGORIES, start=1)])
    op.bulk_insert(settings, [{"id": 1, "disclosure_threshold": 5, "updated_at": datetime.now(UTC).replace(tzinfo=None)}])


def downgrade():
    for table in TENANT_TABLES:
        disable_tenant_rls(op, table)
    op.drop_index("ix_crime_counts_current", table_name="crime_counts")
    op.drop_index(op.f("ix_crime_counts_area_id"), table_name="crime_counts")
    op.drop_index(op.f("ix_crime_counts_upload_id"), table_name="crime_counts")
    op.drop_index(op.f("ix_crime_counts_municipality_id"), table_name="crime_counts")
    op.drop_table("crime_counts")
    op.drop_index(op.f("ix_crime_statistics_uploads_municipality_id"), table_name="crime_statistics_uploads")
    op.drop_table("crime_statistics_uploads")
    op.drop_table("crime_statistics_settings")
    op.drop_table("offence_categories")
