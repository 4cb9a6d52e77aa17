/**
 * What the render page needs to turn path lengths into detector signals: energy
 * bins, each material's attenuation in every bin, and each channel's weight per
 * bin. Monochromatic scanners are the one-bin case of the same thing.
 */
import type { ScannerSettings, SpectralSettings } from '../core/types.js';
import { attenuationTable, scannerResponse } from './polychromatic.js';
import type { SpectralRequest } from '../render/request.js';
import type { MaterialLibrary } from './materials.js';
import { LUT_BASIS } from './spectral-lut.js';
import { fitSpectralTable, type SpectralTable } from './spectral-table.js';

export interface EnergyResponse {
  /** Bin centres, keV. */
  energiesKeV: Float64Array;
  /** Weight of each bin in the low- and high-energy signal, each summing to 1. */
  low: Float64Array;
  high: Float64Array;
}

export class ScannerPhysics {
  private readonly muCache = new Map<string, number[]>();
  private tableCache: SpectralTable | null | undefined;

  readonly response: EnergyResponse;

  constructor(
    response: EnergyResponse,
    private readonly muOf: (material: string, keV: number) => number,
    /** True when low and high differ (a dual-energy scanner). */
    readonly dual: boolean,
    /** Every material the scanner may meet: the transmission table is fitted to them (none: no table). */
    private readonly library: readonly string[] = [],
  ) {
    // Bins neither channel sees (below the filtration's cut-off) cost GPU time and change nothing.
    const keep = Array.from(response.energiesKeV.keys()).filter((b) => Math.max(response.low[b]!, response.high[b]!) > 1e-6);
    const pick = (a: Float64Array) => Float64Array.from(keep, (b) => a[b]!);
    this.response = { energiesKeV: pick(response.energiesKeV), low: pick(response.low), high: pick(response.high) };
  }

  static monochromatic(keV: number, lib: MaterialLibrary): ScannerPhysics {
    const one = Float64Array.of(1);
    return new ScannerPhysics({ energiesKeV: Float64Array.of(keV), low: one, high: one }, (m, e) => lib.linearAttenuation(m, e), false);
  }

  /** Mean energy of a channel's signal, keV. */
  meanEnergy(channel: 'low' | 'high'): number {
    const w = this.response[channel];
    let e = 0;
    let sum = 0;
    for (let b = 0; b < w.length; b++) {
      e += w[b]! * this.response.energiesKeV[b]!;
      sum += w[b]!;
    }
    return e / sum;
  }

  /** Attenuation of one material over the bins, 1/cm (cached: the same materials recur in every scene). */
  mu(material: string): number[] {
    let row = this.muCache.get(material);
    if (!row) {
      row = Array.from(this.response.energiesKeV, (e) => this.muOf(material, e));
      this.muCache.set(material, row);
    }
    return row;
  }

  /**
   * The transmission table over the library (spectral-table.ts), fitted on first
   * use (about 1.5 s); null for a monochromatic scanner, where the exact pass is one
   * exponential a pixel anyway, or when the library does not fit a basis.
   */
  table(): SpectralTable | null {
    if (this.tableCache === undefined) {
      const { low, high } = this.response;
      this.tableCache = low.length > LUT_BASIS && this.library.length > 0 ? fitSpectralTable(new Map(this.library.map((m) => [m, this.mu(m)])), low, high) : null;
    }
    return this.tableCache;
  }

  /**
   * What the page needs for these materials: bins, attenuation and weights, and
   * the table when every material fits it (else the page sums the bins exactly).
   */
  spectral(materials: readonly string[], options: { exact?: boolean } = {}): SpectralRequest {
    const request: SpectralRequest = {
      bins: this.response.energiesKeV.length,
      mu: materials.flatMap((m) => this.mu(m)),
      low: Array.from(this.response.low),
      high: Array.from(this.response.high),
    };
    const table = options.exact ? null : this.table();
    const coefficients = table ? materials.map((m) => table.basis.coefficients.get(m)) : [];
    if (table && coefficients.every((c) => c !== undefined)) {
      request.table = {
        key: table.key,
        size: table.spec.size,
        extent: table.spec.extent,
        rows: table.spec.rows.flat(),
        coefficients: coefficients.flatMap((c) => [...c!, ...new Array<number>(LUT_BASIS - c!.length).fill(0)]),
      };
    }
    return request;
  }

  /** Reference transmission of one channel for given path lengths (cm per material), in plain TypeScript. */
  transmission(materials: readonly string[], pathCm: ArrayLike<number>, channel: 'low' | 'high'): number {
    const w = this.response[channel];
    let t = 0;
    for (let b = 0; b < w.length; b++) {
      let a = 0;
      for (let m = 0; m < materials.length; m++) a += this.mu(materials[m]!)[b]! * Math.max(0, pathCm[m]!);
      t += w[b]! * Math.exp(-a);
    }
    return t;
  }


  /** Dual-energy response of a tube and sandwich detector; attenuation averaged over each bin. */
  static dualEnergy(settings: SpectralSettings, lib: MaterialLibrary): ScannerPhysics {
    const { weights } = scannerResponse({ kVp: settings.kVp, filtration: settings.filtration, binWidthKeV: settings.binWidthKeV }, settings.detector, lib);
    const energies = weights.energiesKeV;
    const bins = new Map(Array.from(energies, (e, b) => [e, b]));
    const tables = new Map<string, Float32Array>();
    const muOf = (material: string, keV: number): number => {
      let table = tables.get(material);
      if (!table) {
        table = attenuationTable(lib, [material], energies, settings.binWidthKeV);
        tables.set(material, table);
      }
      return table[bins.get(keV)!]!;
    };
    return new ScannerPhysics(weights, muOf, true, lib.ids());
  }
}

const caches = new WeakMap<MaterialLibrary, Map<string, ScannerPhysics>>();

/** The physics of a scanner, built once per distinct setting (every sample of a run shares one). */
export function scannerPhysics(scanner: ScannerSettings, lib: MaterialLibrary): ScannerPhysics {
  const key = JSON.stringify(scanner.spectral ?? scanner.effectiveEnergyKeV);
  let cache = caches.get(lib);
  if (!cache) caches.set(lib, (cache = new Map()));
  let physics = cache.get(key);
  if (!physics) {
    physics = scanner.spectral ? ScannerPhysics.dualEnergy(scanner.spectral, lib) : ScannerPhysics.monochromatic(scanner.effectiveEnergyKeV, lib);
    cache.set(key, physics);
  }
  return physics;
}
