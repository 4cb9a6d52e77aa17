/**
 * The simulation database: one SQLite file per dataset (DESIGN.md section 5),
 * the source of truth for refresh, export and review.
 *
 * better-sqlite3 is synchronous, which suits a single writer per file (each
 * shard writes its own database); WAL lets the review page read while the
 * generator writes. All SQL is parameterised; statements are prepared once.
 */
import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { ExorayError } from '../core/errors.js';
import { APPLY_AT, FacetBitsWriter, applyFacetDirty, waitingSamples } from './facet-bits.js';
import { FacetTally, type TalliedAnimal } from './facets.js';
import { A, S, prepareSample, type PreparedSample, type SqlValue } from './prepared.js';
import {
  rowToInstance,
  rowToObject,
  rowToRun,
  rowToSummary,
  sampleToRow,
  type InstanceRow,
  type ObjectRow,
  type RunInfo,
  type RunRow,
  type RunStatus,
  type SampleFile,
  type SampleRecord,
  type SampleRow,
  type SampleStatus,
  type SampleSummary,
  type StoredRun,
  type StoredSample,
} from './records.js';
import { APPLICATION_ID, SCHEMA_VERSION, migrate, schemaVersion } from './schema.js';
import { INSTANCE_KEYS, instanceKey } from './instance-key.js';
import type { ViewName } from '../core/types.js';
import type { Difficulty } from '../labels/difficulty.js';

/** What the store reads of an animal: its facet values and tallied columns. */
type AnimalFacets = TalliedAnimal & { view: ViewName; difficulty: Difficulty | null };

export interface OpenOptions {
  /** Open without writing: no migrations, no journal-mode change; the file must exist. */
  readonly?: boolean;
  /** How long a write waits for another connection's lock before failing, ms. */
  busyTimeoutMs?: number;
}

export const VERDICTS = ['approved', 'rejected', 'flagged'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface ReviewInput {
  sampleId: string;
  verdict: Verdict;
  /** e.g. interpenetration, implausible-pose, outside-container, label-wrong, unrealistic-clutter */
  reason?: string | null;
  note?: string;
  reviewer: string;
  createdAt?: string;
}

export interface StoredReview extends Required<Omit<ReviewInput, 'reason'>> {
  id: number;
  reason: string | null;
}

/** What the database keeps of a species catalog entry. */
export interface SpeciesSnapshot {
  id: string;
  scientificName: string;
  commonNames: Record<string, string>;
  taxonomy: { class: string; order: string; family: string };
  cites: string | null;
  tags: string[];
  synonyms?: string[];
}

export interface SampleFilter {
  runId?: number;
  preset?: string;
  split?: string;
  status?: SampleStatus;
  limit?: number;
  offset?: number;
}

const SAMPLE_COLUMNS =
  'id, run_id, sample_index, seed, preset, split, width, height, scanner_json, container_kind, clutter_count, animal_count, ' +
  'scene_json, image_path, raw_path, image_sha256, raw_sha256, render_ms, created_at, status, target_species, model_sha256';
const SUMMARY_COLUMNS = SAMPLE_COLUMNS.replace(' scanner_json,', '').replace(' scene_json,', '');
/** What the insert path writes: the sample's columns, its objects and its files (schema version 9). */
const INSERT_COLUMNS = `${SAMPLE_COLUMNS}, objects_json, files_json`;
/** The animal rows' table (schema version 11): keyed by the sample's integer key, see instanceKey(). */
const INSTANCE_COLUMNS =
  'id, sample_sk, view, instance_index, object_id, species, scientific_name, bbox_x, bbox_y, bbox_w, bbox_h, mask_area, mask_rle, length_mm, visibility, difficulty';
/** The columns of the `instances` view a reader gets from instance_rows (sample_id added by the reader). */
const INSTANCE_READ_COLUMNS =
  'id, view, instance_index, object_id, species, scientific_name, bbox_x, bbox_y, bbox_w, bbox_h, mask_area, mask_rle, length_mm, visibility, difficulty';

// Positional parameters: binding by name costs better-sqlite3 a property lookup per column.
const placeholders = (columns: string) => columns.split(', ').map(() => '?').join(', ');
/** The insert path's two statements: a sample's row, and each of its animals' rows. */
export const INSERT_SAMPLE_SQL = `INSERT INTO samples (${INSERT_COLUMNS}) VALUES (${placeholders(INSERT_COLUMNS)})`;
export const INSERT_INSTANCE_SQL = `INSERT INTO instance_rows (${INSTANCE_COLUMNS}) VALUES (${placeholders(INSTANCE_COLUMNS)})`;

/** Opens (creating and migrating when writable) the simulation database at `path`. */
export function openDatabase(path: string, options: OpenOptions = {}): SimulationDb {
  const readonly = options.readonly ?? false;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: busyTimeoutMs });
  } catch (e) {
    throw new ExorayError(
      'E_DATABASE',
      `db: cannot open "${path}": ${(e as Error).message}. Check that the file (or, to create it, its folder) exists and is ${readonly ? 'readable' : 'writable'}.`,
      { cause: e },
    );
  }
  try {
    prepareConnection(db, path, readonly, busyTimeoutMs);
  } catch (e) {
    db.close();
    throw e;
  }
  return new SimulationDb(db, path, readonly);
}

function prepareConnection(db: Database.Database, path: string, readonly: boolean, busyTimeoutMs: number): void {
  let version: number;
  let appId: number;
  let tableCount: number;
  try {
    // The first statements read the header: this is where a non-SQLite file shows.
    version = schemaVersion(db);
    appId = db.pragma('application_id', { simple: true }) as number;
    tableCount = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
  } catch (e) {
    throw new ExorayError(
      'E_DATABASE',
      `db: "${path}" is not an SQLite database or is corrupt (${(e as Error).message}). Move it away or choose another database path; exoray creates a new one.`,
      { cause: e },
    );
  }
  if (appId !== APPLICATION_ID && (appId !== 0 || tableCount > 0)) {
    throw new ExorayError('E_DATABASE', `db: "${path}" is an SQLite database of another program, not an exoray simulation database. Choose another database path.`);
  }
  if (version > SCHEMA_VERSION) {
    throw new ExorayError(
      'E_DATABASE',
      `db: "${path}" has schema version ${version}, written by a newer exoray; this one knows up to version ${SCHEMA_VERSION}. Upgrade exoray to open it, or choose another database path.`,
    );
  }

  if (readonly && version < SCHEMA_VERSION) {
    throw new ExorayError(
      'E_DATABASE',
      `db: "${path}" has schema version ${version} and needs version ${SCHEMA_VERSION}, which read-only mode cannot apply. Open it once writable (e.g. with exoray generate or refresh) to upgrade it.`,
    );
  }

  try {
    db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    db.pragma('foreign_keys = ON');
    // 64 MiB of page cache (the default is 2 MiB): at a million samples the indexes a run
    // inserts into, and those a query walks, stay in memory.
    db.pragma('cache_size = -65536');
    // Reads through a memory map rather than a read() per page: queries that probe an index
    // 100,000 times are about a fifth faster. Writes still go through the journal.
    db.pragma('mmap_size = 2147483648');
    if (readonly) return;
    // A new database gets 8 KB pages (SQLite's default is 4 KB): a sample's row (2 KB with its
    // scene JSON) packs four to a page with less left over, and a facet chunk spans fewer
    // pages. At 100,000 samples: 10 % smaller, 12 % fewer bytes written, 7 % less insert CPU.
    // Only an empty file can take it; existing databases keep theirs.
    if (tableCount === 0 && version === 0) db.pragma('page_size = 8192');
    // WAL: readers (the review page) do not block the writer, and commits are cheap.
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only power loss can drop the last commits.
    db.pragma('synchronous = NORMAL');
    // Checkpoint every 64 MiB of WAL rather than every 1,000 pages (the default): a bulk insert's
    // commits then rarely wait on a checkpoint's fsyncs, and pages changed by several commits
    // (index interiors, facet chunks) are copied into the file once. Measured at 100,000
    // samples: 14 % fewer bytes written, 30 % fewer read. The WAL is cut back to that size.
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`wal_autocheckpoint = ${Math.max(1000, Math.trunc(67108864 / pageSize))}`);
    db.pragma('journal_size_limit = 67108864');
    migrate(db);
    // Changes a writer left unapplied to the facet bitmaps (see facet-bits.ts).
    if (db.prepare('SELECT 1 FROM facet_dirty LIMIT 1').get()) db.transaction(() => applyFacetDirty(db)).immediate();
  } catch (e) {
    throw new ExorayError('E_DATABASE', `db: cannot prepare "${path}": ${(e as Error).message}.`, { cause: e });
  }
}

/** prepareSample, with a record that cannot be read (a missing field) named in the error. */
function prepareRecord(record: SampleRecord, now: string): PreparedSample {
  try {
    return prepareSample(record, now);
  } catch (e) {
    if (e instanceof ExorayError) throw e;
    throw new ExorayError('E_DATABASE', `db: cannot store sample ${String(record?.id)}: ${(e as Error).message}. Nothing of it was written.`, { cause: e });
  }
}

/** The insert path's statements, prepared once per connection (a run inserts millions of rows). */
interface InsertStatements {
  sample: Database.Statement;
  instance: Database.Statement;
}

export class SimulationDb {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly insertOne: (record: SampleRecord) => void;
  private readonly insertMany: <T>(items: readonly T[], prepare: (item: T, now: string) => PreparedSample) => void;
  private inserts: InsertStatements | undefined;

  constructor(
    private readonly db: Database.Database,
    readonly path: string,
    readonly readonly: boolean,
  ) {
    const batch = db.transaction((items: readonly unknown[], prepare: (item: unknown, now: string) => PreparedSample) => {
      const now = new Date().toISOString();
      const tally = new FacetTally();
      const bits = new FacetBitsWriter();
      const runs = new Set<SqlValue>();
      for (const item of items) {
        const p = prepare(item, now);
        const runId = p.sample[S.runId]!;
        if (!runs.has(runId)) {
          if (this.stmt('SELECT 1 FROM runs WHERE id = ?').get(runId) === undefined) {
            throw new ExorayError('E_DATABASE', `db: cannot store sample ${String(p.sample[S.id])} in "${this.path}": there is no run ${String(runId)}. Check that run ${String(runId)} was started in this database. Nothing of the batch was written.`);
          }
          runs.add(runId);
        }
        this.storeSample(p, tally, bits);
      }
      tally.flush(db);
      // A few samples (a run's commit as each finishes) are logged, and applied in bulk later.
      bits.flush(db, { log: items.length < APPLY_AT });
      if (waitingSamples(db) >= APPLY_AT) applyFacetDirty(db);
    });
    // Prepared once: a run commits after every sample.
    const fk = { get: db.prepare('PRAGMA foreign_keys').pluck(), off: db.prepare('PRAGMA foreign_keys = OFF'), on: db.prepare('PRAGMA foreign_keys = ON') };
    this.insertMany = <T>(items: readonly T[], prepare: (item: T, now: string) => PreparedSample) => {
      // Foreign keys are not checked row by row here (a tenth of the insert time): every row of
      // a sample names the sample inserted just before it, and the run is checked above. Inside
      // a caller's transaction the pragma cannot change, and the checks simply stay on.
      const unchecked = !db.inTransaction && fk.get.get() === 1;
      if (unchecked) fk.off.run();
      try {
        batch(items, prepare as (item: unknown, now: string) => PreparedSample);
      } finally {
        if (unchecked) fk.on.run();
      }
    };
    this.insertOne = (record: SampleRecord) => this.insertMany([record], prepareRecord);
  }

  /** The better-sqlite3 handle, for other modules of src/db (queries, merge). */
  get connection(): Database.Database {
    return this.db;
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  startRun(info: RunInfo): number {
    const result = this.run(
      'start the run',
      `INSERT INTO runs (tool_version, git_revision, preset, seed, options_json, host, shard_index, shard_count, started_at, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')`,
      info.toolVersion,
      info.gitRevision ?? null,
      info.preset,
      info.seed,
      JSON.stringify(info.options ?? {}),
      info.host === undefined ? hostname() : info.host,
      info.shard?.index ?? null,
      info.shard?.count ?? null,
      info.startedAt ?? new Date().toISOString(),
    );
    return Number(result.lastInsertRowid);
  }

  finishRun(runId: number, status: Exclude<RunStatus, 'running'>, finishedAt: string = new Date().toISOString()): void {
    const result = this.run('finish the run', 'UPDATE runs SET status = ?, finished_at = ? WHERE id = ?', status, finishedAt, runId);
    if (result.changes === 0) {
      throw new ExorayError('E_DATABASE', `db: there is no run ${runId} in "${this.path}" to finish.`);
    }
  }

  /** Appends a reviewer's verdict on a sample (the history is never changed). */
  addReview(review: ReviewInput): number {
    if (!this.hasSample(review.sampleId)) {
      throw new ExorayError('E_DATABASE', `db: there is no sample "${review.sampleId}" in "${this.path}" to review.`);
    }
    // The verdict is logged for the facet bitmaps (a trigger), applied with others in bulk.
    return this.db.transaction(() => {
      const result = this.run(
        'store the review',
        'INSERT INTO reviews (sample_id, verdict, reason, note, reviewer, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        review.sampleId,
        review.verdict,
        review.reason ?? null,
        review.note ?? '',
        review.reviewer,
        review.createdAt ?? new Date().toISOString(),
      );
      if (waitingSamples(this.db) >= APPLY_AT) applyFacetDirty(this.db);
      return Number(result.lastInsertRowid);
    })();
  }

  /**
   * Recomputes the facet bitmaps of samples changed by SQL (updates, deletes), see
   * facet-bits.ts. Writers that change samples other than through this class call it when done.
   */
  applyFacetChanges(): void {
    this.db.transaction(() => applyFacetDirty(this.db))();
  }

  /** A sample's review history, oldest first. */
  reviews(sampleId: string): StoredReview[] {
    return this.stmt('SELECT id, sample_id AS sampleId, verdict, reason, note, reviewer, created_at AS createdAt FROM reviews WHERE sample_id = ? ORDER BY id').all(
      sampleId,
    ) as StoredReview[];
  }

  /** Stores (or refreshes) the catalog entries of species, for search by any of their names. */
  upsertSpecies(entries: readonly SpeciesSnapshot[]): void {
    const statement = this.stmt(
      `INSERT INTO species (id, scientific_name, common_names_json, class, "order", family, cites, tags, search_text)
       VALUES (@id, @scientific_name, @common_names_json, @class, @order, @family, @cites, @tags, @search_text)
       ON CONFLICT(id) DO UPDATE SET scientific_name = excluded.scientific_name, common_names_json = excluded.common_names_json,
         class = excluded.class, "order" = excluded."order", family = excluded.family, cites = excluded.cites,
         tags = excluded.tags, search_text = excluded.search_text`,
    );
    this.db.transaction(() => {
      for (const e of entries) {
        const names = Object.values(e.commonNames);
        statement.run({
          id: e.id,
          scientific_name: e.scientificName,
          common_names_json: JSON.stringify(e.commonNames),
          class: e.taxonomy.class,
          order: e.taxonomy.order,
          family: e.taxonomy.family,
          cites: e.cites,
          tags: e.tags.join(','),
          search_text: [e.id, e.scientificName, ...(e.synonyms ?? []), ...names, e.taxonomy.class, e.taxonomy.order, e.taxonomy.family, ...e.tags].join(' \u2022 '),
        });
      }
    })();
  }

  /** The most recent run, the one `--resume` continues. */
  latestRun(): StoredRun | undefined {
    const row = this.stmt('SELECT * FROM runs ORDER BY id DESC LIMIT 1').get() as RunRow | undefined;
    return row && rowToRun(row);
  }

  /** Marks a stopped run as running again (resume), clearing its end time. */
  reopenRun(runId: number): void {
    this.run('reopen the run', "UPDATE runs SET status = 'running', finished_at = NULL WHERE id = ?", runId);
  }

  /** Sample indices a run has stored. */
  sampleIndices(runId: number): number[] {
    return (this.stmt('SELECT sample_index FROM samples WHERE run_id = ? ORDER BY sample_index').all(runId) as Array<{ sample_index: number }>).map(
      (r) => r.sample_index,
    );
  }

  getRun(runId: number): StoredRun | undefined {
    const row = this.stmt('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    return row && rowToRun(row);
  }

  /** Inserts the sample, its instances and its objects in one transaction: all or nothing. */
  insertSample(record: SampleRecord): void {
    this.insertOne(record);
  }

  /** Inserts many samples in one transaction (much faster than one each); all or nothing. */
  insertSamples(records: readonly SampleRecord[]): void {
    this.insertMany(records, prepareRecord);
  }

  /**
   * insertSamples for samples prepared elsewhere (prepareSample, on another thread: see
   * SampleWriter); created_at was filled in when they were prepared. All or nothing.
   */
  insertPrepared(samples: readonly PreparedSample[]): void {
    this.insertMany(samples, (p) => p);
  }

  hasSample(id: string): boolean {
    return this.stmt('SELECT 1 FROM samples WHERE id = ?').get(id) !== undefined;
  }

  countSamples(filter: Omit<SampleFilter, 'limit' | 'offset'> = {}): number {
    const { where, params } = whereClause(filter);
    const statement = this.stmt(`SELECT count(*) AS n FROM samples${where}`);
    // better-sqlite3 refuses a parameter object for a statement without parameters.
    const row = (where ? statement.get(params) : statement.get()) as { n: number };
    return row.n;
  }

  /** Samples in run and index order, without scene JSON and instances. */
  listSamples(filter: SampleFilter = {}): SampleSummary[] {
    const { where, params } = whereClause(filter);
    const page = ' LIMIT @limit OFFSET @offset';
    const rows = this.stmt(`SELECT ${SUMMARY_COLUMNS} FROM samples${where} ORDER BY run_id, sample_index, id${page}`).all({
      ...params,
      limit: filter.limit ?? -1,
      offset: filter.offset ?? 0,
    }) as SampleRow[];
    return rows.map(rowToSummary);
  }

  getSample(id: string): StoredSample | undefined {
    const row = this.stmt(`SELECT rowid AS sk, ${INSERT_COLUMNS} FROM samples WHERE id = ?`).get(id) as
      | (SampleRow & { sk: number; objects_json: string; files_json: string })
      | undefined;
    if (!row) return undefined;
    // A sample's animals are one range of ids, top view first (schema version 11).
    const instances = this.stmt(`SELECT ${INSTANCE_READ_COLUMNS}, ? AS sample_id FROM instance_rows WHERE id BETWEEN ? AND ? ORDER BY id`).all(
      id,
      row.sk * INSTANCE_KEYS,
      row.sk * INSTANCE_KEYS + INSTANCE_KEYS - 1,
    ) as InstanceRow[];
    // The columns behind the objects and sample_files views, read in place.
    const objects = (JSON.parse(row.objects_json) as Array<[string, ObjectRow['role'], string, string]>).map(([object_id, role, kind, materials]) =>
      rowToObject({ sample_id: id, object_id, role, kind, materials }),
    );
    const files = (JSON.parse(row.files_json) as Array<[SampleFile['view'], string, string, string]>)
      .map(([view, kind, path, sha256]): SampleFile => ({ view, kind, path, sha256 }))
      // Top view first, each view by kind (stored in (view, kind) order: side first).
      .sort((a, b) => Number(a.view === 'side') - Number(b.view === 'side'));
    return {
      ...rowToSummary(row),
      scanner: JSON.parse(row.scanner_json),
      scene: JSON.parse(row.scene_json),
      instances: instances.map(rowToInstance),
      files,
      objects,
    };
  }

  close(): void {
    if (!this.db.open) return;
    // What is waiting for the facet bitmaps is applied, so the next reader need not patch it.
    try {
      if (!this.readonly && !this.db.inTransaction && waitingSamples(this.db) > 0) this.applyFacetChanges();
    } catch (e) {
      // Another writer holds the lock: the next writer to open or close applies it.
      if (!String((e as { code?: string }).code).startsWith('SQLITE_BUSY')) {
        this.db.close();
        throw new ExorayError('E_DATABASE', `db: cannot apply the waiting facet changes of "${this.path}" on close: ${(e as Error).message}.`, { cause: e });
      }
    }
    this.db.close();
  }

  private storeSample(p: PreparedSample, tally: FacetTally, bits: FacetBitsWriter): void {
    const id = p.sample[S.id] as string;
    try {
      this.inserts ??= { sample: this.db.prepare(INSERT_SAMPLE_SQL), instance: this.db.prepare(INSERT_INSTANCE_SQL) };
      const insert = this.inserts;
      const v = p.sample;
      const sk = Number(insert.sample.run(v).lastInsertRowid);
      const facets = {
        preset: v[S.preset] as string,
        container_kind: v[S.containerKind] as string | null,
        split: v[S.split] as string | null,
        status: v[S.status] as SampleStatus,
        animal_count: v[S.animalCount] as number,
        verdict: null,
        reason: null,
      };
      tally.sample(facets);
      const animals: AnimalFacets[] = [];
      for (const a of p.animals) {
        const animal: AnimalFacets = {
          view: a[A.view] as ViewName,
          species: a[A.species] as string,
          scientific_name: a[A.scientificName] as string,
          visibility: a[A.visibility] as number | null,
          difficulty: a[A.difficulty] as Difficulty | null,
        };
        insert.instance.run(instanceKey(id, sk, animal.view, a[A.instanceIndex] as number), sk, ...a);
        tally.instance(animal);
        animals.push(animal);
      }
      bits.addSample(sk, facets, animals, v[S.runId] as number, v[S.sampleIndex] as number);
    } catch (e) {
      if (e instanceof ExorayError) throw e;
      // An animal's id is its (sample, view, index) key (schema version 11): say so in those terms.
      const message = (e as Error).message.replace(
        /UNIQUE constraint failed: instance_rows\.id/,
        'UNIQUE constraint failed: instances.sample_id, instances.view, instances.instance_index (two animals of the sample have the same view and instance index)',
      );
      const hint = /UNIQUE constraint failed: samples\.id/.test(message)
        ? ' It is already stored: check hasSample() before rendering it again.'
        : /FOREIGN KEY/.test(message)
          ? ` Check that run ${String(p.sample[S.runId])} was started in this database.`
          : '';
      throw new ExorayError('E_DATABASE', `db: cannot store sample ${id} in "${this.path}": ${message}.${hint} Nothing of it was written.`, { cause: e });
    }
  }

  private run(what: string, sql: string, ...params: unknown[]): Database.RunResult {
    try {
      return this.stmt(sql).run(...params);
    } catch (e) {
      throw new ExorayError('E_DATABASE', `db: cannot ${what} in "${this.path}": ${(e as Error).message}.`, { cause: e });
    }
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function whereClause(filter: Omit<SampleFilter, 'limit' | 'offset'>): { where: string; params: Record<string, unknown> } {
  // Fixed clause texts (one per filter combination) keep the statement cache small.
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  for (const [key, column] of [['runId', 'run_id'], ['preset', 'preset'], ['split', 'split'], ['status', 'status']] as const) {
    if (filter[key] === undefined) continue;
    parts.push(`${column} = @${key}`);
    params[key] = filter[key];
  }
  return { where: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', params };
}
