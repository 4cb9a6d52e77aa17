/**
 * Shards: splitting one run over several machines (DESIGN.md section 6).
 *
 * A run of `count` samples is cut into `N` shards by sample index, round-robin:
 * sample `i` belongs to shard `i mod N`. Every sample's scene is a pure function
 * of (run seed, index), so the N shards together make exactly the samples a
 * single-machine run makes, and `exoray merge` puts them back together into that
 * same dataset. Round-robin rather than contiguous blocks so that every shard
 * gets a fair mix of the run (weighted presets, splits, scene sizes), finishes in
 * about the same time, and a run whose count grows later keeps its shards' share
 * even.
 *
 * Which shard a process is comes from `--shard I/N` or from the batch scheduler's
 * environment (shardFromEnv). Pure: no I/O.
 */
import { ExorayError } from '../core/errors.js';

/** One shard of a run: `index` from 0 to `count - 1`. */
export interface Shard {
  index: number;
  count: number;
}

/** The environment, as process.env has it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Largest shard count accepted (far beyond any array job; catches typos such as a seed pasted in). */
export const MAX_SHARD_COUNT = 1_000_000;

/** "3/8" for { index: 3, count: 8 }. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** True when sample `sampleIndex` of the run belongs to `shard` (round-robin: index mod count). */
export function inShard(sampleIndex: number, shard: Shard): boolean {
  return sampleIndex % shard.count === shard.index;
}

/** The shard index that sample `sampleIndex` belongs to, out of `count` shards. */
export function shardOf(sampleIndex: number, count: number): number {
  return sampleIndex % count;
}

/** How many of a run's `total` samples `shard` makes. */
export function shardSize(total: number, shard: Shard): number {
  return total > shard.index ? Math.floor((total - 1 - shard.index) / shard.count) + 1 : 0;
}

function checkShard(index: number, count: number, what: string): Shard {
  if (count < 1 || count > MAX_SHARD_COUNT) {
    throw new ExorayError('E_USAGE', `shard: ${what}: the shard count must be from 1 to ${MAX_SHARD_COUNT}, got ${count}.`);
  }
  if (index >= count) {
    const hint = index === count ? ` If your numbering starts at 1, use ${index - 1}/${count}.` : '';
    throw new ExorayError(
      'E_USAGE',
      `shard: ${what}: shard index ${index} is out of range for ${count} shard${count === 1 ? '' : 's'}; indices start at 0 and go to ${count - 1}.${hint}`,
    );
  }
  return { index, count };
}

/** A whole number of at least 0, or undefined for anything else. */
function wholeNumber(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Parses "I/N" (0-based index I of N shards), e.g. "0/8" to "7/8".
 * `what` names where the text came from, for the error message.
 */
export function parseShard(text: string, what = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? wholeNumber(m[1]!) : undefined;
  const count = m ? wholeNumber(m[2]!) : undefined;
  if (index === undefined || count === undefined) {
    throw new ExorayError(
      'E_USAGE',
      `shard: ${what} must be INDEX/COUNT with a 0-based index, e.g. 0/8 for the first of 8 shards; got ${JSON.stringify(text)}.`,
    );
  }
  return checkShard(index, count, `${what}=${text.trim()}`);
}

function envNumber(env: Env, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value.trim() === '') return undefined;
  const n = wholeNumber(value);
  if (n === undefined) {
    throw new ExorayError('E_USAGE', `shard: ${name} must be a whole number of at least 0, got ${JSON.stringify(value)}.`);
  }
  return n;
}

function isSet(env: Env, name: string): boolean {
  const value = env[name];
  return value !== undefined && value.trim() !== '';
}

function checkOverride(countOverride: number | undefined): void {
  if (countOverride !== undefined && (!Number.isSafeInteger(countOverride) || countOverride < 1 || countOverride > MAX_SHARD_COUNT)) {
    throw new ExorayError('E_USAGE', `shard: --shard-count must be a whole number from 1 to ${MAX_SHARD_COUNT}, got ${countOverride}.`);
  }
}

/**
 * The shard this process is, from the environment, or null when it is not a shard.
 * Read in this order (the first one set wins):
 *
 * 1. `EXORAY_SHARD` = "I/N" (explicit; use it to re-run single tasks of an array);
 * 2. Kubernetes Indexed Job: `JOB_COMPLETION_INDEX`, with the count from `countOverride`
 *    (`--shard-count`, the Job's completions) or `EXORAY_SHARD_COUNT`;
 * 3. Slurm job array: `SLURM_ARRAY_TASK_ID` minus `SLURM_ARRAY_TASK_MIN` (so `--array=1-8`
 *    works like `--array=0-7`), divided by `SLURM_ARRAY_TASK_STEP` when it is above 1, of
 *    `SLURM_ARRAY_TASK_COUNT`;
 * 4. AWS Batch array job: `AWS_BATCH_JOB_ARRAY_INDEX` of `AWS_BATCH_JOB_ARRAY_SIZE`.
 *
 * `countOverride` (from `--shard-count`) replaces the scheduler's count; with
 * `EXORAY_SHARD` it must agree with N. For the schedulers, `EXORAY_SHARD_COUNT`
 * is the count of last resort.
 */
export function shardFromEnv(env: Env = process.env, countOverride?: number): Shard | null {
  checkOverride(countOverride);
  if (isSet(env, 'EXORAY_SHARD')) {
    const shard = parseShard(env.EXORAY_SHARD!, 'EXORAY_SHARD');
    if (countOverride !== undefined && countOverride !== shard.count) {
      throw new ExorayError(
        'E_USAGE',
        `shard: EXORAY_SHARD=${env.EXORAY_SHARD!.trim()} says ${shard.count} shards but --shard-count is ${countOverride}; drop one of them or make them agree.`,
      );
    }
    return shard;
  }
  const fallbackCount = (): number | undefined => countOverride ?? envNumber(env, 'EXORAY_SHARD_COUNT');

  if (isSet(env, 'JOB_COMPLETION_INDEX')) {
    const index = envNumber(env, 'JOB_COMPLETION_INDEX')!;
    const count = fallbackCount();
    if (count === undefined) {
      throw new ExorayError(
        'E_USAGE',
        `shard: JOB_COMPLETION_INDEX=${index} is set (a Kubernetes Indexed Job) but the number of shards is not: ` +
          'pass --shard-count N or set EXORAY_SHARD_COUNT=N, with N the Job\'s completions.',
      );
    }
    return checkShard(index, count, `JOB_COMPLETION_INDEX=${index} of ${count}`);
  }

  if (isSet(env, 'SLURM_ARRAY_TASK_ID')) {
    const id = envNumber(env, 'SLURM_ARRAY_TASK_ID')!;
    const min = envNumber(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = envNumber(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
    const count = countOverride ?? envNumber(env, 'SLURM_ARRAY_TASK_COUNT') ?? envNumber(env, 'EXORAY_SHARD_COUNT');
    if (count === undefined) {
      throw new ExorayError(
        'E_USAGE',
        `shard: SLURM_ARRAY_TASK_ID=${id} is set (a Slurm job array) but SLURM_ARRAY_TASK_COUNT is not: pass --shard-count N or set EXORAY_SHARD_COUNT=N.`,
      );
    }
    if (id < min) {
      throw new ExorayError('E_USAGE', `shard: SLURM_ARRAY_TASK_ID=${id} is below SLURM_ARRAY_TASK_MIN=${min}; set EXORAY_SHARD=I/N explicitly.`);
    }
    const offset = id - min;
    if (step > 1 && offset % step !== 0) {
      throw new ExorayError(
        'E_USAGE',
        `shard: SLURM_ARRAY_TASK_ID=${id} is not on the array's step (SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_STEP=${step}); set EXORAY_SHARD=I/N explicitly.`,
      );
    }
    const index = step > 1 ? offset / step : offset;
    const from = min > 0 || step > 1 ? ` (SLURM_ARRAY_TASK_MIN=${min}${step > 1 ? `, SLURM_ARRAY_TASK_STEP=${step}` : ''})` : '';
    try {
      return checkShard(index, count, `SLURM_ARRAY_TASK_ID=${id}${from} of ${count}`);
    } catch (e) {
      throw new ExorayError(
        'E_USAGE',
        `${(e as Error).message} A Slurm array that skips ids (e.g. --array=0,2,5, or a re-run of single tasks) ` +
          'cannot say which shard a task is: set EXORAY_SHARD=$SLURM_ARRAY_TASK_ID/N instead.',
      );
    }
  }

  if (isSet(env, 'AWS_BATCH_JOB_ARRAY_INDEX')) {
    const index = envNumber(env, 'AWS_BATCH_JOB_ARRAY_INDEX')!;
    const count = countOverride ?? envNumber(env, 'AWS_BATCH_JOB_ARRAY_SIZE') ?? envNumber(env, 'EXORAY_SHARD_COUNT');
    if (count === undefined) {
      throw new ExorayError(
        'E_USAGE',
        `shard: AWS_BATCH_JOB_ARRAY_INDEX=${index} is set (an AWS Batch array job) but AWS_BATCH_JOB_ARRAY_SIZE is not: ` +
          'pass --shard-count N or set EXORAY_SHARD_COUNT=N (or AWS_BATCH_JOB_ARRAY_SIZE) in the job definition, with N the array size.',
      );
    }
    return checkShard(index, count, `AWS_BATCH_JOB_ARRAY_INDEX=${index} of ${count}`);
  }

  if (countOverride !== undefined) {
    throw new ExorayError(
      'E_USAGE',
      `shard: --shard-count ${countOverride} was given but no shard index was found: pass --shard I/${countOverride}, or run in a ` +
        'Kubernetes Indexed Job (JOB_COMPLETION_INDEX), a Slurm array (SLURM_ARRAY_TASK_ID) or an AWS Batch array (AWS_BATCH_JOB_ARRAY_INDEX).',
    );
  }
  return null;
}
