import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../../src/core/errors.js';
import { knownMaterialIds } from '../../../src/species/import/add-species.js';
import { chooseMaterial, parseMaterialMapping } from '../../../src/species/import/material-map.js';

const known = knownMaterialIds();
const part = (materialName: string, meshName = '', nodeName = meshName) => ({ name: nodeName || materialName || 'part', materialName, meshName, nodeName });

describe('material mapping', () => {
  it('knows the bundled material ids', () => {
    for (const id of ['soft_tissue', 'chitin', 'cortical_bone', 'keratin', 'glass', 'turtle_shell', 'eggshell']) expect(known).toContain(id);
  });

  it('maps by word rules that depend on the body plan', () => {
    const pick = (name: string, plan: Parameters<typeof chooseMaterial>[1]) => chooseMaterial(part(name), plan, known).material;
    expect(pick('Shell', 'arthropod')).toBe('chitin');
    expect(pick('Shell', 'reptile')).toBe('turtle_shell');
    expect(pick('egg_shell', 'egg')).toBe('eggshell');
    expect(pick('LeftLeg.001', 'arthropod')).toBe('chitin');
    expect(pick('LeftLeg.001', 'reptile')).toBe('soft_tissue');
    expect(pick('Horn', 'mammal')).toBe('keratin');
    expect(pick('SkullBone', 'bird')).toBe('cortical_bone');
    expect(pick('Glass_jar', 'arthropod')).toBe('glass');
    // Word starts only: "tribe" holds "rib" but is no bone.
    expect(pick('tribal_pattern', 'mammal')).toBe('soft_tissue');
  });

  it('takes a name that is an exoray material id as it is, and says when it defaulted', () => {
    expect(chooseMaterial(part('keratin'), 'reptile', known)).toMatchObject({ material: 'keratin', reason: 'material name is an exoray material id' });
    expect(chooseMaterial(part('Material.002', 'Cube.001'), 'reptile', known)).toMatchObject({ material: 'soft_tissue', reason: 'default (no mapping or rule matched)' });
    expect(chooseMaterial(part(''), 'reptile', known).reason).toBe('default (unnamed part)');
  });

  it('puts a mapping file before every rule, with globs, in file order', () => {
    const mapping = parseMaterialMapping({ 'material.00*': 'chitin', 'cube*': 'water', shell: 'cortical_bone' }, 'map.json', known);
    expect(chooseMaterial(part('Material.002', 'Cube.001'), 'reptile', known, mapping)).toMatchObject({
      material: 'chitin',
      reason: 'mapping "material.00*" matched material name "Material.002"',
    });
    expect(chooseMaterial(part('', 'Cube.001'), 'reptile', known, mapping).material).toBe('water');
    expect(chooseMaterial(part('Shell'), 'arthropod', known, mapping).material).toBe('cortical_bone');
  });

  it('refuses a mapping to an unknown material, naming the file, the key and the known ids', () => {
    expect(() => parseMaterialMapping({ body: 'flesh' }, 'my-map.yaml', known)).toThrow(ExorayError);
    expect(() => parseMaterialMapping({ body: 'flesh' }, 'my-map.yaml', known)).toThrow(/my-map\.yaml: "body" maps to unknown material "flesh"; known materials: .*soft_tissue/);
    expect(() => parseMaterialMapping(['chitin'], 'list.json', known)).toThrow(/list\.json: must be an object/);
  });
});
