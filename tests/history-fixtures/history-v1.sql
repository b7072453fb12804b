-- SPDX-License-Identifier: GPL-3.0-or-later
-- The run history as the first version wrote it (schema version 1): one row
-- per run, its results as one JSON array, its log as one text, the start
-- time as ISO 8601 text. test-history migrates it to the current schema.
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  integration TEXT NOT NULL,
  action TEXT,
  profile TEXT,
  started TEXT NOT NULL,
  duration_ms INTEGER,
  status TEXT NOT NULL,
  exit_code INTEGER,
  params TEXT,
  results TEXT,
  log TEXT
);
CREATE INDEX runs_started ON runs (started);
INSERT INTO runs VALUES (1, 'validation', '/srv/leaky', NULL, 'demo', '2026-11-02T09:15:00.250Z', 840,
  'succeeded', 0, '{"SERVICE_URL":"http://127.0.0.1:8765","PASSWORD":"[secret]"}', '[]',
  'validating' || char(10) || 'ok');
INSERT INTO runs VALUES (2, 'run', '/srv/leaky', 'main.echo', 'demo', '2026-11-02T09:16:30Z', 1200,
  'reported-errors', 0, '{"GREETING":"hi"}', '[{"word":"a"},{"word":"b"},{"n":3}]', '');
INSERT INTO runs VALUES (3, 'run', '/srv/other', 'main.x', NULL, '2026-11-03T10:00:00Z', 5,
  'failed', 2, NULL, NULL, NULL);
PRAGMA user_version = 1;
