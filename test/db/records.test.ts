/** The JSON columns of a sample's objects and files: their tuples in key order, any strings kept exactly. */
import { describe, expect, it } from 'vitest';
import { filesJson, objectRows, objectsJson } from '../../src/db/records.js';
import { makeSample } from './helpers.js';

const ODD = ['', 'plain-id', 'quote"d', 'back\\slash', 'tab\there', 'new\nline', '\u0000\u001f\u007f', 'caf\u00e9', '\u52a8\u7269', '\ud83e\udd8e', 'lone \ud800 high', '<&>', '/'];

describe('objects_json and files_json', () => {
  it('are JSON.stringify of the tuples in key order, whatever the strings hold', () => {
    const r = makeSample(3, 1);
    r.scene.objects = ODD.map((id, k) => ({ ...r.scene.objects[k % r.scene.objects.length]!, id: `${id}-${k}`, kind: ODD[(k + 3) % ODD.length]! }));
    r.objectMaterials = Object.fromEntries(r.scene.objects.map((o, k) => [o.id, [ODD[(k + 5) % ODD.length]!.replace(',', '')].filter(Boolean)]));
    const rows = objectRows(r);
    const expected = rows.map((o) => [o.object_id, o.role, o.kind, o.materials]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
    expect(objectsJson(rows)).toBe(JSON.stringify(expected));
    expect(JSON.parse(objectsJson(rows))).toEqual(expected);

    const files = ODD.map((p, k) => ({ view: k % 2 ? ('side' as const) : ('top' as const), kind: `k${k}${p}`, path: `dir/${p}.png`, sha256: 'f'.repeat(64) }));
    const want = files.map((f) => [f.view, f.kind, f.path, f.sha256]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1]! < b[1]! ? -1 : 1));
    expect(filesJson(r.id, files)).toBe(JSON.stringify(want));
    expect(filesJson(r.id, [])).toBe('[]');
  });
});
