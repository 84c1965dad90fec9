"""Data import: parse printed values, units and periods, read CSV/XLSX files and validate rows.

Modules: `values` (parse_value), `units` (convert), `periods` (parse_period),
`table` (read_table, validate_rows, problems_frame, import_table).
"""
