/**
 * Schema of the simulation database, as an append-only list of migrations.
 *
 * Each migration runs once, inside one transaction together with the
 * `PRAGMA user_version` bump that records it, so a crash leaves the file at
 * the previous version rather than half-migrated. Never edit a released
 * migration: add a new one (databases in the wild are already past it).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { rebuildFacetBits } from './facet-bits.js';

export interface Migration {
  version: number;
  sql: string;
  /** Work SQL alone cannot do, run after `sql` in the same transaction. */
  run?: (db: BetterSqlite3.Database) => void;
}

/**
 * Marks the file as ours (`PRAGMA application_id`), so another program's
 * SQLite file is refused instead of having tables created in it. "EXRY".
 */
export const APPLICATION_ID = 0x45585259;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE runs (
        id            INTEGER PRIMARY KEY,
        tool_version  TEXT NOT NULL,
        git_revision  TEXT,
        preset        TEXT NOT NULL,
        seed          INTEGER NOT NULL,
        options_json  TEXT NOT NULL DEFAULT '{}',
        host          TEXT,
        -- Shard as two integers (not "3/8" text) so a merge can query and check them.
        shard_index   INTEGER,
        shard_count   INTEGER,
        started_at    TEXT NOT NULL,
        finished_at   TEXT,
        status        TEXT NOT NULL DEFAULT 'running'
                      CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
        CHECK ((shard_index IS NULL) = (shard_count IS NULL)),
        CHECK (shard_index IS NULL OR (shard_index >= 0 AND shard_index < shard_count))
      );

      CREATE TABLE samples (
        id              TEXT PRIMARY KEY,
        run_id          INTEGER NOT NULL REFERENCES runs(id),
        sample_index    INTEGER NOT NULL CHECK (sample_index >= 0),
        seed            INTEGER NOT NULL,
        preset          TEXT NOT NULL,
        split           TEXT,
        width           INTEGER NOT NULL CHECK (width > 0),
        height          INTEGER NOT NULL CHECK (height > 0),
        scanner_json    TEXT NOT NULL,
        container_kind  TEXT,
        clutter_count   INTEGER NOT NULL CHECK (clutter_count >= 0),
        animal_count    INTEGER NOT NULL CHECK (animal_count >= 0),
        scene_json      TEXT NOT NULL,
        image_path      TEXT NOT NULL,
        raw_path        TEXT,
        image_sha256    TEXT NOT NULL CHECK (length(image_sha256) = 64),
        raw_sha256      TEXT CHECK (raw_sha256 IS NULL OR length(raw_sha256) = 64),
        render_ms       REAL,
        created_at      TEXT NOT NULL
      );
      CREATE INDEX samples_run_id ON samples(run_id);
      CREATE INDEX samples_preset ON samples(preset);

      CREATE TABLE instances (
        id               INTEGER PRIMARY KEY,
        sample_id        TEXT NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        instance_index   INTEGER NOT NULL CHECK (instance_index >= 0),
        object_id        TEXT NOT NULL,
        species          TEXT NOT NULL,
        scientific_name  TEXT NOT NULL,
        -- NULL box: the animal is in the scene but no pixel of it is in the image.
        bbox_x           REAL,
        bbox_y           REAL,
        bbox_w           REAL,
        bbox_h           REAL,
        mask_area        INTEGER NOT NULL CHECK (mask_area >= 0),
        mask_rle         TEXT NOT NULL,
        length_mm        REAL NOT NULL,
        visibility       REAL CHECK (visibility IS NULL OR (visibility >= 0 AND visibility <= 1)),
        UNIQUE (sample_id, instance_index),
        CHECK ((bbox_x IS NULL) = (bbox_w IS NULL) AND (bbox_y IS NULL) = (bbox_h IS NULL) AND (bbox_x IS NULL) = (bbox_y IS NULL))
      );
      CREATE INDEX instances_species ON instances(species);
      CREATE INDEX instances_sample_id ON instances(sample_id);

      CREATE TABLE objects (
        sample_id  TEXT NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        object_id  TEXT NOT NULL,
        role       TEXT NOT NULL CHECK (role IN ('container', 'clutter', 'animal')),
        kind       TEXT NOT NULL,
        materials  TEXT NOT NULL,
        PRIMARY KEY (sample_id, object_id)
      ) WITHOUT ROWID;

      PRAGMA application_id = ${APPLICATION_ID};
    `,
  },
  {
    // Dual-energy, dual-view scanners: several files per sample (low, high, pseudo-colour,
    // greyscale, overlay; per view) and labels per view.
    version: 2,
    sql: `
      CREATE TABLE sample_files (
        sample_id  TEXT NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        view       TEXT NOT NULL CHECK (view IN ('top', 'side')),
        kind       TEXT NOT NULL,
        path       TEXT NOT NULL,
        sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
        PRIMARY KEY (sample_id, view, kind)
      ) WITHOUT ROWID;

      CREATE TABLE instances_v2 (
        id               INTEGER PRIMARY KEY,
        sample_id        TEXT NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        view             TEXT NOT NULL DEFAULT 'top' CHECK (view IN ('top', 'side')),
        instance_index   INTEGER NOT NULL CHECK (instance_index >= 0),
        object_id        TEXT NOT NULL,
        species          TEXT NOT NULL,
        scientific_name  TEXT NOT NULL,
        bbox_x           REAL,
        bbox_y           REAL,
        bbox_w           REAL,
        bbox_h           REAL,
        mask_area        INTEGER NOT NULL CHECK (mask_area >= 0),
        mask_rle         TEXT NOT NULL,
        length_mm        REAL NOT NULL,
        visibility       REAL CHECK (visibility IS NULL OR (visibility >= 0 AND visibility <= 1)),
        UNIQUE (sample_id, view, instance_index),
        CHECK ((bbox_x IS NULL) = (bbox_w IS NULL) AND (bbox_y IS NULL) = (bbox_h IS NULL) AND (bbox_x IS NULL) = (bbox_y IS NULL))
      );
      INSERT INTO instances_v2 (id, sample_id, view, instance_index, object_id, species, scientific_name,
                                bbox_x, bbox_y, bbox_w, bbox_h, mask_area, mask_rle, length_mm, visibility)
        SELECT id, sample_id, 'top', instance_index, object_id, species, scientific_name,
               bbox_x, bbox_y, bbox_w, bbox_h, mask_area, mask_rle, length_mm, visibility FROM instances;
      DROP TABLE instances;
      ALTER TABLE instances_v2 RENAME TO instances;
      CREATE INDEX instances_species ON instances(species);
      CREATE INDEX instances_sample_id ON instances(sample_id);
    `,
  },
  {
    // Difficulty levels derived from the visibility score (labels/difficulty.ts), for filtering.
    version: 3,
    sql: `
      ALTER TABLE instances ADD COLUMN difficulty TEXT CHECK (difficulty IS NULL OR difficulty IN ('easy', 'hard', 'hidden'));
      CREATE INDEX instances_difficulty ON instances(difficulty);
    `,
  },
  {
    // A snapshot of the species catalog, and full-text search over its names in every
    // language, taxonomy and tags (trigram tokens: substrings match, in any script).
    version: 4,
    sql: `
      CREATE TABLE species (
        id                 TEXT PRIMARY KEY,
        scientific_name    TEXT NOT NULL,
        common_names_json  TEXT NOT NULL,
        class              TEXT NOT NULL,
        "order"            TEXT NOT NULL,
        family             TEXT NOT NULL,
        cites              TEXT,
        tags               TEXT NOT NULL,
        search_text        TEXT NOT NULL
      );
      CREATE VIRTUAL TABLE species_fts USING fts5(search_text, content='species', content_rowid='rowid', tokenize='trigram');
      CREATE TRIGGER species_ai AFTER INSERT ON species BEGIN
        INSERT INTO species_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
      END;
      CREATE TRIGGER species_ad AFTER DELETE ON species BEGIN
        INSERT INTO species_fts(species_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
      END;
      CREATE TRIGGER species_au AFTER UPDATE ON species BEGIN
        INSERT INTO species_fts(species_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
        INSERT INTO species_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
      END;
    `,
  },
  {
    // Reviewers' verdicts: append-only history (a new verdict is a new row; rows never change).
    version: 5,
    sql: `
      CREATE TABLE reviews (
        id          INTEGER PRIMARY KEY,
        sample_id   TEXT NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        verdict     TEXT NOT NULL CHECK (verdict IN ('approved', 'rejected', 'flagged')),
        reason      TEXT,
        note        TEXT NOT NULL DEFAULT '',
        reviewer    TEXT NOT NULL CHECK (length(reviewer) > 0),
        created_at  TEXT NOT NULL
      );
      CREATE INDEX reviews_sample ON reviews(sample_id, id);
      CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews BEGIN
        SELECT RAISE(ABORT, 'reviews are append-only: add a new verdict instead of changing one');
      END;
      CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews WHEN (SELECT count(*) FROM samples WHERE id = old.sample_id) > 0 BEGIN
        SELECT RAISE(ABORT, 'reviews are append-only: add a new verdict instead of deleting one');
      END;
      CREATE VIRTUAL TABLE review_fts USING fts5(note, content='reviews', content_rowid='id', tokenize='trigram');
      CREATE TRIGGER reviews_ai AFTER INSERT ON reviews BEGIN
        INSERT INTO review_fts(rowid, note) VALUES (new.id, new.note);
      END;
      -- The verdict that counts: each sample's latest.
      CREATE VIEW latest_reviews AS
        SELECT r.* FROM reviews r WHERE r.id = (SELECT max(id) FROM reviews WHERE sample_id = r.sample_id);
    `,
  },
  {
    // Refresh: a sample generated for one species of a dataset's target is superseded when
    // that species' model changes and retired when the species leaves the catalog. Such
    // samples stay (with their files) for audit, and are left out of exports by default.
    version: 6,
    sql: `
      ALTER TABLE samples ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'superseded', 'retired'));
      -- The species a refresh generated this sample for, and the sha256 of its model then.
      ALTER TABLE samples ADD COLUMN target_species TEXT;
      ALTER TABLE samples ADD COLUMN model_sha256 TEXT;
      CREATE INDEX samples_status ON samples(status);
      CREATE INDEX samples_target ON samples(target_species, status);
    `,
  },
  {
    // Scale (a million samples): what the review page and the query language read most is kept
    // ready instead of recomputed. Each sample's latest verdict in a table (reviews stay
    // append-only), facet counts in a table, both kept by triggers so that every writer (a run,
    // a merge, an export's delete, a refresh's update) keeps them right; covering indexes for
    // the animal filters. Existing databases are backfilled here.
    version: 7,
    sql: `
      CREATE TABLE sample_verdicts (
        sample_id  TEXT PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
        review_id  INTEGER NOT NULL,
        verdict    TEXT NOT NULL,
        reason     TEXT,
        reviewer   TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sample_verdicts_verdict ON sample_verdicts(verdict);
      CREATE INDEX sample_verdicts_reviewer ON sample_verdicts(reviewer);
      INSERT INTO sample_verdicts (sample_id, review_id, verdict, reason, reviewer)
        SELECT r.sample_id, r.id, r.verdict, r.reason, r.reviewer FROM reviews r
        WHERE r.id = (SELECT max(id) FROM reviews WHERE sample_id = r.sample_id);
      CREATE TRIGGER reviews_latest AFTER INSERT ON reviews BEGIN
        INSERT INTO sample_verdicts (sample_id, review_id, verdict, reason, reviewer)
          VALUES (new.sample_id, new.id, new.verdict, new.reason, new.reviewer)
          ON CONFLICT (sample_id) DO UPDATE SET review_id = excluded.review_id, verdict = excluded.verdict,
            reason = excluded.reason, reviewer = excluded.reviewer
          WHERE excluded.review_id > sample_verdicts.review_id;
      END;
      DROP VIEW latest_reviews;
      CREATE VIEW latest_reviews AS SELECT r.* FROM sample_verdicts v JOIN reviews r ON r.id = v.review_id;

      -- Counts per facet value, for the unfiltered review page. A NULL value is stored as the
      -- empty blob (x''): key is part of the primary key, and no facet value is a blob.
      -- Rows whose count falls to 0 stay (readers skip them).
      -- The first count (below) is repeated by recountFacets() in src/db/facets.ts.
      CREATE TABLE facet_counts (
        facet  TEXT NOT NULL,
        key    NOT NULL,
        n      INTEGER NOT NULL,
        PRIMARY KEY (facet, key)
      ) WITHOUT ROWID;
      INSERT INTO facet_counts (facet, key, n)
        SELECT 'samples', '', count(*) FROM samples
        UNION ALL SELECT 'preset', preset, count(*) FROM samples GROUP BY preset
        UNION ALL SELECT 'container', coalesce(container_kind, x''), count(*) FROM samples GROUP BY container_kind
        UNION ALL SELECT 'split', coalesce(split, x''), count(*) FROM samples GROUP BY split
        UNION ALL SELECT 'animal_count', animal_count, count(*) FROM samples GROUP BY animal_count
        UNION ALL SELECT 'difficulty', coalesce(difficulty, x''), count(*) FROM instances GROUP BY difficulty
        UNION ALL SELECT 'view', view, count(*) FROM instances GROUP BY view
        -- Visibility: how many are measured, and their sum in units of 1e-9 (an integer sum is
        -- exact and independent of the order rows came and went).
        UNION ALL SELECT 'visibility', 'n', count(visibility) FROM instances
        UNION ALL SELECT 'visibility', 'sum', coalesce(sum(round(visibility * 1e9)), 0) FROM instances
        UNION ALL SELECT 'verdict', verdict, count(*) FROM sample_verdicts GROUP BY verdict
        UNION ALL SELECT 'reason', reason, count(*) FROM sample_verdicts WHERE reason IS NOT NULL GROUP BY reason;

      -- Inserts are counted by their writer (src/db/facets.ts: a trigger per inserted row costs a
      -- third of the insert time at scale); deletes and updates by these triggers.
      CREATE TRIGGER samples_facets_ad AFTER DELETE ON samples BEGIN
        INSERT INTO facet_counts (facet, key, n) VALUES ('samples', '', -1), ('preset', old.preset, -1),
          ('container', coalesce(old.container_kind, x''), -1), ('split', coalesce(old.split, x''), -1), ('animal_count', old.animal_count, -1)
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
      END;
      CREATE TRIGGER samples_facets_au AFTER UPDATE OF preset, container_kind, split, animal_count ON samples BEGIN
        INSERT INTO facet_counts (facet, key, n) VALUES ('preset', old.preset, -1),
          ('container', coalesce(old.container_kind, x''), -1), ('split', coalesce(old.split, x''), -1), ('animal_count', old.animal_count, -1)
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
        INSERT INTO facet_counts (facet, key, n) VALUES ('preset', new.preset, 1),
          ('container', coalesce(new.container_kind, x''), 1), ('split', coalesce(new.split, x''), 1), ('animal_count', new.animal_count, 1)
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
      END;
      -- Animals per (species, scientific name): the species facet, and the few names a free-text
      -- term is matched against before the animals are looked up by index.
      CREATE TABLE species_names (
        species          TEXT NOT NULL,
        scientific_name  TEXT NOT NULL,
        n                INTEGER NOT NULL,
        PRIMARY KEY (species, scientific_name)
      ) WITHOUT ROWID;
      INSERT INTO species_names (species, scientific_name, n)
        SELECT species, scientific_name, count(*) FROM instances GROUP BY species, scientific_name;
      CREATE TRIGGER instances_facets_ad AFTER DELETE ON instances BEGIN
        UPDATE species_names SET n = n - 1 WHERE species = old.species AND scientific_name = old.scientific_name;
        INSERT INTO facet_counts (facet, key, n) VALUES ('difficulty', coalesce(old.difficulty, x''), -1),
          ('view', old.view, -1), ('visibility', 'n', -(old.visibility IS NOT NULL)), ('visibility', 'sum', -coalesce(round(old.visibility * 1e9), 0))
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
      END;
      CREATE TRIGGER instances_facets_au AFTER UPDATE OF species, scientific_name, difficulty, view, visibility ON instances BEGIN
        UPDATE species_names SET n = n - 1 WHERE species = old.species AND scientific_name = old.scientific_name;
        INSERT INTO species_names (species, scientific_name, n) VALUES (new.species, new.scientific_name, 1)
          ON CONFLICT (species, scientific_name) DO UPDATE SET n = n + 1;
        INSERT INTO facet_counts (facet, key, n) VALUES ('difficulty', coalesce(old.difficulty, x''), -1),
          ('view', old.view, -1), ('visibility', 'n', -(old.visibility IS NOT NULL)), ('visibility', 'sum', -coalesce(round(old.visibility * 1e9), 0))
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
        INSERT INTO facet_counts (facet, key, n) VALUES ('difficulty', coalesce(new.difficulty, x''), 1),
          ('view', new.view, 1), ('visibility', 'n', new.visibility IS NOT NULL), ('visibility', 'sum', coalesce(round(new.visibility * 1e9), 0))
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
      END;
      CREATE TRIGGER sample_verdicts_facets_ai AFTER INSERT ON sample_verdicts BEGIN
        INSERT INTO facet_counts (facet, key, n) SELECT 'verdict', new.verdict, 1
          UNION ALL SELECT 'reason', new.reason, 1 WHERE new.reason IS NOT NULL
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
      END;
      CREATE TRIGGER sample_verdicts_facets_ad AFTER DELETE ON sample_verdicts BEGIN
        INSERT INTO facet_counts (facet, key, n) SELECT 'verdict', old.verdict, -1
          UNION ALL SELECT 'reason', old.reason, -1 WHERE old.reason IS NOT NULL
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
      END;
      CREATE TRIGGER sample_verdicts_facets_au AFTER UPDATE ON sample_verdicts BEGIN
        INSERT INTO facet_counts (facet, key, n) SELECT 'verdict', old.verdict, -1
          UNION ALL SELECT 'reason', old.reason, -1 WHERE old.reason IS NOT NULL
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
        INSERT INTO facet_counts (facet, key, n) SELECT 'verdict', new.verdict, 1
          UNION ALL SELECT 'reason', new.reason, 1 WHERE new.reason IS NOT NULL
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
      END;

      -- Animal filters answered from the index alone (the sample id is in it), and min/max visibility.
      -- instances(sample_id) is covered by the UNIQUE (sample_id, view, instance_index) index.
      DROP INDEX instances_sample_id;
      DROP INDEX instances_species;
      DROP INDEX instances_difficulty;
      CREATE INDEX instances_species ON instances(species, sample_id);
      CREATE INDEX instances_difficulty ON instances(difficulty, sample_id);
      CREATE INDEX instances_visibility ON instances(visibility, sample_id);
      -- The gallery's order; split and preset filters answered with the sample id from the index.
      CREATE INDEX samples_order ON samples(run_id, sample_index);
      DROP INDEX samples_run_id;
      CREATE INDEX samples_split ON samples(split, id);
      DROP INDEX samples_preset;
      CREATE INDEX samples_preset ON samples(preset, id);
    `,
  },
  {
    // Scale, second step (src/db/facet-bits.ts): facet bitmaps answer the facet terms of queries
    // and the facet counts of any such query in constant time, so the indexes that served those
    // terms go, which makes inserts cheaper; the refresh-only indexes keep only the rows refresh
    // looks for (a plain run's samples have no target species and are all active).
    version: 8,
    sql: `
      -- Bitmaps over sample keys (samples.rowid), 65,536 samples a row; key NULL is x''.
      CREATE TABLE facet_bits (
        facet  TEXT NOT NULL,
        key    NOT NULL,
        level  INTEGER NOT NULL,
        chunk  INTEGER NOT NULL,
        bits   BLOB NOT NULL,
        PRIMARY KEY (facet, key, level, chunk)
      ) WITHOUT ROWID;
      -- Every (facet, key, level) that has a bitmap: the keys a query's values are matched against.
      CREATE TABLE facet_values (
        facet  TEXT NOT NULL,
        key    NOT NULL,
        level  INTEGER NOT NULL,
        PRIMARY KEY (facet, key, level)
      ) WITHOUT ROWID;
      -- Per sample, 1,024 samples a row: measured animals, sum of visibility (1e-9 units), min, max.
      CREATE TABLE facet_vis (
        chunk  INTEGER PRIMARY KEY,
        data   BLOB NOT NULL
      );
      -- Samples changed since their bits were written (deletes, updates, verdicts).
      CREATE TABLE facet_dirty (sk INTEGER PRIMARY KEY);
      -- max_sk: the highest key covered; ordered: keys follow (run_id, sample_index).
      CREATE TABLE facet_state (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        max_sk      INTEGER NOT NULL,
        ordered     INTEGER NOT NULL,
        last_run    INTEGER,
        last_index  INTEGER
      );
      -- No OR IGNORE here: a trigger's conflict clause gives way to that of the statement firing
      -- it (a verdict's upsert), so a key already logged is skipped explicitly.
      CREATE TRIGGER samples_bits_ad AFTER DELETE ON samples BEGIN
        INSERT INTO facet_dirty (sk) SELECT old.rowid WHERE old.rowid NOT IN (SELECT sk FROM facet_dirty);
      END;
      CREATE TRIGGER samples_bits_au AFTER UPDATE OF preset, container_kind, split, status, animal_count ON samples BEGIN
        INSERT INTO facet_dirty (sk) SELECT k FROM (SELECT old.rowid AS k UNION SELECT new.rowid) WHERE k NOT IN (SELECT sk FROM facet_dirty);
      END;
      CREATE TRIGGER samples_order_au AFTER UPDATE OF run_id, sample_index ON samples BEGIN
        UPDATE facet_state SET ordered = 0;
      END;
      CREATE TRIGGER instances_bits_ad AFTER DELETE ON instances BEGIN
        INSERT INTO facet_dirty (sk) SELECT rowid FROM samples WHERE id = old.sample_id AND rowid NOT IN (SELECT sk FROM facet_dirty);
      END;
      CREATE TRIGGER instances_bits_au AFTER UPDATE OF sample_id, species, difficulty, view, visibility ON instances BEGIN
        INSERT INTO facet_dirty (sk) SELECT rowid FROM samples WHERE id IN (old.sample_id, new.sample_id) AND rowid NOT IN (SELECT sk FROM facet_dirty);
      END;
      CREATE TRIGGER sample_verdicts_bits_ai AFTER INSERT ON sample_verdicts BEGIN
        INSERT INTO facet_dirty (sk) SELECT rowid FROM samples WHERE id = new.sample_id AND rowid NOT IN (SELECT sk FROM facet_dirty);
      END;
      CREATE TRIGGER sample_verdicts_bits_au AFTER UPDATE ON sample_verdicts BEGIN
        INSERT INTO facet_dirty (sk) SELECT rowid FROM samples WHERE id IN (old.sample_id, new.sample_id) AND rowid NOT IN (SELECT sk FROM facet_dirty);
      END;
      CREATE TRIGGER sample_verdicts_bits_ad AFTER DELETE ON sample_verdicts BEGIN
        INSERT INTO facet_dirty (sk) SELECT rowid FROM samples WHERE id = old.sample_id AND rowid NOT IN (SELECT sk FROM facet_dirty);
      END;

      -- Split, preset, difficulty and visibility terms are answered by the bitmaps. (Visibility
      -- was the one index a run inserted into at random places: at a million samples, its
      -- pages were read back from disk.)
      DROP INDEX samples_split;
      DROP INDEX samples_preset;
      DROP INDEX instances_difficulty;
      DROP INDEX instances_visibility;
      DROP INDEX samples_status;
      CREATE INDEX samples_status ON samples(status) WHERE status <> 'active';
      DROP INDEX samples_target;
      CREATE INDEX samples_target ON samples(target_species, status) WHERE target_species IS NOT NULL;
    `,
    run: rebuildFacetBits,
  },
  {
    // Insert speed (a million samples in under a minute): a sample's objects and files become two
    // JSON columns of its row instead of one row each (3-40 objects and 2-10 files a sample, each
    // row a b-tree insertion keyed by the sample's text id). Views named as the old tables keep
    // the read shape (CSV export, getSample, reports); INSTEAD OF triggers keep them writable.
    // objects_json: [[object_id, role, kind, materials], ...] sorted by object_id;
    // files_json: [[view, kind, path, sha256], ...] sorted by view, kind (the old keys' order).
    version: 9,
    sql: `
      ALTER TABLE samples ADD COLUMN objects_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE samples ADD COLUMN files_json TEXT NOT NULL DEFAULT '[]';
      UPDATE samples SET
        objects_json = (SELECT json_group_array(json_array(o.object_id, o.role, o.kind, o.materials) ORDER BY o.object_id)
                        FROM objects o WHERE o.sample_id = samples.id),
        files_json = (SELECT json_group_array(json_array(f.view, f.kind, f.path, f.sha256) ORDER BY f.view, f.kind)
                      FROM sample_files f WHERE f.sample_id = samples.id)
        WHERE id IN (SELECT sample_id FROM objects UNION SELECT sample_id FROM sample_files);
      DROP TABLE objects;
      DROP TABLE sample_files;

      CREATE VIEW objects (sample_id, object_id, role, kind, materials) AS
        SELECT s.id, o.value ->> 0, o.value ->> 1, o.value ->> 2, o.value ->> 3 FROM samples s, json_each(s.objects_json) o;
      CREATE VIEW sample_files (sample_id, view, kind, path, sha256) AS
        SELECT s.id, f.value ->> 0, f.value ->> 1, f.value ->> 2, f.value ->> 3 FROM samples s, json_each(s.files_json) f;

      -- Writes through the views (edits by hand, tests); the insert path writes the columns.
      -- The checks are those of the old tables.
      CREATE TRIGGER objects_ii INSTEAD OF INSERT ON objects BEGIN
        SELECT RAISE(ABORT, 'objects: role must be container, clutter or animal') WHERE new.role NOT IN ('container', 'clutter', 'animal');
        SELECT RAISE(ABORT, 'objects: no such sample') WHERE NOT EXISTS (SELECT 1 FROM samples WHERE id = new.sample_id);
        SELECT RAISE(ABORT, 'UNIQUE constraint failed: objects.sample_id, objects.object_id')
          WHERE EXISTS (SELECT 1 FROM objects WHERE sample_id = new.sample_id AND object_id = new.object_id);
        UPDATE samples SET objects_json = (
          SELECT json_group_array(json(v) ORDER BY v ->> 0) FROM (
            SELECT o.value AS v FROM json_each(samples.objects_json) o
            UNION ALL SELECT json_array(new.object_id, new.role, new.kind, new.materials)))
          WHERE id = new.sample_id;
      END;
      CREATE TRIGGER objects_id INSTEAD OF DELETE ON objects BEGIN
        UPDATE samples SET objects_json = (
          SELECT json_group_array(json(o.value) ORDER BY o.value ->> 0) FROM json_each(samples.objects_json) o WHERE o.value ->> 0 IS NOT old.object_id)
          WHERE id = old.sample_id;
      END;
      CREATE TRIGGER objects_iu INSTEAD OF UPDATE ON objects BEGIN
        SELECT RAISE(ABORT, 'objects: a row cannot move to another sample') WHERE new.sample_id IS NOT old.sample_id;
        SELECT RAISE(ABORT, 'objects: role must be container, clutter or animal') WHERE new.role NOT IN ('container', 'clutter', 'animal');
        UPDATE samples SET objects_json = (
          SELECT json_group_array(json(v) ORDER BY v ->> 0) FROM (
            SELECT CASE WHEN o.value ->> 0 IS old.object_id THEN json_array(new.object_id, new.role, new.kind, new.materials) ELSE o.value END AS v
            FROM json_each(samples.objects_json) o))
          WHERE id = old.sample_id;
      END;
      CREATE TRIGGER sample_files_ii INSTEAD OF INSERT ON sample_files BEGIN
        SELECT RAISE(ABORT, 'sample_files: view must be top or side') WHERE new.view NOT IN ('top', 'side');
        SELECT RAISE(ABORT, 'sample_files: sha256 must be 64 hex digits') WHERE length(new.sha256) IS NOT 64;
        SELECT RAISE(ABORT, 'sample_files: no such sample') WHERE NOT EXISTS (SELECT 1 FROM samples WHERE id = new.sample_id);
        SELECT RAISE(ABORT, 'UNIQUE constraint failed: sample_files.sample_id, sample_files.view, sample_files.kind')
          WHERE EXISTS (SELECT 1 FROM sample_files WHERE sample_id = new.sample_id AND view = new.view AND kind = new.kind);
        UPDATE samples SET files_json = (
          SELECT json_group_array(json(v) ORDER BY v ->> 0, v ->> 1) FROM (
            SELECT f.value AS v FROM json_each(samples.files_json) f
            UNION ALL SELECT json_array(new.view, new.kind, new.path, new.sha256)))
          WHERE id = new.sample_id;
      END;
      CREATE TRIGGER sample_files_id INSTEAD OF DELETE ON sample_files BEGIN
        UPDATE samples SET files_json = (
          SELECT json_group_array(json(f.value) ORDER BY f.value ->> 0, f.value ->> 1) FROM json_each(samples.files_json) f
          WHERE NOT (f.value ->> 0 IS old.view AND f.value ->> 1 IS old.kind))
          WHERE id = old.sample_id;
      END;
      CREATE TRIGGER sample_files_iu INSTEAD OF UPDATE ON sample_files BEGIN
        SELECT RAISE(ABORT, 'sample_files: a row cannot move to another sample') WHERE new.sample_id IS NOT old.sample_id;
        SELECT RAISE(ABORT, 'sample_files: view must be top or side') WHERE new.view NOT IN ('top', 'side');
        SELECT RAISE(ABORT, 'sample_files: sha256 must be 64 hex digits') WHERE length(new.sha256) IS NOT 64;
        UPDATE samples SET files_json = (
          SELECT json_group_array(json(v) ORDER BY v ->> 0, v ->> 1) FROM (
            SELECT CASE WHEN f.value ->> 0 IS old.view AND f.value ->> 1 IS old.kind
                        THEN json_array(new.view, new.kind, new.path, new.sha256) ELSE f.value END AS v
            FROM json_each(samples.files_json) f))
          WHERE id = old.sample_id;
      END;
    `,
  },
  {
    // Review-note search at scale: a note search found its samples by their text id, one probe
    // of the samples' id index per matching note (30 of some 60 ms CPU for 25,000 notes at a
    // million samples). Each review now carries its sample's key (samples.rowid, the key of the
    // facet bitmaps) so a match is a sample key at once. Set by a trigger for every writer, and
    // cleared when the sample goes (its reviews cascade too; this guards connections with
    // foreign keys off, where a later sample could reuse the key). Reviews stay append-only
    // for everything they say: only sample_sk may change.
    version: 10,
    sql: `
      ALTER TABLE reviews ADD COLUMN sample_sk INTEGER;
      DROP TRIGGER reviews_no_update;
      CREATE TRIGGER reviews_no_update BEFORE UPDATE OF id, sample_id, verdict, reason, note, reviewer, created_at ON reviews BEGIN
        SELECT RAISE(ABORT, 'reviews are append-only: add a new verdict instead of changing one');
      END;
      UPDATE reviews SET sample_sk = (SELECT rowid FROM samples WHERE id = reviews.sample_id);
      CREATE TRIGGER reviews_sk AFTER INSERT ON reviews BEGIN
        UPDATE reviews SET sample_sk = (SELECT rowid FROM samples WHERE id = new.sample_id) WHERE id = new.id;
      END;
      CREATE TRIGGER samples_reviews_sk_ad AFTER DELETE ON samples BEGIN
        UPDATE reviews SET sample_sk = NULL WHERE sample_id = old.id;
      END;
    `,
  },
  {
    // Insert speed, third step: the animal rows were keyed by their sample's text id, in three
    // b-trees (the table, UNIQUE (sample_id, view, instance_index), (species, sample_id)). They
    // now live in instance_rows, keyed by the sample's integer key (samples.rowid, "sk", the key
    // of the facet bitmaps and of reviews.sample_sk): the row's id is
    //   sk * 4096 + (view = 'side') * 2048 + instance_index
    // (a CHECK holds it to that), so the primary key is the unique key too and a sample's
    // animals are one range of ids: two b-trees a row instead of three, integer keys. The view
    // `instances` keeps the old table's columns (sample_id included) for every reader, and its
    // INSTEAD OF triggers keep it writable. A foreign key cannot name samples.rowid: a trigger
    // deletes a sample's animals with it (with or without foreign keys on).
    version: 11,
    sql: `
      CREATE TABLE instance_rows (
        id               INTEGER PRIMARY KEY,
        sample_sk        INTEGER NOT NULL,
        view             TEXT NOT NULL CHECK (view IN ('top', 'side')),
        instance_index   INTEGER NOT NULL CHECK (instance_index >= 0 AND instance_index < 2048),
        object_id        TEXT NOT NULL,
        species          TEXT NOT NULL,
        scientific_name  TEXT NOT NULL,
        bbox_x           REAL,
        bbox_y           REAL,
        bbox_w           REAL,
        bbox_h           REAL,
        mask_area        INTEGER NOT NULL CHECK (mask_area >= 0),
        mask_rle         TEXT NOT NULL,
        length_mm        REAL NOT NULL,
        visibility       REAL CHECK (visibility IS NULL OR (visibility >= 0 AND visibility <= 1)),
        difficulty       TEXT CHECK (difficulty IS NULL OR difficulty IN ('easy', 'hard', 'hidden')),
        CHECK (id = sample_sk * 4096 + (view = 'side') * 2048 + instance_index),
        CHECK ((bbox_x IS NULL) = (bbox_w IS NULL) AND (bbox_y IS NULL) = (bbox_h IS NULL) AND (bbox_x IS NULL) = (bbox_y IS NULL))
      );
      -- Animals whose sample is gone (possible only with foreign keys off) have no key: left out.
      INSERT INTO instance_rows (id, sample_sk, view, instance_index, object_id, species, scientific_name,
                                 bbox_x, bbox_y, bbox_w, bbox_h, mask_area, mask_rle, length_mm, visibility, difficulty)
        SELECT s.rowid * 4096 + (i.view = 'side') * 2048 + i.instance_index, s.rowid, i.view, i.instance_index, i.object_id, i.species, i.scientific_name,
               i.bbox_x, i.bbox_y, i.bbox_w, i.bbox_h, i.mask_area, i.mask_rle, i.length_mm, i.visibility, i.difficulty
        FROM instances i JOIN samples s ON s.id = i.sample_id ORDER BY 1;
      -- Its indexes and triggers go with it.
      DROP TABLE instances;
      CREATE INDEX instance_rows_species ON instance_rows (species, sample_sk);

      -- Both join terms: from a sample, its animals are a range of ids; from an animal, its sample is a rowid.
      CREATE VIEW instances (id, sample_id, view, instance_index, object_id, species, scientific_name,
                             bbox_x, bbox_y, bbox_w, bbox_h, mask_area, mask_rle, length_mm, visibility, difficulty) AS
        SELECT i.id, s.id, i.view, i.instance_index, i.object_id, i.species, i.scientific_name,
               i.bbox_x, i.bbox_y, i.bbox_w, i.bbox_h, i.mask_area, i.mask_rle, i.length_mm, i.visibility, i.difficulty
        FROM samples s JOIN instance_rows i ON i.id BETWEEN s.rowid * 4096 AND s.rowid * 4096 + 4095 AND i.sample_sk = s.rowid;

      CREATE TRIGGER samples_instances_ad AFTER DELETE ON samples BEGIN
        DELETE FROM instance_rows WHERE id BETWEEN old.rowid * 4096 AND old.rowid * 4096 + 4095;
      END;

      -- The counts and bitmap log of migrations 7 and 8, now on the table (keyed by sk directly).
      CREATE TRIGGER instance_rows_facets_ad AFTER DELETE ON instance_rows BEGIN
        UPDATE species_names SET n = n - 1 WHERE species = old.species AND scientific_name = old.scientific_name;
        INSERT INTO facet_counts (facet, key, n) VALUES ('difficulty', coalesce(old.difficulty, x''), -1),
          ('view', old.view, -1), ('visibility', 'n', -(old.visibility IS NOT NULL)), ('visibility', 'sum', -coalesce(round(old.visibility * 1e9), 0))
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
      END;
      CREATE TRIGGER instance_rows_facets_au AFTER UPDATE OF species, scientific_name, difficulty, view, visibility ON instance_rows BEGIN
        UPDATE species_names SET n = n - 1 WHERE species = old.species AND scientific_name = old.scientific_name;
        INSERT INTO species_names (species, scientific_name, n) VALUES (new.species, new.scientific_name, 1)
          ON CONFLICT (species, scientific_name) DO UPDATE SET n = n + 1;
        INSERT INTO facet_counts (facet, key, n) VALUES ('difficulty', coalesce(old.difficulty, x''), -1),
          ('view', old.view, -1), ('visibility', 'n', -(old.visibility IS NOT NULL)), ('visibility', 'sum', -coalesce(round(old.visibility * 1e9), 0))
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
        INSERT INTO facet_counts (facet, key, n) VALUES ('difficulty', coalesce(new.difficulty, x''), 1),
          ('view', new.view, 1), ('visibility', 'n', new.visibility IS NOT NULL), ('visibility', 'sum', coalesce(round(new.visibility * 1e9), 0))
          ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n;
      END;
      CREATE TRIGGER instance_rows_bits_ad AFTER DELETE ON instance_rows BEGIN
        INSERT INTO facet_dirty (sk) SELECT old.sample_sk WHERE old.sample_sk NOT IN (SELECT sk FROM facet_dirty);
      END;
      CREATE TRIGGER instance_rows_bits_au AFTER UPDATE OF sample_sk, species, difficulty, view, visibility ON instance_rows BEGIN
        INSERT INTO facet_dirty (sk) SELECT k FROM (SELECT old.sample_sk AS k UNION SELECT new.sample_sk) WHERE k NOT IN (SELECT sk FROM facet_dirty);
      END;

      -- Writes through the view (edits by hand, tests, merge): the old table's checks, the id derived.
      CREATE TRIGGER instances_ii INSTEAD OF INSERT ON instances BEGIN
        SELECT RAISE(ABORT, 'instances: no such sample (FOREIGN KEY constraint failed)') WHERE NOT EXISTS (SELECT 1 FROM samples WHERE id = new.sample_id);
        SELECT RAISE(ABORT, 'UNIQUE constraint failed: instances.sample_id, instances.view, instances.instance_index')
          WHERE EXISTS (SELECT 1 FROM instance_rows WHERE id = (SELECT rowid FROM samples WHERE id = new.sample_id) * 4096
                        + (coalesce(new.view, 'top') = 'side') * 2048 + new.instance_index);
        INSERT INTO instance_rows (id, sample_sk, view, instance_index, object_id, species, scientific_name,
                                   bbox_x, bbox_y, bbox_w, bbox_h, mask_area, mask_rle, length_mm, visibility, difficulty)
          SELECT s.rowid * 4096 + (coalesce(new.view, 'top') = 'side') * 2048 + new.instance_index, s.rowid, coalesce(new.view, 'top'), new.instance_index,
                 new.object_id, new.species, new.scientific_name, new.bbox_x, new.bbox_y, new.bbox_w, new.bbox_h, new.mask_area, new.mask_rle,
                 new.length_mm, new.visibility, new.difficulty
          FROM samples s WHERE s.id = new.sample_id;
      END;
      CREATE TRIGGER instances_iu INSTEAD OF UPDATE ON instances BEGIN
        SELECT RAISE(ABORT, 'instances: id is derived from the sample, view and instance_index; change those instead') WHERE new.id IS NOT old.id;
        SELECT RAISE(ABORT, 'instances: no such sample (FOREIGN KEY constraint failed)') WHERE NOT EXISTS (SELECT 1 FROM samples WHERE id = new.sample_id);
        UPDATE instance_rows SET
          id = (SELECT rowid FROM samples WHERE id = new.sample_id) * 4096 + (new.view = 'side') * 2048 + new.instance_index,
          sample_sk = (SELECT rowid FROM samples WHERE id = new.sample_id),
          view = new.view, instance_index = new.instance_index, object_id = new.object_id, species = new.species,
          scientific_name = new.scientific_name, bbox_x = new.bbox_x, bbox_y = new.bbox_y, bbox_w = new.bbox_w, bbox_h = new.bbox_h,
          mask_area = new.mask_area, mask_rle = new.mask_rle, length_mm = new.length_mm, visibility = new.visibility, difficulty = new.difficulty
          WHERE id = old.id;
      END;
      CREATE TRIGGER instances_id INSTEAD OF DELETE ON instances BEGIN
        DELETE FROM instance_rows WHERE id = old.id;
      END;
    `,
  },
  {
    // Insert speed, fourth step: a CHECK of the form \`x IN ('a', 'b', 'c')\` (three constants or
    // more) fills an ephemeral table each time a row is checked, some 2 us a row; the same test
    // written as equalities joined by OR costs next to nothing. samples.status and
    // instance_rows.difficulty are checked on every sample and animal inserted (three rows a
    // sample: a tenth of the insert time). The constraints mean the same and the stored rows
    // do not change, so the table text is edited in place (see rewriteChecks) rather than the
    // tables rebuilt: a database of a million samples upgrades in milliseconds.
    version: 12,
    sql: '',
    run: (db) =>
      rewriteChecks(db, [
        ['samples', "status IN ('active', 'superseded', 'retired')", "status = 'active' OR status = 'superseded' OR status = 'retired'"],
        ['instance_rows', "difficulty IN ('easy', 'hard', 'hidden')", "difficulty = 'easy' OR difficulty = 'hard' OR difficulty = 'hidden'"],
      ]),
  },
];

/**
 * Replaces text inside the CREATE TABLE statements of tables, in sqlite_schema: SQLite's
 * documented way to change a CHECK constraint without rebuilding the table
 * (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes").
 * Only for edits that leave every stored row valid and the record format as it is. Runs in
 * the caller's transaction; bumping schema_version makes every connection read the new text.
 */
export function rewriteChecks(db: BetterSqlite3.Database, edits: ReadonlyArray<readonly [table: string, from: string, to: string]>): void {
  const read = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck();
  const version = db.pragma('schema_version', { simple: true }) as number;
  // Editing sqlite_schema is what SQLITE_DBCONFIG_DEFENSIVE (better-sqlite3's default) forbids.
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    try {
      const write = db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?");
      for (const [table, from, to] of edits) {
        const sql = read.get(table) as string | undefined;
        // A table whose text differs (made by hand) keeps its constraint: correct, only slower.
        if (sql?.includes(from)) write.run(sql.replace(from, to), table);
      }
      db.pragma(`schema_version = ${version + 1}`);
    } finally {
      db.pragma('writable_schema = OFF');
    }
  } finally {
    db.unsafeMode(false);
  }
}

/** The version a database has once every migration of this build is applied. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function schemaVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the migrations newer than the file's `user_version`, each in its own
 * transaction. Returns the versions applied. The caller checks for files from a
 * newer build first (see database.ts), where this would silently do nothing.
 */
export function migrate(db: BetterSqlite3.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= schemaVersion(db)) continue;
    // IMMEDIATE takes the write lock first; re-checking inside means a second
    // process that opened the same new file at the same time skips, not fails.
    const ran = db
      .transaction(() => {
        if (m.version <= schemaVersion(db)) return false;
        db.exec(m.sql);
        m.run?.(db);
        // user_version lives in the file header and is rolled back with the transaction.
        db.pragma(`user_version = ${Math.trunc(m.version)}`);
        return true;
      })
      .immediate();
    if (ran) applied.push(m.version);
  }
  return applied;
}
