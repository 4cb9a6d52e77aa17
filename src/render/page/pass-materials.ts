/** Shader materials of the render passes, compiled once and cached by their variant. */
import * as THREE from 'three';
import {
  fullscreenVertex,
  geometryDefines,
  lbufferFragment,
  lbufferVertex,
  maskFragment,
  spectralFragment,
  spectralTableFragment,
  type GeometryKind,
} from './shaders.js';

function blendOptions(equation: THREE.BlendingEquation): Partial<THREE.ShaderMaterialParameters> {
  return {
    side: THREE.DoubleSide,
    depthTest: false,
    depthWrite: false,
    blending: THREE.CustomBlending,
    blendEquation: equation,
    blendSrc: THREE.OneFactor,
    blendDst: THREE.OneFactor,
    blendEquationAlpha: equation,
    blendSrcAlpha: THREE.OneFactor,
    blendDstAlpha: THREE.OneFactor,
  };
}

function oneHot(index: number): THREE.Vector4 {
  const v = [0, 0, 0, 0];
  v[index % 4] = 1;
  return new THREE.Vector4(...v);
}

export class PassMaterials {
  private readonly cache = new Map<string, THREE.RawShaderMaterial>();
  /** Shared by every L-buffer and mask material: set once per image. */
  readonly geometry: { uReference: THREE.IUniform<number>; uFan: THREE.IUniform<THREE.Vector4>; uResolution: THREE.IUniform<THREE.Vector2> } = {
    uReference: { value: 0 },
    uFan: { value: new THREE.Vector4() },
    uResolution: { value: new THREE.Vector2() },
  };

  private cached(key: string, make: () => THREE.RawShaderMaterial): THREE.RawShaderMaterial {
    let m = this.cache.get(key);
    if (!m) {
      m = make();
      this.cache.set(key, m);
    }
    return m;
  }

  /**
   * Adds signed distances of material `channel` into its target and component, times
   * `density` (the part's density scale: a path through squashed cloth counts as a longer
   * one at the material's own density, which attenuates alike).
   */
  lbuffer(kind: GeometryKind, targets: number, channel: number, density = 1): THREE.RawShaderMaterial {
    return this.cached(`l:${kind}:${targets}:${channel}:${density}`, () => {
      return new THREE.RawShaderMaterial({
        glslVersion: THREE.GLSL3,
        defines: geometryDefines(kind),
        vertexShader: lbufferVertex,
        fragmentShader: lbufferFragment(targets, Math.floor(channel / 4)),
        uniforms: { uChannelMask: { value: oneHot(channel).multiplyScalar(density) }, ...this.geometry },
        ...blendOptions(THREE.AddEquation),
      });
    });
  }

  /** Sets the bit of mask `instance` (of this pass) wherever the mesh covers a pixel. */
  mask(kind: GeometryKind, targets: number, instance: number): THREE.RawShaderMaterial {
    return this.cached(`m:${kind}:${targets}:${instance}`, () => {
      return new THREE.RawShaderMaterial({
        glslVersion: THREE.GLSL3,
        defines: geometryDefines(kind),
        vertexShader: lbufferVertex,
        fragmentShader: maskFragment(targets, Math.floor(instance / 4)),
        uniforms: { uChannelMask: { value: oneHot(instance) }, uFan: this.geometry.uFan },
        ...blendOptions(THREE.MaxEquation),
      });
    });
  }

  /**
   * Adds mu * signed distance of one material of instance `instance` (of this pass)
   * into that instance's channel: the instance's own attenuation per pixel.
   */
  instanceAttenuation(kind: GeometryKind, targets: number, instance: number, channel: number, mu: number): THREE.RawShaderMaterial {
    const m = this.cached(`a:${kind}:${targets}:${instance}:${channel}`, () => {
      return new THREE.RawShaderMaterial({
        glslVersion: THREE.GLSL3,
        defines: geometryDefines(kind),
        vertexShader: lbufferVertex,
        fragmentShader: lbufferFragment(targets, Math.floor(instance / 4)),
        uniforms: { uChannelMask: { value: new THREE.Vector4() }, ...this.geometry },
        ...blendOptions(THREE.AddEquation),
      });
    });
    (m.uniforms.uChannelMask!.value as THREE.Vector4).copy(oneHot(instance)).multiplyScalar(mu);
    return m;
  }

  spectral(targets: number, bins: number): THREE.RawShaderMaterial {
    return this.cached(`s:${targets}:${bins}`, () => {
      const uniforms: Record<string, THREE.IUniform> = {
        uMu: { value: Array.from({ length: bins * targets }, () => new THREE.Vector4()) },
        uWeights: { value: Array.from({ length: bins }, () => new THREE.Vector2()) },
      };
      for (let i = 0; i < targets; i++) uniforms[`uPath${i}`] = { value: null };
      return new THREE.RawShaderMaterial({
        glslVersion: THREE.GLSL3,
        vertexShader: fullscreenVertex,
        fragmentShader: spectralFragment(targets, bins),
        uniforms,
        depthTest: false,
        depthWrite: false,
      });
    });
  }

  /**
   * Adds the basis coefficients of material `channel` times the signed distance
   * into the one float target: the geometry pass of the table route sums the four
   * basis line integrals directly. The coefficients are set per image, scaled by the
   * part's density (one material per channel and density, as for the L-buffer).
   */
  basis(kind: GeometryKind, channel: number, coefficients: THREE.Vector4, density = 1): THREE.RawShaderMaterial {
    const m = this.cached(`b:${kind}:${channel}:${density}`, () => {
      return new THREE.RawShaderMaterial({
        glslVersion: THREE.GLSL3,
        defines: geometryDefines(kind),
        vertexShader: lbufferVertex,
        fragmentShader: lbufferFragment(1, 0),
        uniforms: { uChannelMask: { value: new THREE.Vector4() }, ...this.geometry },
        ...blendOptions(THREE.AddEquation),
      });
    });
    (m.uniforms.uChannelMask!.value as THREE.Vector4).copy(coefficients).multiplyScalar(density);
    return m;
  }

  /**
   * The table variant of the spectral pass, reading the per-material L-buffer
   * (`targets` of them) or, with `fromBasis`, the basis line integrals.
   */
  spectralTable(targets: number, size: number, fromBasis: boolean): THREE.RawShaderMaterial {
    return this.cached(`t:${fromBasis ? 'basis' : targets}:${size}`, () => {
      const uniforms: Record<string, THREE.IUniform> = {
        uTable: { value: null },
        uInvExtent: { value: new THREE.Vector2() },
      };
      if (fromBasis) uniforms.uBasis = { value: null };
      else uniforms.uCoef = { value: Array.from({ length: 4 * targets }, () => new THREE.Vector4()) };
      for (let i = 0; i < (fromBasis ? 0 : targets); i++) uniforms[`uPath${i}`] = { value: null };
      return new THREE.RawShaderMaterial({
        glslVersion: THREE.GLSL3,
        vertexShader: fullscreenVertex,
        fragmentShader: spectralTableFragment(targets, size, fromBasis),
        uniforms,
        depthTest: false,
        depthWrite: false,
      });
    });
  }
}
