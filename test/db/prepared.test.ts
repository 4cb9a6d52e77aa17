/** Prepared samples and their packed form (the hand-over of a SampleWriter). */
import { describe, expect, it } from 'vitest';
import { ANIMAL_VALUES, SAMPLE_VALUES, packSamples, prepareSample, unpackSamples, type PreparedSample } from '../../src/db/prepared.js';
import { makeSample } from './helpers.js';

describe('prepareSample', () => {
  it('gives the row values in statement order, JSON columns serialised', () => {
    const r = makeSample(3, 7);
    const p = prepareSample(r, 'now');
    expect(p.sample).toHaveLength(SAMPLE_VALUES);
    expect(p.sample.slice(0, 6)).toEqual(['s000003', 7, 3, 1003, 'parcel', 'val']);
    expect(JSON.parse(p.sample[12] as string)).toEqual(r.scene);
    // created_at: the record's own, else the batch's time.
    expect(p.sample[18]).toBe('2025-01-02T03:04:06.000Z');
    expect(prepareSample({ ...r, createdAt: undefined }, 'now').sample[18]).toBe('now');
    expect(p.animals).toHaveLength(r.instances.length);
    for (const a of p.animals) expect(a).toHaveLength(ANIMAL_VALUES);
    expect(p.animals[0]!.slice(0, 5)).toEqual(['top', 0, 'animal-0', 'stag-beetle', 'Lucanus cervus']);
  });

  it('refuses what the insert path refuses, before anything is stored', () => {
    const r = makeSample(0, 1);
    r.objectMaterials = { 'animal-0': ['chitin,wet'] };
    expect(() => prepareSample(r, 'now')).toThrow(/contains a comma/);
  });
});

describe('packSamples / unpackSamples', () => {
  it('round-trips every value exactly: text (any Unicode), numbers, null', () => {
    const samples: PreparedSample[] = [0, 1, 2].map((n) => prepareSample(makeSample(n, 1), 'now'));
    // Values a generic encoder gets wrong: empty and non-ASCII text, -0, NaN, huge and tiny numbers, lone surrogates.
    samples[1]!.sample[5] = '';
    samples[1]!.sample[20] = 'Python regius \u2022 \u7403\u87d2 \u{1F40D} \ud800';
    samples[1]!.sample[17] = -0;
    samples[2]!.sample[17] = Number.NaN;
    samples[2]!.sample[3] = 2 ** 53 - 1;
    samples[0]!.animals[0]![12] = 5e-324;
    samples[2]!.animals = [];
    const back = unpackSamples(structuredClone(packSamples(samples)));
    expect(back).toEqual(samples);
    expect(Object.is(back[1]!.sample[17], -0)).toBe(true);
    expect(back[2]!.sample[17]).toBeNaN();
  });

  it('an empty batch packs to nothing', () => {
    expect(unpackSamples(packSamples([]))).toEqual([]);
  });

  it('names a value the database cannot store, and a malformed row', () => {
    const p = prepareSample(makeSample(4, 1), 'now');
    (p.animals[1] as unknown[])[9] = true;
    expect(() => packSamples([p])).toThrow(/sample s000004 has a boolean as value 9 of animal 1/);
    const short = prepareSample(makeSample(5, 1), 'now');
    short.sample.pop();
    expect(() => packSamples([short])).toThrow(/has 23 values, not 24/);
  });

  it('refuses a packed batch that does not add up', () => {
    const packed = packSamples([prepareSample(makeSample(0, 1), 'now')]);
    expect(() => unpackSamples({ ...packed, text: `${packed.text}x` })).toThrow(/does not add up/);
  });
});
