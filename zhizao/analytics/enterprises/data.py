"""The enterprise data the analytics read: the frames an import produces (zhizao/ingest/enterprise_frames.py)."""
from zhizao.ingest.enterprise_frames import (  # noqa: F401 - re-exported: the analytics' view of the contract
    ANNUAL_COLUMNS, ANNUAL_MEASURES, ANNUAL_UNITS, FRAMES, GREEN_COLUMNS, IP_CLASSES, LEVELS, PARK_COLUMNS,
    PARK_TARGETS, PRODUCT_FIELDS, RD_INSTITUTIONS, REGISTRY_COLUMNS, SIZES, SRDI_COLUMNS, SRDI_INPUTS, TAG_COLUMNS,
    TAGS, EnterpriseData, empty_frame)
