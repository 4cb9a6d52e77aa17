/**
 * A sample as the insert path binds it: the values of its `samples` row and of each animal's
 * `instance_rows` row, in statement order, every JSON column already serialised. Pure
 * computation. The insert path prepares and stores on one thread (SimulationDb.insertSamples);
 * a SampleWriter prepares on the caller's thread and stores on its own, the batch packed into
 * one string and three typed arrays for the hand-over (see packSamples).
 */
import { ExorayError } from '../core/errors.js';
import { filesJson, instanceToRow, objectRows, objectsJson, sampleToRow, type SampleRecord } from './records.js';

export type SqlValue = string | number | null;

/** The samples row in INSERT_COLUMNS order (database.ts). */
export type SampleValues = SqlValue[];
/** An instance_rows row without its two keys (id, sample_sk), which only the store knows. */
export type AnimalValues = SqlValue[];

export interface PreparedSample {
  sample: SampleValues;
  animals: AnimalValues[];
}

/** Positions in SampleValues the store reads (run check, facets, messages). */
export const S = {
  id: 0,
  runId: 1,
  sampleIndex: 2,
  preset: 4,
  split: 5,
  containerKind: 9,
  animalCount: 11,
  status: 19,
} as const;
export const SAMPLE_VALUES = 24;

/** Positions in AnimalValues the store reads. */
export const A = { view: 0, instanceIndex: 1, species: 3, scientificName: 4, visibility: 12, difficulty: 13 } as const;
export const ANIMAL_VALUES = 14;

/** The values of a record, checked as the insert path checks them (objects, files); `now` is the default created_at. */
export function prepareSample(record: SampleRecord, now: string): PreparedSample {
  const s = sampleToRow(record, now);
  // Objects and files ride in the sample's row (one b-tree insertion instead of one per row).
  const sample: SampleValues = [
    s.id, s.run_id, s.sample_index, s.seed, s.preset, s.split, s.width, s.height, s.scanner_json, s.container_kind, s.clutter_count, s.animal_count,
    s.scene_json, s.image_path, s.raw_path, s.image_sha256, s.raw_sha256, s.render_ms, s.created_at, s.status, s.target_species, s.model_sha256,
    objectsJson(objectRows(record)), filesJson(record.id, record.files ?? []),
  ];
  const animals: AnimalValues[] = [];
  for (const instance of record.instances) {
    const i = instanceToRow(record.id, instance);
    animals.push([i.view, i.instance_index, i.object_id, i.species, i.scientific_name, i.bbox_x, i.bbox_y, i.bbox_w, i.bbox_h, i.mask_area, i.mask_rle, i.length_mm, i.visibility, i.difficulty]);
  }
  return { sample, animals };
}

/**
 * A batch of prepared samples as one string and typed arrays: a structured clone of that is a
 * copy of bytes, where the nested arrays (some 50 values a sample) cost the sending and the
 * receiving thread several microseconds a sample each.
 */
export interface PackedSamples {
  /** Every string value, concatenated. */
  text: string;
  /** Per value: 0 null, 1 number, 2 string. */
  tags: Uint8Array;
  /** The number values, in order. */
  numbers: Float64Array;
  /** The string values' lengths (UTF-16 units), in order. */
  lengths: Uint32Array;
  /** Animals of each sample. */
  animals: Uint32Array;
}

const NULL = 0;
const NUMBER = 1;
const STRING = 2;

export function packSamples(samples: readonly PreparedSample[]): PackedSamples {
  let values = 0;
  for (const p of samples) {
    if (p.sample.length !== SAMPLE_VALUES) throw new ExorayError('E_DATABASE', `db: a prepared sample has ${p.sample.length} values, not ${SAMPLE_VALUES}; make it with prepareSample().`);
    values += SAMPLE_VALUES;
    for (const a of p.animals) {
      if (a.length !== ANIMAL_VALUES) throw new ExorayError('E_DATABASE', `db: an animal of sample ${String(p.sample[S.id])} has ${a.length} values, not ${ANIMAL_VALUES}; make it with prepareSample().`);
      values += ANIMAL_VALUES;
    }
  }
  const tags = new Uint8Array(values);
  const numbers = new Float64Array(values);
  const lengths = new Uint32Array(values);
  const animals = new Uint32Array(samples.length);
  // One loop, no closure: this runs for each of some 50 values a sample on the caller's thread.
  let text = '';
  let v = 0;
  let n = 0;
  let t = 0;
  for (let k = 0; k < samples.length; k++) {
    const p = samples[k]!;
    animals[k] = p.animals.length;
    for (let r = -1; r < p.animals.length; r++) {
      const row = r < 0 ? p.sample : p.animals[r]!;
      for (let i = 0; i < row.length; i++) {
        const x = row[i];
        if (typeof x === 'string') {
          tags[v++] = STRING;
          lengths[t++] = x.length;
          text += x;
        } else if (typeof x === 'number') {
          tags[v++] = NUMBER;
          numbers[n++] = x;
        } else if (x === null || x === undefined) {
          tags[v++] = NULL;
        } else {
          const where = r < 0 ? `value ${i} of its row` : `value ${i} of animal ${r}`;
          throw new ExorayError('E_DATABASE', `db: sample ${String(p.sample[S.id])} has a ${typeof x} as ${where}; the database stores text, numbers and null.`);
        }
      }
    }
  }
  return { text, tags, numbers: numbers.slice(0, n), lengths: lengths.slice(0, t), animals };
}

export function unpackSamples(packed: PackedSamples): PreparedSample[] {
  const { text, tags, numbers, lengths, animals } = packed;
  let v = 0;
  let n = 0;
  let t = 0;
  let at = 0;
  const take = (): SqlValue => {
    const tag = tags[v++];
    if (tag === NUMBER) return numbers[n++]!;
    if (tag === STRING) {
      const end = at + lengths[t++]!;
      const s = text.slice(at, end);
      at = end;
      return s;
    }
    return null;
  };
  const out: PreparedSample[] = new Array(animals.length);
  for (let k = 0; k < animals.length; k++) {
    const sample: SampleValues = new Array(SAMPLE_VALUES);
    for (let i = 0; i < SAMPLE_VALUES; i++) sample[i] = take();
    const rows: AnimalValues[] = new Array(animals[k]!);
    for (let j = 0; j < rows.length; j++) {
      const a: AnimalValues = new Array(ANIMAL_VALUES);
      for (let i = 0; i < ANIMAL_VALUES; i++) a[i] = take();
      rows[j] = a;
    }
    out[k] = { sample, animals: rows };
  }
  if (v !== tags.length || n !== numbers.length || t !== lengths.length || at !== text.length) {
    throw new ExorayError('E_DATABASE', 'db: a packed batch of samples does not add up (values left over); it was not made by packSamples().');
  }
  return out;
}
