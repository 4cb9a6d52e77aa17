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

/**
 * Resident memory (bytes) of this process's descendants (the browser and its
 * renderer/GPU children). Walking the process tree, rather than matching
 * command lines, keeps browsers of other jobs on the machine out of the figure.
 */
function browserRss(): number {
  const parentOf = new Map<number, number>();
  const rssOf = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const ppid = /PPid:\s+(\d+)/.exec(status);
      const rss = /VmRSS:\s+(\d+) kB/.exec(status);
      if (ppid) parentOf.set(Number(pid), Number(ppid[1]));
      if (rss) rssOf.set(Number(pid), Number(rss[1]) * 1024);
    } catch {
      /* process ended meanwhile */
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) if (p === process.pid) return true;
    return false;
  };
  let total = 0;
  for (const [pid, rss] of rssOf) if (isDescendant(pid)) total += rss;
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
