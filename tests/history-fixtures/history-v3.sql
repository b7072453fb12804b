-- SPDX-License-Identifier: GPL-3.0-or-later
-- The run history as schema version 3 wrote it (rows in chunks, no
-- runs_by_status index): tests/test-history.c migrates it to the current
-- version. Four runs of two integrations, one left recording by a killed process.
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  integration TEXT NOT NULL,
  action TEXT,
  profile TEXT,
  started INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  exit_code INTEGER,
  params TEXT NOT NULL DEFAULT '{}',
  overrides TEXT,
  validation_errors TEXT,
  n_inputs INTEGER NOT NULL DEFAULT 0,
  n_results INTEGER NOT NULL DEFAULT 0,
  n_row_errors INTEGER NOT NULL DEFAULT 0,
  n_log_lines INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0);
CREATE INDEX runs_by_integration ON runs (integration, id);
CREATE TABLE rows (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  correlation TEXT,
  data TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE baselines (
  integration TEXT NOT NULL,
  action TEXT NOT NULL,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  PRIMARY KEY (integration, action));
CREATE INDEX baselines_by_run ON baselines (run_id);
INSERT INTO runs (id, kind, integration, action, profile, started, duration_ms, status, exit_code, params, n_inputs, n_results)
  VALUES (1, 'validation', '/work/tracker', NULL, 'demo', 1793610990250, 300, 'succeeded', 0, '{"TRACKER_PASSWORD":"[secret]"}', 0, 0);
INSERT INTO runs (id, kind, integration, action, profile, started, duration_ms, status, exit_code, params, n_inputs, n_results)
  VALUES (2, 'run', '/work/tracker', 'main.search', 'demo', 1793610995000, 1200, 'reported_errors', 0, '{}', 1, 2);
INSERT INTO runs (id, kind, integration, action, profile, started, duration_ms, status, exit_code, params, n_inputs, n_results)
  VALUES (3, 'run', '/work/other', 'main.echo', NULL, 1793611000000, 900, 'succeeded', 0, '{}', 1, 1);
INSERT INTO runs (id, kind, integration, action, profile, started, duration_ms, status, exit_code, params, n_inputs, n_results)
  VALUES (4, 'run', '/work/tracker', 'main.search', 'demo', 1793611005000, 0, 'recording', NULL, '{}', 1, 0);
INSERT INTO rows (run_id, seq, kind, correlation, data) VALUES (2, 0, 1, NULL, '{"n":1}
{"n":2}');
INSERT INTO rows (run_id, seq, kind, correlation, data) VALUES (3, 0, 1, NULL, '{"echo":true}');
PRAGMA user_version = 3;
