/** Shards: "I/N" parsing, the schedulers' environment variables and their order, round-robin membership. */
import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { formatShard, inShard, parseShard, shardFromEnv, shardOf, shardSize, type Shard } from '../../src/dataset/shard.js';

function usageError(fn: () => unknown): ExorayError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ExorayError);
    expect((e as ExorayError).code).toBe('E_USAGE');
    expect((e as ExorayError).exitCode).toBe(2);
    return e as ExorayError;
  }
  throw new Error('expected an E_USAGE error');
}

describe('parseShard', () => {
  it('parses 0-based I/N', () => {
    expect(parseShard('0/8')).toEqual({ index: 0, count: 8 });
    expect(parseShard('7/8')).toEqual({ index: 7, count: 8 });
    expect(parseShard(' 2 / 3 ')).toEqual({ index: 2, count: 3 });
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
  });

  it('refuses an index out of range, hinting at 1-based numbering', () => {
    const e = usageError(() => parseShard('8/8'));
    expect(e.message).toContain('out of range');
    expect(e.message).toContain('7/8');
    expect(usageError(() => parseShard('9/8')).message).toMatch(/indices start at 0 and go to 7/);
  });

  it('refuses malformed text, naming the value and the expected form', () => {
    for (const bad of ['', '3', '3/', '/8', '-1/8', '1.5/8', 'a/b', '1/8/2', '1 of 8']) {
      const e = usageError(() => parseShard(bad));
      expect(e.message).toContain(JSON.stringify(bad));
      expect(e.message).toContain('INDEX/COUNT');
    }
  });

  it('refuses a count of 0 and absurd counts', () => {
    expect(usageError(() => parseShard('0/0')).message).toMatch(/count must be from 1/);
    expect(usageError(() => parseShard('0/99999999')).message).toMatch(/count must be from 1/);
  });

  it('names where the text came from', () => {
    expect(usageError(() => parseShard('x', 'EXORAY_SHARD')).message).toContain('EXORAY_SHARD');
  });

  it('formats back to I/N', () => {
    expect(formatShard(parseShard('3/8'))).toBe('3/8');
  });
});

describe('round-robin membership', () => {
  it('puts sample i in shard i mod N, each sample in exactly one shard', () => {
    const count = 5;
    const shards: Shard[] = Array.from({ length: count }, (_, index) => ({ index, count }));
    for (let i = 0; i < 103; i++) {
      const owners = shards.filter((s) => inShard(i, s));
      expect(owners).toEqual([{ index: i % count, count }]);
      expect(shardOf(i, count)).toBe(i % count);
    }
    expect(inShard(7, { index: 2, count: 5 })).toBe(true);
    expect(inShard(7, { index: 1, count: 5 })).toBe(false);
  });

  it('gives every shard a fair share (sizes differ by at most one)', () => {
    for (const [total, count] of [[10, 3], [3, 5], [16, 8], [1, 1], [0, 4]] as const) {
      const sizes = Array.from({ length: count }, (_, index) => shardSize(total, { index, count }));
      for (let index = 0; index < count; index++) {
        let n = 0;
        for (let i = 0; i < total; i++) if (inShard(i, { index, count })) n++;
        expect(sizes[index]).toBe(n);
      }
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

describe('shardFromEnv', () => {
  it('returns null when no shard variable is set (empty values count as unset)', () => {
    expect(shardFromEnv({})).toBeNull();
    expect(shardFromEnv({ EXORAY_SHARD: '', JOB_COMPLETION_INDEX: ' ', PATH: '/usr/bin' })).toBeNull();
  });

  it('reads EXORAY_SHARD', () => {
    expect(shardFromEnv({ EXORAY_SHARD: '3/8' })).toEqual({ index: 3, count: 8 });
    expect(usageError(() => shardFromEnv({ EXORAY_SHARD: '8/8' })).message).toContain('EXORAY_SHARD');
  });

  it('EXORAY_SHARD must agree with --shard-count', () => {
    expect(shardFromEnv({ EXORAY_SHARD: '3/8' }, 8)).toEqual({ index: 3, count: 8 });
    const e = usageError(() => shardFromEnv({ EXORAY_SHARD: '3/8' }, 4));
    expect(e.message).toContain('--shard-count');
    expect(e.message).toContain('EXORAY_SHARD=3/8');
  });

  it('Kubernetes Indexed Job: JOB_COMPLETION_INDEX with the count from --shard-count or EXORAY_SHARD_COUNT', () => {
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '2' }, 4)).toEqual({ index: 2, count: 4 });
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '2', EXORAY_SHARD_COUNT: '5' })).toEqual({ index: 2, count: 5 });
    // The override wins over the variable.
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '2', EXORAY_SHARD_COUNT: '5' }, 3)).toEqual({ index: 2, count: 3 });
  });

  it('Kubernetes without a count names both ways to give it', () => {
    const e = usageError(() => shardFromEnv({ JOB_COMPLETION_INDEX: '2' }));
    expect(e.message).toContain('JOB_COMPLETION_INDEX=2');
    expect(e.message).toContain('--shard-count');
    expect(e.message).toContain('EXORAY_SHARD_COUNT');
  });

  it('Kubernetes index out of range and malformed values are refused, naming the variable', () => {
    expect(usageError(() => shardFromEnv({ JOB_COMPLETION_INDEX: '4' }, 4)).message).toContain('JOB_COMPLETION_INDEX=4');
    expect(usageError(() => shardFromEnv({ JOB_COMPLETION_INDEX: 'x' }, 4)).message).toContain('JOB_COMPLETION_INDEX');
    expect(usageError(() => shardFromEnv({ JOB_COMPLETION_INDEX: '1', EXORAY_SHARD_COUNT: 'eight' })).message).toContain('EXORAY_SHARD_COUNT');
  });

  it('Slurm array 0-7', () => {
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '8', SLURM_ARRAY_TASK_MIN: '0' })).toEqual({ index: 5, count: 8 });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '8' })).toEqual({ index: 5, count: 8 });
  });

  it('Slurm array 1-8: SLURM_ARRAY_TASK_MIN is subtracted', () => {
    const env = (id: number) => ({ SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_COUNT: '8', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' });
    expect(shardFromEnv(env(1))).toEqual({ index: 0, count: 8 });
    expect(shardFromEnv(env(8))).toEqual({ index: 7, count: 8 });
  });

  it('Slurm array with a step (--array=0-12:4)', () => {
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '4' })).toEqual({
      index: 2,
      count: 4,
    });
  });

  it('Slurm errors: no count, an id that does not fit the array', () => {
    expect(usageError(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '3' })).message).toContain('SLURM_ARRAY_TASK_COUNT');
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '3' }, 4)).toEqual({ index: 3, count: 4 });
    // --array=0,2,5: three tasks, but id 5 is not the third.
    const e = usageError(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '0' }));
    expect(e.message).toContain('SLURM_ARRAY_TASK_ID=5');
    expect(e.message).toContain('EXORAY_SHARD');
  });

  it('AWS Batch array job', () => {
    expect(shardFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '0', AWS_BATCH_JOB_ARRAY_SIZE: '10' })).toEqual({ index: 0, count: 10 });
    expect(shardFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '9', EXORAY_SHARD_COUNT: '10' })).toEqual({ index: 9, count: 10 });
    const e = usageError(() => shardFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '3' }));
    expect(e.message).toContain('AWS_BATCH_JOB_ARRAY_SIZE');
    expect(e.message).toContain('--shard-count');
    expect(usageError(() => shardFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '10', AWS_BATCH_JOB_ARRAY_SIZE: '10' })).message).toContain('AWS_BATCH_JOB_ARRAY_INDEX=10');
  });

  it('precedence: EXORAY_SHARD, then Kubernetes, then Slurm, then AWS Batch', () => {
    const all = {
      EXORAY_SHARD: '1/9',
      JOB_COMPLETION_INDEX: '2',
      EXORAY_SHARD_COUNT: '9',
      SLURM_ARRAY_TASK_ID: '3',
      SLURM_ARRAY_TASK_COUNT: '9',
      AWS_BATCH_JOB_ARRAY_INDEX: '4',
      AWS_BATCH_JOB_ARRAY_SIZE: '9',
    };
    expect(shardFromEnv(all)).toEqual({ index: 1, count: 9 });
    const { EXORAY_SHARD: _a, ...k8s } = all;
    expect(shardFromEnv(k8s)).toEqual({ index: 2, count: 9 });
    const { JOB_COMPLETION_INDEX: _b, ...slurm } = k8s;
    expect(shardFromEnv(slurm)).toEqual({ index: 3, count: 9 });
    const { SLURM_ARRAY_TASK_ID: _c, ...aws } = slurm;
    expect(shardFromEnv(aws)).toEqual({ index: 4, count: 9 });
    const { AWS_BATCH_JOB_ARRAY_INDEX: _d, ...none } = aws;
    expect(shardFromEnv(none)).toBeNull();
  });

  it('--shard-count without any index is refused; a bad --shard-count too', () => {
    expect(usageError(() => shardFromEnv({}, 4)).message).toContain('--shard I/4');
    expect(usageError(() => shardFromEnv({ JOB_COMPLETION_INDEX: '0' }, 0)).message).toContain('--shard-count');
    expect(usageError(() => shardFromEnv({ JOB_COMPLETION_INDEX: '0' }, 2.5)).message).toContain('--shard-count');
  });

  it('reads process.env by default', () => {
    const saved = process.env.EXORAY_SHARD;
    process.env.EXORAY_SHARD = '1/2';
    try {
      expect(shardFromEnv()).toEqual({ index: 1, count: 2 });
    } finally {
      if (saved === undefined) delete process.env.EXORAY_SHARD;
      else process.env.EXORAY_SHARD = saved;
    }
  });
});
