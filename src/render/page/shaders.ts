/**
 * GLSL for the render page.
 *
 * L-buffer: each fragment adds its signed distance from the source (minus a
 * reference, to keep float32 precision) into the channel of its material: back
 * faces (ray leaving) add +d, front faces (ray entering) add -d, so a closed
 * mesh sums to the length of the ray inside it.
 *
 * Geometries: 'parallel' (orthographic), 'cone' (point source, perspective) and
 * 'fan' (line scanner: perspective across the detector line, parallel along the
 * belt). The fan projection maps straight edges to curves, so it is not a
 * projective transform: vertices are projected exactly, and each fragment
 * intersects its own pixel's ray with the triangle's plane (from screen-space
 * derivatives of the interpolated position, which always lies on that plane),
 * so distances stay exact whatever the interpolation does.
 */
export type GeometryKind = 'parallel' | 'cone' | 'fan';

export function geometryDefines(kind: GeometryKind): Record<string, string> {
  return kind === 'fan' ? { GEOMETRY_FAN: '' } : kind === 'parallel' ? { GEOMETRY_PARALLEL: '' } : {};
}

export const lbufferVertex = /* glsl */ `
precision highp float;
uniform mat4 modelMatrix;
uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;
#ifdef GEOMETRY_FAN
// x: source height, y: detector height, z: half field width at the detector, w: half field depth.
uniform vec4 uFan;
#endif
in vec3 position;
// View-space position (parallel, cone) or world-space position (fan).
out vec3 vPosition;
void main() {
#ifdef GEOMETRY_FAN
  vec4 world = modelMatrix * vec4(position, 1.0);
  vPosition = world.xyz;
  float magnification = (uFan.x - uFan.y) / max(uFan.x - world.y, 1e-6);
  gl_Position = vec4(world.x * magnification / uFan.z, -world.z / uFan.w, 0.0, 1.0);
#else
  vec4 viewPosition = modelViewMatrix * vec4(position, 1.0);
  vPosition = viewPosition.xyz;
  gl_Position = projectionMatrix * viewPosition;
#endif
}
`;

function outputs(targets: number): string {
  let s = '';
  for (let i = 0; i < targets; i++) s += `layout(location = ${i}) out vec4 out${i};\n`;
  return s;
}

function assign(targets: number, target: number, value: string): string {
  let s = '';
  for (let i = 0; i < targets; i++) s += `  out${i} = ${i === target ? value : 'vec4(0.0)'};\n`;
  return s;
}

const rayDistance = /* glsl */ `
float rayDistance() {
#if defined(GEOMETRY_FAN)
  vec2 ndc = gl_FragCoord.xy / uResolution * 2.0 - 1.0;
  vec3 source = vec3(0.0, uFan.x, -ndc.y * uFan.w);
  vec3 direction = normalize(vec3(ndc.x * uFan.z, uFan.y - uFan.x, 0.0));
  vec3 normal = cross(dFdx(vPosition), dFdy(vPosition));
  float facing = dot(normal, direction);
  // Edge-on triangles cover no area of their own; their distance is then only a fallback.
  if (abs(facing) <= 1e-9 * length(normal)) return distance(vPosition, source);
  return dot(normal, vPosition - source) / facing;
#elif defined(GEOMETRY_PARALLEL)
  return -vPosition.z;
#else
  return length(vPosition);
#endif
}
`;

export function lbufferFragment(targets: number, target: number): string {
  return /* glsl */ `
precision highp float;
uniform vec4 uChannelMask;
uniform float uReference;
#ifdef GEOMETRY_FAN
uniform vec4 uFan;
uniform vec2 uResolution;
#endif
in vec3 vPosition;
${outputs(targets)}
${rayDistance}
void main() {
  // Centimetres, the unit of NIST linear attenuation coefficients.
  float signedCm = (gl_FrontFacing ? -100.0 : 100.0) * (rayDistance() - uReference);
${assign(targets, target, 'uChannelMask * signedCm')}}
`;
}

export function maskFragment(targets: number, target: number): string {
  return /* glsl */ `
precision highp float;
uniform vec4 uChannelMask;
in vec3 vPosition;
${outputs(targets)}
void main() {
${assign(targets, target, 'uChannelMask')}}
`;
}

export const fullscreenVertex = /* glsl */ `
precision highp float;
in vec3 position;
void main() {
  gl_Position = vec4(position.xy, 0.0, 1.0);
}
`;

/**
 * Polychromatic dual-energy transmission over the L-buffer:
 *   T_c = sum_b w_c[b] exp(-sum_m mu_m(E_b) L_m)   for c = low, high.
 * The bin count is compiled in and mu and the weights are uniforms, so the loop
 * unrolls and reads no textures but the L-buffer (several times faster in
 * SwiftShader than fetching mu per bin). Pixels the beam crosses unhindered are
 * written at once. Each result is quantised to 16 bits and split over two 8-bit
 * channels (low in R/G, high in B/A), so the readback is 4 bytes a pixel.
 */
export function spectralFragment(targets: number, bins: number): string {
  let samplers = '';
  let fetch = '';
  let any = '';
  let sum = '';
  for (let i = 0; i < targets; i++) {
    samplers += `uniform highp sampler2D uPath${i};\n`;
    fetch += `  vec4 path${i} = max(texelFetch(uPath${i}, pixel, 0), vec4(0.0));\n`;
    any += `${i ? ' + ' : ''}dot(path${i}, vec4(1.0))`;
    sum += `${i ? ' + ' : ''}dot(path${i}, uMu[b * ${targets} + ${i}])`;
  }
  return /* glsl */ `
precision highp float;
precision highp sampler2D;
${samplers}uniform vec4 uMu[${bins * targets}];
// x: low weight, y: high weight of each bin.
uniform vec2 uWeights[${bins}];
layout(location = 0) out vec4 outColor;
vec2 split16(float t) {
  float level = floor(clamp(t, 0.0, 1.0) * 65535.0 + 0.5);
  float high = floor(level / 256.0);
  return vec2(high, level - high * 256.0) / 255.0;
}
void main() {
  ivec2 pixel = ivec2(gl_FragCoord.xy);
${fetch}  if (${any} <= 0.0) {
    outColor = vec4(1.0);
    return;
  }
  vec2 signal = vec2(0.0);
  for (int b = 0; b < ${bins}; b++) {
    signal += uWeights[b] * exp(-(${sum}));
  }
  outColor = vec4(split16(signal.x), split16(signal.y));
}
`;
}

/**
 * The same transmission from the spectral table (src/xray/spectral-lut.ts has
 * the maths and the layout, and mirrors this shader in TypeScript): per pixel,
 * four basis line integrals A = sum_m a_m L_m; at (sqrt(A_0/extent_0),
 * sqrt(A_1/extent_1)) a bilinear lookup of plane 0 (ln F and the first-order
 * term) and the nearest texel of planes 1 and 2 (the second-order terms, which
 * vary slowly and multiply small corrections); then the correction for A_2 and
 * A_3 and two exponentials a pixel, instead of one per energy bin. Bilinear by
 * texelFetch and float weights: no reliance on a GPU's float filtering precision.
 * Six fetches: 30-40 % faster on SwiftShader than bilinear on all three planes.
 *
 * `fromBasis`: the input is the basis line integrals themselves, summed by the
 * geometry pass (basisFragment's materials), not per-material path lengths.
 */
export function spectralTableFragment(targets: number, size: number, fromBasis = false): string {
  let inputs = '';
  let start = '';
  if (fromBasis) {
    // The geometry pass already summed a_m * L_m: one fetch gives the four line integrals.
    inputs = 'uniform highp sampler2D uBasis;\n';
    start = `  vec4 a = texelFetch(uBasis, pixel, 0);
  if (a.x + a.y <= 0.0) {
    outColor = vec4(1.0);
    return;
  }
`;
  } else {
    let fetch = '';
    let any = '';
    let project = '';
    for (let i = 0; i < targets; i++) {
      inputs += `uniform highp sampler2D uPath${i};\n`;
      fetch += `  vec4 path${i} = max(texelFetch(uPath${i}, pixel, 0), vec4(0.0));\n`;
      any += `${i ? ' + ' : ''}dot(path${i}, vec4(1.0))`;
      project += `  a += vec4(dot(path${i}, uCoef[${4 * i}]), dot(path${i}, uCoef[${4 * i + 1}]), dot(path${i}, uCoef[${4 * i + 2}]), dot(path${i}, uCoef[${4 * i + 3}]));\n`;
    }
    inputs += `// uCoef[4 * t + k]: basis coefficient k of the materials in channels 4t..4t+3.
uniform vec4 uCoef[${4 * targets}];
`;
    start = `${fetch}  if (${any} <= 0.0) {
    outColor = vec4(1.0);
    return;
  }
  vec4 a = vec4(0.0);
${project}`;
  }
  return /* glsl */ `
precision highp float;
precision highp sampler2D;
${inputs}uniform highp sampler2D uTable;
uniform vec2 uInvExtent;
layout(location = 0) out vec4 outColor;
vec2 split16(float t) {
  float level = floor(clamp(t, 0.0, 1.0) * 65535.0 + 0.5);
  float high = floor(level / 256.0);
  return vec2(high, level - high * 256.0) / 255.0;
}
vec4 bilinear(ivec2 cell, vec2 f, int plane) {
  ivec2 o = ivec2(cell.x, cell.y + plane * ${size});
  vec4 bottom = mix(texelFetch(uTable, o, 0), texelFetch(uTable, o + ivec2(1, 0), 0), f.x);
  vec4 top = mix(texelFetch(uTable, o + ivec2(0, 1), 0), texelFetch(uTable, o + ivec2(1, 1), 0), f.x);
  return mix(bottom, top, f.y);
}
void main() {
  ivec2 pixel = ivec2(gl_FragCoord.xy);
${start}  vec2 x = max(a.xy, vec2(0.0)) * uInvExtent;
  // Beyond the table both channels transmit less than the 16-bit floor.
  if (max(x.x, x.y) >= 1.0) {
    outColor = vec4(0.0);
    return;
  }
  vec2 g = sqrt(x) * ${(size - 1).toFixed(1)};
  ivec2 cell = min(ivec2(g), ivec2(${size - 2}));
  vec2 f = g - vec2(cell);
  vec4 p0 = bilinear(cell, f, 0);
  ivec2 nearest = ivec2(g + 0.5);
  vec4 p1 = texelFetch(uTable, nearest + ivec2(0, ${size}), 0);
  vec4 p2 = texelFetch(uTable, nearest + ivec2(0, ${2 * size}), 0);
  vec2 lnT = p0.xy - a.z * p0.zw - a.w * p1.xy + 0.5 * a.z * a.z * p1.zw + a.z * a.w * p2.xy + 0.5 * a.w * a.w * p2.zw;
  vec2 t = exp(lnT);
  outColor = vec4(split16(t.x), split16(t.y));
}
`;
}
