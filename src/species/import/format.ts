/** Plain-text output of the species commands (the --json forms print the objects). Pure code. */
import type { AddSpeciesResult } from './add-species.js';
import type { InspectedSpecies, ListedSpecies } from './inspect.js';

const HASH_NOTE: Record<string, string> = {
  ok: '',
  unrecorded: '',
  changed: '  (model file CHANGED since it was recorded)',
  missing: '  (model file MISSING)',
};

export function formatAddResult(result: AddSpeciesResult, catalogFile: string): string {
  const { entry, report } = result;
  const lines = [
    `Imported ${report.file} as "${entry.id}" (${entry.scientificName}) into ${catalogFile}`,
    `  model: ${entry.model}, ${result.glbBytes} bytes, sha256 ${entry.sha256}`,
    `  size: ${report.extentMm.join(' x ')} mm (x, y, z); length along Z ${entry.modelLengthMm} mm; sampled ${entry.sizeMm.min}-${entry.sizeMm.max} mm`,
    `  body plan: ${entry.bodyPlan} (${result.bodyPlanReason})`,
    `  triangles: ${report.trianglesIn} in, ${report.trianglesOut} stored (budget ${report.maxTriangles})`,
  ];
  if (report.trianglesOut > report.maxTriangles) {
    lines.push('  WARNING: over the triangle budget: no simplification of some part stayed a closed volume; simplify it in a modelling tool');
  }
  if (result.validation) {
    const v = result.validation;
    lines.push(`  source validation (${v.validator}): ${v.errors} errors, ${v.warnings} warnings${v.errors > 0 ? ' (imported anyway: the checks above passed)' : ''}`);
    for (const m of v.messages) lines.push(`    ${m}`);
  }
  if (report.skins > 0) lines.push(`  skeleton: ${report.skins} skin(s), ${report.joints} joints baked at the default pose and kept in the model's metadata`);
  for (const step of report.steps) lines.push(`  normalise: ${step}`);
  for (const s of report.skipped) lines.push(`  skipped: ${s}`);
  for (const w of report.warnings) lines.push(`  warning: ${w}`);
  for (const l of report.leftOut) lines.push(`  left out: ${l.part} (${l.triangles} triangles): ${l.reason}`);
  lines.push('  materials:');
  for (const p of report.parts) {
    const from = [p.source.material && `material "${p.source.material}"`, p.source.mesh && `mesh "${p.source.mesh}"`].filter(Boolean).join(', ');
    const flags = [p.skinned ? 'skinned' : '', p.morphed ? 'morph baked' : ''].filter(Boolean).join(', ');
    const tris =
      p.simplifiedAtError !== null
        ? `${p.trianglesIn} -> ${p.trianglesOut} tris (simplified, error ${p.simplifiedAtError})`
        : p.trianglesIn === p.trianglesOut
          ? `${p.trianglesOut} tris`
          : `${p.trianglesIn} -> ${p.trianglesOut} tris (repaired)`;
    lines.push(`    ${p.part} -> ${p.material}  [${p.reason}]${from ? ` from ${from}` : ''}; ${tris}${flags ? `; ${flags}` : ''}`);
    for (const r of p.repairs) lines.push(`      repaired: ${r}`);
  }
  if (report.parts.some((p) => p.reason.startsWith('default'))) {
    lines.push('  Parts marked "default" were taken as soft_tissue; map them with --materials mapping.json ({"name or glob*": "material_id"}).');
  }
  return `${lines.join('\n')}\n`;
}

export function formatList(file: string, species: readonly ListedSpecies[]): string {
  if (species.length === 0) return `No species in ${file}\n`;
  const width = Math.max(...species.map((s) => s.id.length));
  const rows = species.map(
    (s) => `${s.id.padEnd(width)}  ${s.scientificName} (${s.commonName}), ${s.sizeMm.min}-${s.sizeMm.max} mm, ${s.source}${HASH_NOTE[s.hash] ?? ''}`,
  );
  return `${species.length} species in ${file}\n${rows.join('\n')}\n`;
}

export function formatInspect(info: InspectedSpecies): string {
  const e = info.entry;
  const lines = [
    `${e.id}: ${e.scientificName}`,
    `  common names: ${Object.entries(e.commonNames).map(([lang, n]) => `${lang}: ${n}`).join(', ')}`,
    `  taxonomy: ${e.taxonomy.class} / ${e.taxonomy.order} / ${e.taxonomy.family}; CITES ${e.cites ?? 'not listed'}; body plan ${e.bodyPlan}`,
    `  size: ${e.sizeMm.min}-${e.sizeMm.max} mm; model ${info.extentMm.join(' x ')} mm (x, y, z), length along Z ${e.modelLengthMm} mm`,
    `  model: ${info.modelPath} (${e.imported ? `imported from ${e.imported.source}` : 'bundled'})`,
    `  sha256: ${info.hash.actual ?? '-'} (${info.hash.status === 'ok' ? 'matches the catalog' : info.hash.status === 'unrecorded' ? 'none recorded' : 'CHANGED: recorded ' + info.hash.recorded})`,
    `  triangles: ${info.triangles}; materials: ${info.materials.join(', ')}`,
  ];
  if (info.skins.length > 0) lines.push(`  skeleton: ${info.skins.map((s) => `${s.name} (${s.joints} joints)`).join(', ')}`);
  lines.push('  parts:');
  for (const p of info.parts) {
    lines.push(`    ${p.name}: ${p.material}, ${p.triangles} triangles, ${p.vertices} vertices${p.closedOutward ? '' : ', NOT closed/outward'}`);
  }
  return `${lines.join('\n')}\n`;
}
