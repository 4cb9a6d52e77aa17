import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { Part, Vec3 } from '../../src/core/types.js';
import { shapeToMesh } from '../../src/geometry/primitives.js';
import { buildClutter, CLUTTER_KINDS } from '../../src/scene/clutter/index.js';
import { initPhysics, rapier } from '../../src/scene/physics/engine.js';
import { Pile } from '../../src/scene/physics/pile.js';
import { itemColliders, openBoxWalls, partColliders, thinPath, type ColliderSpec } from '../../src/scene/physics/shapes.js';
import { rotateVec } from '../../src/scene/placement.js';

beforeAll(initPhysics);

/** Distance by which a point lies outside the union of the colliders (0 inside), from the engine's own point projection. */
function outsideColliders(colliders: readonly ColliderSpec[], points: readonly Vec3[]): number {
  const R = rapier();
  const world = new R.World({ x: 0, y: 0, z: 0 });
  try {
    const body = world.createRigidBody(R.RigidBodyDesc.fixed());
    const made = colliders.map((c) => {
      const s = c.shape;
      const desc =
        s.type === 'cuboid' ? R.ColliderDesc.cuboid(...s.half)
        : s.type === 'cylinder' ? R.ColliderDesc.cylinder(s.halfHeight, s.radius)
        : s.type === 'capsule' ? R.ColliderDesc.capsule(s.halfHeight, s.radius)
        : s.type === 'ball' ? R.ColliderDesc.ball(s.radius)
        : R.ColliderDesc.convexHull(new Float32Array(s.points))!;
      desc.setTranslation(...c.offset).setRotation({ x: c.rotation[0], y: c.rotation[1], z: c.rotation[2], w: c.rotation[3] });
      return world.createCollider(desc, body);
    });
    let worst = 0;
    for (const p of points) {
      let best = Infinity;
      for (const c of made) {
        const proj = c.projectPoint({ x: p[0], y: p[1], z: p[2] }, true);
        best = Math.min(best, proj!.isInside ? 0 : Math.hypot(proj!.point.x - p[0], proj!.point.y - p[1], proj!.point.z - p[2]));
      }
      worst = Math.max(worst, best);
    }
    return worst;
  } finally {
    world.free();
  }
}

function meshPoints(part: Part): Vec3[] {
  const m = shapeToMesh(part.shape);
  const q = part.rotation ?? [0, 0, 0, 1];
  const o = part.offset ?? [0, 0, 0];
  const out: Vec3[] = [];
  for (let i = 0; i < m.positions.length; i += 3) {
    const p = rotateVec(q, [m.positions[i]!, m.positions[i + 1]!, m.positions[i + 2]!]);
    out.push([p[0] + o[0], p[1] + o[1], p[2] + o[2]]);
  }
  return out;
}

describe('collision shapes from scene parts', () => {
  it('maps each primitive to the engine primitive, concave ones to compounds', () => {
    const types = (shape: Part['shape']) => partColliders({ shape, material: 'x' }).map((c) => c.shape.type);
    expect(types({ type: 'box', size: [0.1, 0.02, 0.05] })).toEqual(['cuboid']);
    expect(types({ type: 'hollowBox', size: [0.1, 0.02, 0.05], wall: 0.002 })).toEqual(['cuboid']);
    expect(types({ type: 'cylinder', radius: 0.03, height: 0.1 })).toEqual(['cylinder']);
    expect(types({ type: 'capsule', radius: 0.01, length: 0.05 })).toEqual(['capsule']);
    expect(types({ type: 'ellipsoid', radii: [0.02, 0.02, 0.02] })).toEqual(['ball']);
    expect(types({ type: 'ellipsoid', radii: [0.04, 0.01, 0.02] })).toEqual(['hull']);
    // A wheel tyre: a ring of capsules with its hole open; an eyelet: a disc.
    expect(types({ type: 'torus', radius: 0.03, tube: 0.008 })).toEqual(Array(8).fill('capsule'));
    expect(types({ type: 'torus', radius: 0.004, tube: 0.001 })).toEqual(['cylinder']);
    const coil = buildClutter('coiled-cable', new Rng(3), 0.2);
    expect(itemColliders(coil.parts).length).toBeLessThanOrEqual(13);
  });

  it('the colliders of every clutter kind cover its rendered meshes (within 0.3 mm)', () => {
    let worstKind = '';
    let worst = 0;
    for (const kind of CLUTTER_KINDS) {
      for (const seed of [1, 2]) {
        const item = buildClutter(kind, new Rng(seed), 0.25);
        const d = outsideColliders(itemColliders(item.parts), item.parts.flatMap(meshPoints));
        if (d > 1e-4) process.stdout.write(`  ${kind} seed ${seed}: ${(d * 1000).toFixed(2)} mm\n`);
        if (d > worst) [worst, worstKind] = [d, kind];
      }
    }
    process.stdout.write(`deepest mesh vertex outside its item's colliders: ${(worst * 1000).toFixed(3)} mm (${worstKind})\n`);
    expect(worst).toBeLessThan(0.0003);
  });

  it('a thinned tube path keeps its ends and reports what it cut off', () => {
    const path: Vec3[] = Array.from({ length: 50 }, (_, i) => [Math.cos(i / 5) * 0.05, i * 0.001, Math.sin(i / 5) * 0.05]);
    const { points, cut } = thinPath(path, 0.004);
    expect(points[0]).toBe(path[0]);
    expect(points[points.length - 1]).toBe(path[path.length - 1]);
    expect(points.length).toBeLessThan(path.length);
    expect(cut).toBeLessThanOrEqual(0.004);
  });

  it('the open tray (a hollow box without its lid) lets an item fall in and sit on its floor', () => {
    const interior = { min: [-0.1, 0.01, -0.08] as Vec3, max: [0.1, 0.12, 0.08] as Vec3 };
    const walls = openBoxWalls(interior, 0.3);
    expect(walls).toHaveLength(5);
    const pile = new Pile(interior, new Rng(1));
    try {
      const block = { colliders: [{ shape: { type: 'cuboid' as const, half: [0.03, 0.02, 0.03] as Vec3 }, offset: [0, 0, 0] as Vec3, rotation: [0, 0, 0, 1] as [number, number, number, number] }], rotation: [0, 0, 0, 1] as [number, number, number, number] };
      const [a, b] = pile.drop([block, block]);
      expect(a).not.toBeNull();
      expect(b).not.toBeNull();
      const boxes = [pile.worldBox(a!), pile.worldBox(b!)];
      for (const box of boxes) {
        for (let k = 0; k < 3; k++) {
          expect(box.min[k]!).toBeGreaterThanOrEqual(interior.min[k]!);
          expect(box.max[k]!).toBeLessThanOrEqual(interior.max[k]!);
        }
      }
      // The lower one rests on the floor (the tray stands 2 mm inside the interior; a contact sinks a fraction of one).
      expect(Math.min(boxes[0]!.min[1], boxes[1]!.min[1]) - interior.min[1]).toBeLessThan(0.0025);
      expect(pile.maxPenetration()).toBeLessThan(0.0015);
      // An item wider than the interior does not go in.
      const wide = { ...block, colliders: [{ ...block.colliders[0]!, shape: { type: 'cuboid' as const, half: [0.2, 0.01, 0.2] as Vec3 } }] };
      expect(pile.drop([wide])).toEqual([null]);
    } finally {
      pile.free();
    }
  });
});
