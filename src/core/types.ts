/**
 * The contract between the pure scene sampler and the renderer: a SceneDescription
 * decides an image completely. It is plain JSON (no class instances, no typed
 * arrays) so it can be stored in the database and re-rendered later.
 *
 * Units: lengths in metres (glTF convention), energies in keV.
 * Axes: Y is up; the belt is the X-Z plane; the top-view beam travels along -Y.
 */

export type Vec3 = [number, number, number];
/** Unit quaternion [x, y, z, w]. */
export type Quat = [number, number, number, number];

/** Geometry of one part, in the object's local frame. All shapes are closed with outward normals. */
export type Shape =
  /** Solid cuboid centred at the origin. */
  | { type: 'box'; size: Vec3 }
  /** Cuboid shell of wall thickness `wall`: outer faces outward, inner faces inward (a closed volume with a cavity). */
  | { type: 'hollowBox'; size: Vec3; wall: number }
  /** Solid cylinder, axis along Y, centred at the origin. */
  | { type: 'cylinder'; radius: number; height: number }
  /** Cylindrical shell (tube closed at both ends) of wall thickness `wall`. */
  | { type: 'hollowCylinder'; radius: number; height: number; wall: number }
  /** Solid ellipsoid centred at the origin. */
  | { type: 'ellipsoid'; radii: Vec3 }
  /** Ring about Y in the X-Z plane: `radius` of its centre line, `tube` of its section (tube < radius). */
  | { type: 'torus'; radius: number; tube: number }
  /** Cylinder of `length` along Y with hemispherical ends of `radius` (total length + 2 radius), centred. */
  | { type: 'capsule'; radius: number; length: number }
  /**
   * Round tube swept along `path` (>= 3 points): the first and last points are its tips,
   * the inner points get rings of `radius`. Bends must be gentle relative to the radius.
   */
  | { type: 'tube'; path: Vec3[]; radius: number }
  /** A species or object model from the asset catalog; its parts carry their own materials. */
  | { type: 'asset'; asset: string };

export interface Part {
  shape: Shape;
  /** Material id from the material library; ignored for `asset` shapes (the model names its materials). */
  material: string;
  /** Offset of this part in the object's local frame. */
  offset?: Vec3;
  /** Rotation of this part in the object's local frame. */
  rotation?: Quat;
  /**
   * Multiplies the material's density (absent: 1). Squashed cloth is denser by as much as
   * it got thinner, so its mass is kept: the renderer weights the part's path length by it.
   */
  density?: number;
}

export type ObjectRole = 'container' | 'clutter' | 'animal';

export interface AnimalLabel {
  species: string;
  scientificName: string;
  commonName: string;
  /** Body length of this instance in millimetres (the sampled size). */
  lengthMm: number;
}

export interface SceneObject {
  /** Unique within the scene, e.g. "box", "shirt-0", "animal-1". */
  id: string;
  role: ObjectRole;
  /** What kind of thing it is: "cardboard-box", "folded-shirt", "stag-beetle", ... */
  kind: string;
  parts: Part[];
  position: Vec3;
  quaternion: Quat;
  /** Uniform scale applied to all parts (species models are sized this way). */
  scale: number;
  /** Present for animals: what the label says. */
  label?: AnimalLabel;
  /** Present for posed animals (models with a skeleton or morph targets); absent: the model as stored. */
  pose?: AnimalPose;
}

/**
 * The pose of one animal, as the renderer applies it (see docs/SPECIES.md, "Skeletons").
 * Plain JSON, stored with the scene, so a re-render reproduces it exactly.
 */
export interface AnimalPose {
  /** The named posture it was drawn from ('relaxed', 'curled', 'clip', ...): for filtering, not read by the renderer. */
  posture: string;
  /** One rotation per skeleton joint, in the joint's own frame, relative to its rest rotation: [0, 0, 0, 1] is the rest pose. */
  joints: Quat[];
  /** Morph-target weights, per model part in part order (an empty list for a part without targets). */
  morphWeights?: number[][];
  /** For imported models posed from one of their animation clips: which clip, and at what time (seconds). */
  clip?: { name: string; time: number };
}

/**
 * 'parallel': orthographic beam (idealised); 'cone': point source above the belt;
 * 'fan': a line scanner, perspective across the detector line and parallel along the belt.
 */
export type BeamGeometry = 'parallel' | 'cone' | 'fan';

export type ViewName = 'top' | 'side';

/** One projection: its image size, the imaged field, and where source and detector sit on its beam axis. */
export interface ViewGeometry {
  /** Image size in pixels. */
  width: number;
  height: number;
  /**
   * Size of the imaged field, metres: across the detector line (on the detector
   * plane for 'fan' and 'cone', the same everywhere for 'parallel') and along the belt.
   */
  fieldWidth: number;
  fieldDepth: number;
  /** Height of the source above the view's reference plane (the belt, for the top view), metres. */
  sourceHeight: number;
  /** Height of the detector plane (below the objects), metres. */
  detectorHeight: number;
}

export interface FilterLayer {
  material: string;
  thicknessMm: number;
}

/** A polychromatic tube and a dual-energy sandwich detector. */
export interface SpectralSettings {
  kVp: number;
  /** Added filtration after the tube window. */
  filtration: FilterLayer[];
  /** Width of the energy bins the spectrum is integrated over, keV. */
  binWidthKeV: number;
  detector: { front: FilterLayer; filter: FilterLayer; back: FilterLayer };
}

/** Detector effects; every one switchable (0 or null = off). */
export interface DetectorEffectSettings {
  /** Unattenuated photons per pixel and channel (Poisson noise); null = noiseless. */
  photonsPerPixel: number | null;
  /** Gaussian line-spread of the detector, pixels. */
  blurSigmaPx: number;
  /** Dark signal, fraction of full scale. */
  darkLevel: number;
  /** Per-detector-element (column) gain variation, fraction; removed by the flat-field correction. */
  flatGainSd: number;
  /** Per-line (row) gain variation, fraction; not removed by a flat field. */
  lineGainSd: number;
  /** Full scale of the raw signal in units of the unattenuated signal; Infinity = never clips. */
  saturation: number;
}

export interface ScannerSettings extends ViewGeometry {
  geometry: BeamGeometry;
  /** Single effective energy, used when `spectral` is absent (monochromatic Beer-Lambert). */
  effectiveEnergyKeV: number;
  /** Projections to render; the top view's geometry is this object's own. Default ['top']. */
  views?: ViewName[];
  /** Geometry of the side view (source on the +X side, detector line vertical), when it is rendered. */
  side?: ViewGeometry & {
    /** Height above the belt of the side view's central ray, metres. */
    axisHeight: number;
  };
  /** Polychromatic dual-energy physics; absent = monochromatic at effectiveEnergyKeV. */
  spectral?: SpectralSettings;
  /** Detector effects applied after transmission; absent = none. */
  effects?: DetectorEffectSettings;
}

/**
 * The domain-randomisation draws of one scene, recorded so that a dataset can be
 * filtered or balanced by them. Derived from the objects, never read by the renderer.
 */
export interface SceneRandomisation {
  containerKind: string;
  /** Outer size of the container (its whole bounding box, wheels and handles included), metres. */
  containerSize: Vec3;
  /** Wall thickness of its shell, metres. */
  wall: number;
  /** The free space inside, in the bag's own frame (origin at the centre of its bottom face, before the belt rotation), metres. */
  interior: { min: Vec3; max: Vec3 };
  /**
   * Fill the preset asked for: the share of the interior volume the contents' boxes take
   * (animals with their concealment, and clutter). Null when the preset sets counts only.
   */
  fillTarget: number | null;
  /** Share of the interior volume taken by the clutter's bounding boxes. */
  clutterFill: number;
  /** Share of the interior volume taken by the boxes of everything packed: animals (with their concealment) and clutter. */
  contentsFill: number;
  clutterCount: number;
  /** Whether this scene was drawn as a negative (no animal by design). */
  negative: boolean;
  animalCount: number;
  /** Body length of each animal, millimetres. */
  animalLengthsMm: number[];
  /** How each animal is hidden ('loose', 'sock', 'plastic-tube', ...), in the same order. */
  animalConcealment: string[];
  /** Rotation of the bag about the vertical on the belt, degrees. */
  beltYawDeg: number;
  /** Size of the bag's footprint box on the belt after that rotation (x, height, z), metres: what the scanner frames. */
  footprint: Vec3;
  /** How the contents were placed: settled by the physics engine; absent: the box packer. */
  placement?: 'physics';
  /** Physics placement: the deepest contact between two bodies (or a body and the bag) after settling, millimetres. */
  penetrationMm?: number;
}

export interface SceneDescription {
  /** Schema version of this JSON. */
  version: 1;
  /** Seed that produced this scene (already derived per sample). */
  seed: number;
  preset: string;
  scanner: ScannerSettings;
  objects: SceneObject[];
  /** The randomisation draws of this scene (absent in scenes stored before it was recorded). */
  randomisation?: SceneRandomisation;
}

/** Triangle mesh as plain typed arrays: shared by geometry builders, validators, GLB I/O and the page. */
export interface MeshData {
  /** xyz per vertex. */
  positions: Float32Array;
  /** Three vertex indices per triangle, counter-clockwise seen from outside. */
  indices: Uint32Array;
}

/** Per-vertex skin: up to four joints (indices into the model's Skeleton) and weights summing to 1. */
export interface VertexSkin {
  /** Four joint indices per vertex. */
  joints: Uint16Array;
  /** Four weights per vertex (unused slots 0). */
  weights: Float32Array;
}

/** One material-homogeneous part of a model (e.g. a beetle's cuticle shell, its soft tissue). */
export interface ModelPart {
  name: string;
  material: string;
  mesh: MeshData;
  /** Present when the model has a skeleton: how each vertex follows the joints. */
  skin?: VertexSkin;
  /** Morph targets: per target, a position offset per vertex (xyz), applied with the pose's weights. */
  morphs?: { names: string[]; deltas: Float32Array[] };
}

/** Rotation limits of a joint, degrees, about its own X, Y and Z axes, relative to its rest rotation (each range holds 0). */
export interface JointLimits {
  x: [number, number];
  y: [number, number];
  z: [number, number];
}

/**
 * What a joint does, which decides how postures move it: 'root' (never moves), 'axial' (a
 * chain along the body: spine, trunk segments, neck, tail), 'head', 'limb' (legs, arms,
 * pedipalps), 'appendage' (antennae, mandibles, other small parts).
 */
export type JointRole = 'root' | 'axial' | 'head' | 'limb' | 'appendage';

export interface SkeletonJoint {
  name: string;
  /** Index of the parent joint; -1 for a root (its transform is then relative to the model). Parents come first. */
  parent: number;
  /** Rest transform relative to the parent joint (glTF node TRS). */
  translation: Vec3;
  rotation: Quat;
  scale?: Vec3;
  limits: JointLimits;
  role: JointRole;
  /** Half-thickness of the body around this joint, model units: lets postures of long chains keep turns apart. */
  radius?: number;
}

/** A model's skeleton (its glTF skin): joints in parent-first order. The bind pose is the rest pose. */
export interface Skeleton {
  joints: SkeletonJoint[];
}

/** One joint's rotation over time in an animation clip (a glTF rotation channel). */
export interface ClipChannel {
  /** Joint index in the skeleton. */
  joint: number;
  interpolation: 'LINEAR' | 'STEP' | 'CUBICSPLINE';
  /** Key times, seconds, ascending. */
  times: number[];
  /** Quaternions, 4 per key (12 per key for CUBICSPLINE: in-tangent, value, out-tangent). */
  values: number[];
}

/** An animation clip of a model, reduced to joint rotations. */
export interface AnimationClip {
  name: string;
  /** Last key time, seconds. */
  duration: number;
  channels: ClipChannel[];
}

/** A species model: its parts and, when it can be posed, its skeleton. */
export interface SpeciesModel {
  parts: ModelPart[];
  /** null: a rigid model (an egg, a test tube), posed only by its placement. */
  skeleton: Skeleton | null;
  /** Its own animation clips (imported models), when it has any. */
  clips?: AnimationClip[];
}
