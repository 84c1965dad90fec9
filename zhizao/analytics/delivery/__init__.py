"""Plan delivery (issue 14): investment projects, 三服务 problems and the 任务分工方案 under supervision —
pure functions over the frames of `zhizao.ingest.delivery_frames.DeliveryData` (docs/delivery.md):

- projects: project_status, funnel, project_history, project_observations (the plans' project targets);
- services: problem_status, service_summary;
- tasks: item_status, task_progress, item_reports;
- history: changes (what each version of a row changed);
- warnings: delivery_warnings, the rows of the common warning table (WARNING_COLUMNS).

Dates are 'YYYY-MM-DD' strings ("" = none), so comparing them as text compares the dates.
"""
