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
