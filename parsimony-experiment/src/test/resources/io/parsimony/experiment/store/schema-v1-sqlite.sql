-- The SQLite schema written by parsimony before the work queue (schema version 1), copied verbatim
-- from ResultStore.SCHEMA at commit d27d862, so that the upgrade test starts from a real old store.
CREATE TABLE IF NOT EXISTS store_info (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sweeps (
  id               INTEGER PRIMARY KEY,
  sweep_key        TEXT NOT NULL UNIQUE,   -- hash of the definition: same sweep, same key
  kind             TEXT NOT NULL,          -- 'energy'
  title            TEXT NOT NULL,
  definition       TEXT NOT NULL,          -- JSON: budget, layers, repeats, samples, top, data, recipe, ...
  planned_runs     INTEGER NOT NULL,
  command          TEXT NOT NULL,          -- the command line that (re-)runs it
  runs_dir         TEXT NOT NULL,          -- where the run directories (checkpoints) live
  software_version TEXT NOT NULL,
  created_at       TEXT NOT NULL,          -- ISO-8601 UTC
  updated_at       TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  id               INTEGER PRIMARY KEY,
  sweep_id         INTEGER NOT NULL REFERENCES sweeps(id),
  run_key          TEXT NOT NULL,          -- hash of model spec + data + recipe
  position         INTEGER NOT NULL,       -- index in the sweep's plan
  roles            TEXT NOT NULL,          -- 'random', 'top' or 'random+top'
  model            TEXT NOT NULL,          -- text spec, e.g. plain:35,36,37,43
  model_spec       TEXT NOT NULL,          -- JSON of the model spec
  layout           TEXT NOT NULL,          -- e.g. (35,36,37,43)
  parameters       INTEGER,                -- all parameters of the built net (BN, classifier)
  conv_weights     INTEGER NOT NULL,       -- Eq. 1 count
  energy           REAL NOT NULL,          -- Eq. 3
  data             TEXT NOT NULL,
  recipe           TEXT NOT NULL,          -- JSON of the training recipe
  seed             INTEGER NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('done', 'failed')),
  top1             REAL,
  top5             REAL,
  test_loss        REAL,
  test_images      INTEGER,
  epochs           INTEGER,
  steps            INTEGER,
  train_seconds    REAL,                   -- training loop time (all epochs, also before a resume)
  wall_seconds     REAL NOT NULL,          -- this attempt, incl. start-up and evaluation
  resumed          INTEGER NOT NULL DEFAULT 0,
  error            TEXT,
  worker           TEXT,
  host             TEXT,
  software_version TEXT NOT NULL,
  run_dir          TEXT,
  started_at       TEXT NOT NULL,
  finished_at      TEXT NOT NULL,
  val_top1         REAL,                   -- last epoch's validation accuracy (designs choose by it)
  val_loss         REAL,
  UNIQUE (sweep_id, run_key)
);
INSERT INTO store_info(key, value) VALUES ('format', 'parsimony-results');
INSERT INTO store_info(key, value) VALUES ('schema_version', '1');
