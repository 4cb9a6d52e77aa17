/**
 * GLSL for the L-buffer. Each fragment adds its signed distance from the source
 * (minus a reference, to keep float32 precision) into the channel of its
 * material: back faces (ray leaving) add +d, front faces (ray entering) add -d,
 * so a closed mesh sums to the length of the ray inside it.
 */
export const lbufferVertex = /* glsl */ `
precision highp float;
uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;
in vec3 position;
out vec3 vViewPosition;
void main() {
  vec4 viewPosition = modelViewMatrix * vec4(position, 1.0);
  vViewPosition = viewPosition.xyz;
  gl_Position = projectionMatrix * viewPosition;
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

/**
 * @param parallel For a parallel beam the ray runs along -z of the view, so the
 * distance is -z; for a point source it is the length of the view position
 * (computed per fragment: interpolating the length would not be exact).
 */
export function lbufferFragment(targets: number, target: number, parallel: boolean): string {
  return /* glsl */ `
precision highp float;
uniform vec4 uChannelMask;
uniform float uReference;
in vec3 vViewPosition;
${outputs(targets)}
void main() {
  float distanceMetres = ${parallel ? '-vViewPosition.z' : 'length(vViewPosition)'} - uReference;
  // Centimetres, the unit of NIST linear attenuation coefficients.
  float signedCm = (gl_FrontFacing ? -100.0 : 100.0) * distanceMetres;
${assign(targets, target, 'uChannelMask * signedCm')}}
`;
}

export function maskFragment(targets: number, target: number): string {
  return /* glsl */ `
precision highp float;
uniform vec4 uChannelMask;
in vec3 vViewPosition;
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
 * Beer-Lambert over the L-buffer: T = exp(-sum_m mu_m L_m), quantised to 16 bits
 * and split over two 8-bit channels (high byte in R, low in G), so the readback
 * is 4 bytes a pixel instead of 16 a material.
 */
export function transmissionFragment(targets: number): string {
  let samplers = '';
  let sum = '';
  for (let i = 0; i < targets; i++) {
    samplers += `uniform highp sampler2D uPath${i};\n`;
    sum += `  mu += dot(max(texelFetch(uPath${i}, pixel, 0), vec4(0.0)), uMu[${i}]);\n`;
  }
  return /* glsl */ `
precision highp float;
precision highp sampler2D;
${samplers}uniform vec4 uMu[${targets}];
layout(location = 0) out vec4 outColor;
void main() {
  ivec2 pixel = ivec2(gl_FragCoord.xy);
  float mu = 0.0;
${sum}  float level = floor(exp(-mu) * 65535.0 + 0.5);
  float high = floor(level / 256.0);
  outColor = vec4(high / 255.0, (level - high * 256.0) / 255.0, 0.0, 1.0);
}
`;
}
