/**
 * `npm run soak -- --count 10000`: a long run of the default preset that records
 * resident memory of Node and of the browser's processes as it goes, to check
 * that memory stays flat (resident memory after N images within 1.2x of that
 * after 1,000). Writes a JSON summary next to the dataset.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from '../dataset/generate.js';

/** Resident memory (bytes) of every process whose command line mentions chromium, children of this one. */
function browserRss(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chrom')) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const ppidOk = status.includes(`PPid:\t${process.pid}\n`) || cmd.includes('--type=');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      if (m && ppidOk) total += Number(m[1]) * 1024;
    } catch {
      /* process ended meanwhile */
    }
  }
  return total;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '10000' }, out: { type: 'string', default: 'output/soak' }, every: { type: 'string', default: '250' } } });
  const count = Number(values.count);
  const every = Number(values.every);
  const samples: Array<{ done: number; seconds: number; nodeRssMb: number; browserRssMb: number }> = [];
  const started = performance.now();
  const record = (done: number) => {
    const s = { done, seconds: (performance.now() - started) / 1000, nodeRssMb: process.memoryUsage().rss / 2 ** 20, browserRssMb: browserRss() / 2 ** 20 };
    samples.push(s);
    process.stdout.write(`${JSON.stringify(s)}\n`);
  };
  const result = await generate({
    out: values.out!,
    count,
    seed: 1,
    workers: 1,
    overwrite: true,
    onProgress: (p) => {
      if (p.done % every === 0 || p.done === count) record(p.done);
    },
  });
  const at = (n: number) => samples.find((s) => s.done >= n) ?? samples[samples.length - 1]!;
  const base = at(1000);
  const last = samples[samples.length - 1]!;
  const summary = {
    count,
    seconds: result.seconds,
    imagesPerSecond: result.imagesPerSecond,
    nodeRssMbAt1000: base.nodeRssMb,
    nodeRssMbAtEnd: last.nodeRssMb,
    nodeRatio: last.nodeRssMb / base.nodeRssMb,
    browserRssMbAt1000: base.browserRssMb,
    browserRssMbAtEnd: last.browserRssMb,
    browserRatio: last.browserRssMb / base.browserRssMb,
    samples,
  };
  writeFileSync(path.join(values.out!, 'soak.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`soak: ${count} images in ${result.seconds.toFixed(0)} s (${result.imagesPerSecond.toFixed(2)}/s); node RSS ${base.nodeRssMb.toFixed(0)} -> ${last.nodeRssMb.toFixed(0)} MB (x${summary.nodeRatio.toFixed(2)}), browser RSS ${base.browserRssMb.toFixed(0)} -> ${last.browserRssMb.toFixed(0)} MB (x${summary.browserRatio.toFixed(2)})\n`);
}

main().catch((e) => {
  process.stderr.write(`soak failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
