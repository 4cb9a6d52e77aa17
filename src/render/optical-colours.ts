/**
 * What each X-ray material looks like to the eye, for the optical render: a
 * plausible surface colour, how shiny it is, and how much light it lets through.
 * The X-ray physics never reads this table; it only has to let a person
 * recognise a cardboard box, a shirt, a phone and a beetle at a glance.
 */

export interface OpticalLook {
  /** sRGB colour, 0-255 per channel. */
  rgb: [number, number, number];
  /** Phong shininess: 0 for matte fibre, up to ~80 for polished metal. */
  shininess: number;
  /** 1 for opaque; below 1 for clear plastics, glass and liquids. */
  opacity: number;
}

const matte = (r: number, g: number, b: number): OpticalLook => ({ rgb: [r, g, b], shininess: 4, opacity: 1 });
const glossy = (r: number, g: number, b: number, shininess = 30): OpticalLook => ({ rgb: [r, g, b], shininess, opacity: 1 });
const clear = (r: number, g: number, b: number, opacity: number): OpticalLook => ({ rgb: [r, g, b], shininess: 60, opacity });

/** By material id (the file names of assets/materials/). */
export const OPTICAL_LOOKS: Readonly<Record<string, OpticalLook>> = {
  // Containers and paper goods.
  cardboard: matte(176, 132, 84),
  paper: matte(236, 232, 220),
  wood: matte(160, 112, 66),
  // Textiles: a light blue-grey cotton and a dark blue polyester, so stacked clothes stay apart.
  cotton: matte(196, 206, 222),
  polyester: matte(58, 78, 128),
  // Plastics.
  abs: glossy(40, 40, 44),
  pet: clear(200, 228, 240, 0.35),
  polyethylene: glossy(232, 232, 224),
  polypropylene: glossy(222, 218, 204),
  pvc: glossy(120, 140, 150),
  rubber: matte(34, 34, 34),
  // Glass, liquids and food.
  glass: glossy(30, 36, 44, 80),
  pyrex: clear(214, 236, 236, 0.4),
  water: clear(96, 156, 210, 0.55),
  alcohol: clear(180, 210, 225, 0.5),
  oil: clear(214, 180, 60, 0.7),
  sugar: matte(244, 242, 236),
  starch: matte(240, 236, 224),
  // Metals.
  aluminium: glossy(176, 180, 186, 60),
  stainless_steel: glossy(150, 154, 160, 70),
  iron: glossy(96, 98, 102, 40),
  copper: glossy(184, 115, 70, 60),
  brass: glossy(196, 162, 80, 60),
  lead: glossy(92, 96, 104, 20),
  // Electronics.
  li_ion_cell: glossy(70, 74, 82),
  licoo2: matte(50, 54, 60),
  electrolyte: clear(230, 230, 200, 0.5),
  graphite: matte(44, 44, 46),
  fr4: glossy(40, 110, 60, 20),
  pcb: glossy(30, 100, 50, 20),
  cesium_iodide: clear(230, 236, 240, 0.6),
  gadox: matte(236, 236, 230),
  // Animals.
  chitin: glossy(72, 44, 26, 40),
  arthropod_cuticle: glossy(64, 38, 22, 40),
  soft_tissue: matte(226, 150, 150),
  dried_tissue: matte(150, 118, 84),
  protein: matte(214, 170, 140),
  cortical_bone: matte(236, 226, 200),
  keratin: glossy(120, 96, 62, 20),
  turtle_shell: glossy(102, 84, 48, 20),
  eggshell: matte(240, 232, 214),
  calcium_carbonate: matte(242, 240, 232),
};

/** The belt the scene lies on: the background of every optical render. */
export const OPTICAL_BACKGROUND: [number, number, number] = [52, 56, 60];

/**
 * The look of a material; materials added after this table (other assets, user
 * models) get a muted colour derived from their id, so they stay distinct and
 * the same from run to run instead of failing the render.
 */
export function opticalLook(material: string): OpticalLook {
  const known = OPTICAL_LOOKS[material];
  if (known) return known;
  let h = 2166136261;
  for (let i = 0; i < material.length; i++) h = Math.imul(h ^ material.charCodeAt(i), 16777619) >>> 0;
  const hue = (h % 360) / 360;
  return { rgb: hslToRgb(hue, 0.35, 0.55), shininess: 10, opacity: 1 };
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t: number) => {
    const u = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    const v = u < 1 / 6 ? p + (q - p) * 6 * u : u < 1 / 2 ? q : u < 2 / 3 ? p + (q - p) * (2 / 3 - u) * 6 : p;
    return Math.round(v * 255);
  };
  return [channel(h + 1 / 3), channel(h), channel(h - 1 / 3)];
}
