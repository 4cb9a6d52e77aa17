/**
 * Which X-ray material each imported part is made of. glTF materials describe looks, not
 * composition, so the part's material, mesh and node names are matched: first against a
 * user mapping (exact names or `*` globs), then a name that already is an exoray material
 * id, then word rules ("shell", "bone", "leg", "glass"...) that depend on the body plan
 * (an arthropod's leg is cuticle, a lizard's is mostly soft tissue), else soft tissue.
 * Every decision carries its reason, so the import can report it. Pure code.
 */
import { ExorayError } from '../../core/errors.js';
import type { BodyPlan } from '../catalog.js';

export const DEFAULT_MATERIAL = 'soft_tissue';

/** Pattern (case-insensitive name or glob with `*`) to exoray material id, in file order. */
export type MaterialMapping = Array<{ pattern: string; material: string }>;

export interface PartNames {
  name: string;
  materialName: string;
  meshName: string;
  nodeName: string;
}

export interface MaterialChoice {
  part: string;
  /** The source names looked at, for the report. */
  source: { material: string; mesh: string; node: string };
  material: string;
  reason: string;
}

interface Rule {
  words: RegExp;
  material: string | ((plan: BodyPlan) => string);
  label: string;
}

const isArthropod = (plan: BodyPlan): boolean => plan === 'arthropod';

/** Word stems; matched at the start of a word, so "rib" does not match "tribe". */
const RULES: Rule[] = [
  { words: /carapace|plastron|scute/, material: 'turtle_shell', label: 'carapace/plastron/scute' },
  { words: /egg ?shell/, material: 'eggshell', label: 'eggshell' },
  { words: /yolk|albumen/, material: 'protein', label: 'yolk/albumen' },
  { words: /bone|skelet|skull|crani|spine|vertebr|rib|femur|tibia|humer|pelvi|teeth|tooth|enamel|jaw/, material: 'cortical_bone', label: 'bone' },
  { words: /glass|vial|test ?tube|lens/, material: 'glass', label: 'glass' },
  { words: /cuticle|exoskelet|chitin|elytr|sclerit|tergite|sternite|mandible|chelicer|pedipalp|stinger|sting/, material: 'chitin', label: 'cuticle' },
  {
    words: /shell/,
    material: (plan) => (isArthropod(plan) ? 'chitin' : plan === 'reptile' ? 'turtle_shell' : plan === 'egg' || plan === 'bird' ? 'eggshell' : 'calcium_carbonate'),
    label: 'shell (by body plan)',
  },
  { words: /horn|claw|talon/, material: (plan) => (isArthropod(plan) ? 'chitin' : 'keratin'), label: 'horn/claw (by body plan)' },
  {
    words: /leg|pincer|antenn|wing|head ?capsule/,
    material: (plan) => (isArthropod(plan) ? 'chitin' : 'soft_tissue'),
    label: 'limb (by body plan)',
  },
  { words: /beak|nail|hoof|feather|keratin|scale|hair|fur/, material: 'keratin', label: 'keratin' },
  { words: /body|skin|flesh|muscle|tissue|organ|gut|eye|tongue|abdomen|thorax|tail/, material: 'soft_tissue', label: 'soft tissue' },
];

/** Lower case with word breaks at camelCase humps and underscores ("LeftLeg_L" -> "left leg l"). */
function wordsOf(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** Checks a parsed mapping file ({ "pattern": "material_id", ... }); `file` and `known` are for errors. */
export function parseMaterialMapping(json: unknown, file: string, known: readonly string[]): MaterialMapping {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ExorayError('E_USAGE', `Material mapping ${file}: must be an object of "glTF material or mesh name (or glob with *)": "exoray material id"`);
  }
  return Object.entries(json as Record<string, unknown>).map(([pattern, material]) => {
    if (typeof material !== 'string' || !known.includes(material)) {
      throw new ExorayError(
        'E_USAGE',
        `Material mapping ${file}: "${pattern}" maps to unknown material ${JSON.stringify(material)}; known materials: ${known.join(', ')}`,
      );
    }
    return { pattern, material };
  });
}

/** The material of one part, with the reason for the report. */
export function chooseMaterial(part: PartNames, plan: BodyPlan, known: readonly string[], mapping: MaterialMapping = []): MaterialChoice {
  const source = { material: part.materialName, mesh: part.meshName, node: part.nodeName };
  const labelled = [
    ['material', part.materialName],
    ['mesh', part.meshName],
    ['node', part.nodeName],
  ].filter(([, n]) => n !== '') as Array<[string, string]>;
  const choice = (material: string, reason: string): MaterialChoice => ({ part: part.name, source, material, reason });
  for (const { pattern, material } of mapping) {
    const re = globToRegExp(pattern);
    const hit = labelled.find(([, n]) => re.test(n.toLowerCase()));
    if (hit) return choice(material, `mapping "${pattern}" matched ${hit[0]} name "${hit[1]}"`);
  }
  for (const [kind, n] of labelled) {
    if (known.includes(n)) return choice(n, `${kind} name is an exoray material id`);
  }
  for (const rule of RULES) {
    const words = new RegExp(`(^|[^a-z])(${rule.words.source})`);
    const hit = labelled.find(([, n]) => words.test(wordsOf(n)));
    if (hit) {
      const material = typeof rule.material === 'string' ? rule.material : rule.material(plan);
      if (known.includes(material)) return choice(material, `rule "${rule.label}" matched ${hit[0]} name "${hit[1]}"`);
    }
  }
  return choice(DEFAULT_MATERIAL, labelled.length > 0 ? 'default (no mapping or rule matched)' : 'default (unnamed part)');
}
