/**
 * Merging shard databases (DESIGN.md section 6) into one simulation database,
 * the one a single-machine run of the same command would have written.
 *
 * Each source is ATTACHed to the new database's connection, at most
 * ATTACH_BATCH at a time (SQLite attaches at most 10 databases), checked, and
 * its rows staged in temporary tables; then one transaction inserts one run,
 * and every sample (its objects and files in its row) and instance row in sample index order, so
 * instance ids are assigned as a single run assigns them. Sources are only read.
 */
import { existsSync, realpathSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ExorayError } from '../core/errors.js';
import { openDatabase } from './database.js';
import { recountFacets } from './facets.js';
import type { RunRow, RunStatus } from './records.js';
import { APPLICATION_ID, SCHEMA_VERSION } from './schema.js';
import { INSTANCE_KEYS } from './instance-key.js';

/** Sources attached at once; SQLite's limit is 10 attached databases. */
export const ATTACH_BATCH = 8;

/**
 * Keys of a run's options_json that may differ between the shards of one run
 * (the shard itself lives in the runs.shard_index/shard_count columns).
 */
export const SHARD_OPTION_KEYS: readonly string[] = ['shard', 'shardIndex', 'shardCount'];

/** Tables copied, in insertion order (parents first). A sample's objects and files are columns of its row (schema version 9). */
const TABLES = ['samples', 'instances'] as const;
type Table = (typeof TABLES)[number];

export interface MergeSourceInfo {
  path: string;
  shard: { index: number; count: number } | null;
  status: RunStatus;
  samples: number;
}

export interface MergeDatabasesResult {
  targetPath: string;
  runId: number;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  /** The merged run's options (options_json of the shards, without shard fields). */
  options: Record<string, unknown>;
  samples: number;
  instances: number;
  objects: number;
  files: number;
  sources: MergeSourceInfo[];
}

interface Source {
  path: string;
  /** Position in the list, stored with every staged row. */
  n: number;
  run: RunRow;
  options: Record<string, unknown>;
  samples: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function fail(message: string, cause?: unknown): never {
  throw new ExorayError('E_DATABASE', `merge: ${message}`, cause === undefined ? undefined : { cause });
}

/** JSON with object keys sorted, so that key order never counts as a difference. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]))
        : v;
  return JSON.stringify(sort(value)) ?? 'undefined';
}

function withoutShardKeys(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([k]) => !SHARD_OPTION_KEYS.includes(k)));
}

function parseOptions(file: string, json: string): Record<string, unknown> {
  try {
    const value = JSON.parse(json) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  return fail(`"${file}": the run's options_json is not a JSON object (${JSON.stringify(json.slice(0, 80))}); the file is damaged.`);
}

/** What differs between two runs that should be shards of one run; empty when none. */
function runDifferences(a: Source, b: Source): string[] {
  const out: string[] = [];
  if (a.run.tool_version !== b.run.tool_version) out.push(`exoray version ${b.run.tool_version} vs ${a.run.tool_version}`);
  if (a.run.seed !== b.run.seed) out.push(`seed ${b.run.seed} vs ${a.run.seed}`);
  if (a.run.preset !== b.run.preset) out.push(`preset ${JSON.stringify(b.run.preset)} vs ${JSON.stringify(a.run.preset)}`);
  const oa = withoutShardKeys(a.options);
  const ob = withoutShardKeys(b.options);
  for (const key of [...new Set([...Object.keys(oa), ...Object.keys(ob)])].sort()) {
    if (canonical(oa[key]) !== canonical(ob[key])) out.push(`option ${key} ${canonical(ob[key])} vs ${canonical(oa[key])}`);
  }
  if (a.run.shard_count !== null && b.run.shard_count !== null && a.run.shard_count !== b.run.shard_count) {
    out.push(`${b.run.shard_count} shards vs ${a.run.shard_count}`);
  }
  return out;
}

function columns(db: Database.Database, table: Table): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?, 'main') ORDER BY cid`).all(table) as Array<{ name: string }>).map((r) => r.name);
}

/** Up to `max` items, then "and N more". */
function listSome(items: readonly (string | number)[], max = 12): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Checks the attached source `alias` and reads its run. */
function inspectSource(db: Database.Database, alias: string, file: string, n: number): Source {
  let appId: number;
  let version: number;
  let tables: string[];
  try {
    appId = db.pragma(`${alias}.application_id`, { simple: true }) as number;
    version = db.pragma(`${alias}.user_version`, { simple: true }) as number;
    tables = (db.prepare(`SELECT name FROM ${alias}.sqlite_schema WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
  } catch (e) {
    return fail(`"${file}" is not an SQLite database or is corrupt (${(e as Error).message}); give the exoray.db of each shard.`, e);
  }
  if (appId !== APPLICATION_ID || !tables.includes('runs')) {
    return fail(`"${file}" is not an exoray simulation database; give the exoray.db of each shard.`);
  }
  if (version !== SCHEMA_VERSION) {
    return fail(
      `"${file}" has database schema version ${version}; this exoray writes version ${SCHEMA_VERSION}. ` +
        'Make every shard with the same exoray version as the merge (or merge with the version that made them).',
    );
  }
  const runs = db.prepare(`SELECT * FROM ${alias}.runs ORDER BY id`).all() as RunRow[];
  if (runs.length !== 1) {
    return fail(`"${file}" holds ${runs.length === 0 ? 'no run' : `${runs.length} runs`}; a shard database holds exactly one run (that of one exoray generate).`);
  }
  const run = runs[0]!;
  const samples = (db.prepare(`SELECT count(*) AS n FROM ${alias}.samples`).get() as { n: number }).n;
  const foreign = db.prepare(`SELECT count(*) AS n FROM ${alias}.samples WHERE run_id != ?`).get(run.id) as { n: number };
  if (foreign.n > 0) fail(`"${file}": ${foreign.n} samples name a run that is not in the file; the file is damaged.`);
  if (run.shard_index !== null && run.shard_count !== null) {
    const stray = db
      .prepare(`SELECT id, sample_index FROM ${alias}.samples WHERE sample_index % ? != ? ORDER BY sample_index LIMIT 5`)
      .all(run.shard_count, run.shard_index) as Array<{ id: string; sample_index: number }>;
    if (stray.length > 0) {
      fail(
        `"${file}" is shard ${run.shard_index}/${run.shard_count} but holds ${stray.map((s) => `${s.id} (shard ${s.sample_index % run.shard_count!})`).join(', ')}; ` +
          'sample i belongs to shard i mod N. The file was not made by exoray generate --shard, or was altered.',
      );
    }
  }
  return { path: file, n, run, options: parseOptions(file, run.options_json), samples };
}

/** Refuses two sources holding the same sample (or the same shard). */
function checkDuplicates(db: Database.Database, sources: Source[]): void {
  const byShard = new Map<string, Source>();
  for (const s of sources) {
    if (s.run.shard_index === null) continue;
    const key = `${s.run.shard_index}/${s.run.shard_count}`;
    const other = byShard.get(key);
    if (other) {
      fail(`shard ${key} is given twice: "${other.path}" and "${s.path}". Give each shard once.`);
    }
    byShard.set(key, s);
  }
  const dups = db
    .prepare(
      `SELECT sample_index, min(id) AS id, group_concat(merge_src) AS srcs, count(*) AS n FROM temp.merge_samples
       GROUP BY sample_index HAVING count(*) > 1 ORDER BY sample_index LIMIT 10`,
    )
    .all() as Array<{ sample_index: number; id: string; srcs: string }>;
  const dupIds = db
    .prepare(`SELECT id, group_concat(merge_src) AS srcs FROM temp.merge_samples GROUP BY id HAVING count(*) > 1 ORDER BY id LIMIT 10`)
    .all() as Array<{ id: string; srcs: string }>;
  const first = dups[0] ?? dupIds[0];
  if (!first) return;
  const files = [...new Set(first.srcs.split(',').map(Number))].map((n) => `"${sources[n]!.path}"`);
  const total = (
    db.prepare('SELECT count(*) AS n FROM (SELECT sample_index FROM temp.merge_samples GROUP BY sample_index HAVING count(*) > 1)').get() as { n: number }
  ).n;
  const ids = (dups.length > 0 ? dups : dupIds).map((d) => d.id);
  fail(
    `sample ${first.id} is in more than one source: ${files.join(' and ')} (duplicated: ${listSome(ids)}${total > ids.length ? ` and ${total - ids.length} more` : ''}). ` +
      'The same shard was given twice, or a whole run together with shards of it; give each shard once.',
  );
}

/** Refuses gaps: every index from 0 to the largest (or to the run's count - 1) must be present. */
function checkGaps(db: Database.Database, sources: Source[], reference: Source): void {
  const count = reference.options.count;
  const present = db.prepare('SELECT sample_index FROM temp.merge_samples ORDER BY sample_index').pluck();
  const missing: number[] = [];
  let missingTotal = 0;
  let next = 0;
  for (const value of present.iterate() as IterableIterator<number>) {
    for (; next < value; next++) {
      missingTotal++;
      if (missing.length < 1000) missing.push(next);
    }
    next = value + 1;
  }
  const end = typeof count === 'number' && Number.isSafeInteger(count) && count > 0 ? count : 0;
  for (; next < end; next++) {
    missingTotal++;
    if (missing.length < 1000) missing.push(next);
  }
  if (missingTotal === 0) return;
  const shardCount = sources.find((s) => s.run.shard_count !== null)?.run.shard_count ?? null;
  let where = '';
  if (shardCount !== null) {
    const shards = [...new Set(missing.map((i) => i % shardCount))].sort((a, b) => a - b);
    where =
      ' ' +
      shards
        .map((k) => {
          const holder = sources.find((s) => s.run.shard_index === k);
          return holder
            ? `shard ${k}/${shardCount} ("${holder.path}", ${holder.run.status}) is incomplete: continue it with exoray generate --resume`
            : `shard ${k}/${shardCount} is not among the sources`;
        })
        .join('; ') +
      '.';
  }
  fail(
    `${missingTotal === 1 ? 'sample index' : 'sample indices'} ${missing.slice(0, 20).join(', ')}${missingTotal > 20 ? ` and ${missingTotal - 20} more` : ''} ${missingTotal === 1 ? 'is' : 'are'} missing (${missingTotal} of ${Math.max(end, next)}${end > 0 ? `, the run's count` : ''}).${where} ` +
      'Give every shard, each complete.',
  );
}

function mergedStatus(sources: Source[]): RunStatus {
  if (sources.every((s) => s.run.status === 'completed')) return 'completed';
  if (sources.some((s) => s.run.status === 'failed')) return 'failed';
  return 'interrupted';
}

function checkPaths(targetPath: string, sourcePaths: readonly string[]): void {
  if (sourcePaths.length === 0) {
    throw new ExorayError('E_USAGE', 'merge: name at least one shard database to merge.');
  }
  if (existsSync(targetPath)) {
    throw new ExorayError('E_DATABASE', `merge: "${targetPath}" already exists; the merge writes a new database. Remove it or choose another path.`);
  }
  const seen = new Map<string, string>();
  for (const p of sourcePaths) {
    if (!existsSync(p) || !statSync(p).isFile()) {
      throw new ExorayError('E_DATABASE', `merge: "${p}" does not exist or is not a file; give the exoray.db of each shard.`);
    }
    const r = realpathSync(p);
    if (seen.has(r)) throw new ExorayError('E_USAGE', `merge: "${p}" is given twice${seen.get(r) !== p ? ` (also as "${seen.get(r)}")` : ''}; give each shard once.`);
    seen.set(r, p);
  }
}

/**
 * Merges the shard databases `sourcePaths` into a new database at `targetPath`.
 * Refuses (E_DATABASE, naming the file and the difference) sources that are not
 * exoray databases of this schema version, that are not shards of one run (seed,
 * preset, options apart from shard fields, exoray version), that hold the same
 * sample twice, or that leave sample indices missing. On failure nothing is left
 * at `targetPath`.
 */
export function mergeDatabases(targetPath: string, sourcePaths: readonly string[]): MergeDatabasesResult {
  checkPaths(targetPath, sourcePaths);
  const target = openDatabase(targetPath);
  const db = target.connection;
  let ok = false;
  try {
    const result = mergeInto(db, targetPath, sourcePaths);
    ok = true;
    return result;
  } finally {
    target.close();
    if (!ok) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${targetPath}${suffix}`, { force: true });
  }
}

function mergeInto(db: Database.Database, targetPath: string, sourcePaths: readonly string[]): MergeDatabasesResult {
  const cols = Object.fromEntries(TABLES.map((t) => [t, columns(db, t)])) as Record<Table, string[]>;
  for (const t of TABLES) {
    // No declared types: values are staged exactly as stored.
    db.exec(`DROP TABLE IF EXISTS temp.merge_${t}; CREATE TEMP TABLE merge_${t} (merge_src, ${cols[t].map(quote).join(', ')})`);
  }
  const sources: Source[] = [];
  try {
    for (let start = 0; start < sourcePaths.length; start += ATTACH_BATCH) {
      const batch = sourcePaths.slice(start, start + ATTACH_BATCH);
      const attached: string[] = [];
      try {
        batch.forEach((file, k) => {
          const alias = `merge_src_${k}`;
          try {
            db.prepare(`ATTACH DATABASE ? AS ${alias}`).run(file);
          } catch (e) {
            fail(`cannot open "${file}" as an SQLite database: ${(e as Error).message}. Give the exoray.db of each shard.`, e);
          }
          attached.push(alias);
        });
        // One read transaction per batch: each source is read as one consistent snapshot.
        db.transaction(() => {
          batch.forEach((file, k) => {
            const alias = attached[k]!;
            const n = start + k;
            const source = inspectSource(db, alias, file, n);
            if (sources.length > 0) {
              const diff = runDifferences(sources[0]!, source);
              if (diff.length > 0) {
                fail(
                  `"${file}" is not a shard of the same run as "${sources[0]!.path}": ${diff.join('; ')}. ` +
                    'Merge only shards made by the same exoray generate command (apart from the shard).',
                );
              }
            }
            sources.push(source);
            try {
              for (const t of TABLES) {
                const list = cols[t].map(quote).join(', ');
                db.prepare(`INSERT INTO temp.merge_${t} (merge_src, ${list}) SELECT ?, ${list} FROM ${alias}.${t}`).run(n);
              }
            } catch (e) {
              fail(`cannot read "${file}": ${(e as Error).message}.`, e);
            }
          });
        })();
      } finally {
        for (const alias of attached) db.exec(`DETACH DATABASE ${alias}`);
      }
    }
    db.exec(`
      CREATE INDEX temp.merge_samples_index ON merge_samples (sample_index);
      CREATE INDEX temp.merge_samples_id ON merge_samples (merge_src, id);
      CREATE INDEX temp.merge_instances_sample ON merge_instances (merge_src, sample_id, id);
    `);
    checkDuplicates(db, sources);
    const reference = sources[0]!;
    checkGaps(db, sources, reference);
    return db.transaction(() => writeMerged(db, targetPath, sources, cols))();
  } finally {
    for (const t of TABLES) db.exec(`DROP TABLE IF EXISTS temp.merge_${t}`);
  }
}

function writeMerged(db: Database.Database, targetPath: string, sources: Source[], cols: Record<Table, string[]>): MergeDatabasesResult {
  const reference = sources[0]!;
  // The merged run is the run the shards are parts of: no shard, its options without shard fields.
  const shardKeys = SHARD_OPTION_KEYS.filter((k) => k in reference.options);
  const options = { ...reference.options, ...Object.fromEntries(shardKeys.map((k) => [k, null])) };
  const optionsJson = shardKeys.length === 0 ? reference.run.options_json : JSON.stringify(options);
  const startedAt = sources.map((s) => s.run.started_at).sort()[0]!;
  const finished = sources.map((s) => s.run.finished_at).filter((f): f is string => f !== null).sort();
  const finishedAt = finished.length > 0 ? finished[finished.length - 1]! : null;
  const hosts = new Set(sources.map((s) => s.run.host));
  const status = mergedStatus(sources);
  const runId = Number(
    db
      .prepare(
        `INSERT INTO runs (tool_version, git_revision, preset, seed, options_json, host, shard_index, shard_count, started_at, finished_at, status)
         VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)`,
      )
      .run(
        reference.run.tool_version,
        sources.find((s) => s.run.git_revision !== null)?.run.git_revision ?? null,
        reference.run.preset,
        reference.run.seed,
        optionsJson,
        hosts.size === 1 ? reference.run.host : null,
        startedAt,
        finishedAt,
        status,
      ).lastInsertRowid,
  );
  const list = (t: Table, prefix: string, skip: string[] = []) =>
    cols[t]
      .filter((c) => !skip.includes(c))
      .map((c) => `${prefix}${quote(c)}`)
      .join(', ');
  const sampleSelect = cols.samples.map((c) => (c === 'run_id' ? '@run AS run_id' : `s.${quote(c)}`)).join(', ');
  const samples = db
    .prepare(`INSERT INTO main.samples (${list('samples', '')}) SELECT ${sampleSelect} FROM temp.merge_samples s ORDER BY s.sample_index`)
    .run({ run: runId }).changes;
  // An animal's id is its merged sample's key, view and index (schema version 11): the ids a
  // single-machine run gives. Written to the table itself (the view's trigger would look each
  // sample up again, and changes() does not count rows written through a view).
  const keyed = ['id', 'sample_id', 'view', 'instance_index'];
  const instances = db
    .prepare(
      `INSERT INTO main.instance_rows (id, sample_sk, view, instance_index, ${list('instances', '', keyed)})
       SELECT ms.rowid * ${INSTANCE_KEYS} + (i.view = 'side') * ${INSTANCE_KEYS / 2} + i.instance_index, ms.rowid, i.view, i.instance_index,
              ${list('instances', 'i.', keyed)}
       FROM temp.merge_instances i
       JOIN temp.merge_samples s ON s.merge_src = i.merge_src AND s.id = i.sample_id
       JOIN main.samples ms ON ms.id = s.id
       ORDER BY 1`,
    )
    .run().changes;
  // Rows inserted with SQL are not counted by the insert path: count the facets once, now.
  recountFacets(db);
  const { objects, files } = db
    .prepare('SELECT coalesce(sum(json_array_length(objects_json)), 0) AS objects, coalesce(sum(json_array_length(files_json)), 0) AS files FROM main.samples WHERE run_id = ?')
    .get(runId) as { objects: number; files: number };
  return {
    targetPath: path.resolve(targetPath),
    runId,
    status,
    startedAt,
    finishedAt,
    options,
    samples,
    instances,
    objects,
    files,
    sources: sources.map((s) => ({
      path: s.path,
      shard: s.run.shard_index === null ? null : { index: s.run.shard_index, count: s.run.shard_count! },
      status: s.run.status,
      samples: s.samples,
    })),
  };
}
