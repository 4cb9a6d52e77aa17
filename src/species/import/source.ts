/**
 * Reads a user's .glb or .gltf (with external buffers and textures beside it) into a
 * gltf-transform Document, with the compression and material extensions registered.
 * Every failure names the file and the problem, before anything is parsed in earnest:
 * size limit, glTF magic, truncation, missing external files. A file the reader cannot
 * parse is explained by the Khronos validator's first errors (a JSON pointer and what is
 * wrong there), not by the reader's internal error. A .gltf whose only errors are in its
 * looks (materials, textures, images, samplers), which play no part in the X-ray, is read
 * without them and the import reports it. Node-only (file I/O).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { NodeIO, type Document } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import draco3d from 'draco3dgltf';
import { MeshoptDecoder } from 'meshoptimizer';
import { ExorayError } from '../../core/errors.js';
import { DEFAULT_MAX_BYTES } from './defaults.js';
import { validatorIssues } from './validate-source.js';


export interface SourceModel {
  document: Document;
  /** Absolute path of the .glb / .gltf. */
  file: string;
  format: 'glb' | 'gltf';
  /** Bytes of the file itself (its sha256 is recorded as the import's source). */
  bytes: Uint8Array;
  /** Model file plus external buffers and images. */
  totalBytes: number;
  /** What was left out to read the file (broken looks), for the import report. */
  warnings: string[];
}

const GLB_MAGIC = 0x46546c67; // "glTF" little-endian

let ioPromise: Promise<NodeIO> | undefined;

/** One NodeIO per process: the Draco decoder's WebAssembly module is costly to instantiate. */
function io(): Promise<NodeIO> {
  ioPromise ??= (async () => {
    await MeshoptDecoder.ready;
    return new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({
      'draco3d.decoder': await draco3d.createDecoderModule(),
      'meshopt.decoder': MeshoptDecoder,
    });
  })();
  return ioPromise;
}

function fail(file: string, problem: string, cause?: unknown): never {
  throw new ExorayError('E_ASSET', `Model file ${file}: ${problem}`, cause === undefined ? undefined : { cause });
}

function mib(n: number): string {
  return n < 1048576 ? `${n} bytes` : `${(n / 1048576).toFixed(1)} MiB`;
}

/** Checks the 12-byte GLB header and every chunk header against the file length. */
export function checkGlbFraming(bytes: Uint8Array, file: string): void {
  if (bytes.byteLength < 12) fail(file, `is truncated: ${bytes.byteLength} bytes, shorter than the 12-byte GLB header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== GLB_MAGIC) fail(file, 'is not a binary glTF (.glb): it does not start with "glTF"');
  const version = view.getUint32(4, true);
  if (version !== 2) fail(file, `is glTF version ${version}; only glTF 2.0 is supported (convert it with a current exporter)`);
  const declared = view.getUint32(8, true);
  if (declared > bytes.byteLength) fail(file, `is truncated: its header declares ${declared} bytes but the file has ${bytes.byteLength}; download or export it again`);
  let offset = 12;
  let chunks = 0;
  while (offset < declared) {
    if (offset + 8 > declared) fail(file, `is corrupted: chunk ${chunks} header at byte ${offset} runs past the end`);
    const length = view.getUint32(offset, true);
    if (offset + 8 + length > declared) {
      fail(file, `is truncated or corrupted: chunk ${chunks} declares ${length} bytes at byte ${offset} but only ${declared - offset - 8} remain`);
    }
    offset += 8 + length;
    chunks++;
  }
  if (chunks === 0) fail(file, 'is corrupted: the GLB has no JSON chunk');
}

/** Validator errors shown in a refusal, and the length each is cut to. */
const EXPLAINED = 3;
const MESSAGE_CHARS = 160;

function clip(text: string): string {
  return text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS - 3)}...` : text;
}

/** The validator's errors (severity 0) as "CODE pointer: message", or [] when it cannot run. */
async function validatorErrors(file: string, bytes: Uint8Array, format: 'glb' | 'gltf'): Promise<{ count: number; errors: Array<{ pointer: string; text: string }> }> {
  try {
    const v = await validatorIssues(file, bytes, format, 200);
    const errors = v.issues.filter((m) => m.severity === 0).map((m) => ({ pointer: m.pointer ?? '', text: clip(`${m.code}${m.pointer ? ` ${m.pointer}` : ''}: ${m.message}`) }));
    return { count: v.errors, errors };
  } catch {
    return { count: 0, errors: [] };
  }
}

/** Refuses a file the reader could not parse, with the validator's account of why. */
async function failUnreadable(file: string, bytes: Uint8Array, format: 'glb' | 'gltf', e: unknown): Promise<never> {
  const v = await validatorErrors(file, bytes, format);
  const kind = format === 'glb' ? 'GLB' : 'glTF';
  if (v.errors.length === 0) return fail(file, `is a corrupted ${kind} (${(e as Error).message}); export it again as glTF 2.0`, e);
  const shown = v.errors.slice(0, EXPLAINED).map((x) => x.text).join('; ');
  const more = v.count > EXPLAINED ? ` (and ${v.count - EXPLAINED} more)` : '';
  return fail(file, `is a corrupted ${kind}: the glTF validator finds ${v.count} error${v.count === 1 ? '' : 's'}: ${shown}${more}; fix the file or export it again as glTF 2.0`, e);
}

/** Pointers into the parts of a glTF that only describe looks. */
const LOOKS = /^\/(materials|textures|images|samplers)(\/|$)/;

/**
 * The glTF JSON without its looks: no materials, textures, images or samplers, and no
 * look extensions; primitives keep their geometry. Parts then map by mesh and node names.
 */
function withoutLooks(json: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
  for (const key of ['materials', 'textures', 'images', 'samplers']) delete out[key];
  const lookExtension = (name: unknown) => typeof name === 'string' && /^KHR_(materials_|texture_)|^EXT_texture_/.test(name);
  for (const key of ['extensionsUsed', 'extensionsRequired']) {
    if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).filter((n) => !lookExtension(n));
  }
  const meshes = Array.isArray(out.meshes) ? (out.meshes as Array<{ primitives?: unknown }>) : [];
  for (const mesh of meshes) {
    if (!Array.isArray(mesh?.primitives)) continue;
    for (const prim of mesh.primitives as Array<Record<string, unknown>>) if (prim && typeof prim === 'object') delete prim.material;
  }
  return out;
}

function isDataUri(uri: string): boolean {
  return uri.startsWith('data:');
}

/** The external (non-data) URIs of a .gltf's buffers and images. */
function externalUris(json: Record<string, unknown>): Array<{ kind: 'buffer' | 'image'; index: number; uri: string }> {
  const out: Array<{ kind: 'buffer' | 'image'; index: number; uri: string }> = [];
  for (const kind of ['buffer', 'image'] as const) {
    const list = json[`${kind}s`];
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, index) => {
      const uri = (item as { uri?: unknown } | null)?.uri;
      if (typeof uri === 'string' && !isDataUri(uri)) out.push({ kind, index, uri });
    });
  }
  return out;
}

/**
 * Reads and parses the model. `maxBytes` bounds the file plus its external files, so a
 * mistaken multi-gigabyte scan is refused before it is loaded into memory.
 */
export async function readSourceModel(path: string, maxBytes = DEFAULT_MAX_BYTES): Promise<SourceModel> {
  const file = resolve(path);
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) fail(file, 'is not a regular file');
    size = st.size;
  } catch (e) {
    if (e instanceof ExorayError) throw e;
    return fail(file, `cannot be read (${(e as Error).message}); check the path`, e);
  }
  if (size > maxBytes) fail(file, `is too large (${mib(size)}, limit ${mib(maxBytes)}); simplify it first or raise --max-bytes`);
  if (size === 0) fail(file, 'is empty (0 bytes)');
  const bytes = new Uint8Array(await readFile(file));
  const isGlb = bytes.byteLength >= 4 && new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true) === GLB_MAGIC;
  const reader = await io();
  if (isGlb) {
    checkGlbFraming(bytes, file);
    let document: Document;
    try {
      document = await reader.readBinary(bytes);
    } catch (e) {
      return failUnreadable(file, bytes, 'glb', e);
    }
    return { document, file, format: 'glb', bytes, totalBytes: size, warnings: [] };
  }

  let json: Record<string, unknown>;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('top level is not an object');
    json = parsed as Record<string, unknown>;
  } catch {
    return fail(file, 'is not a glTF file: neither a binary glTF (.glb, starting with "glTF") nor glTF JSON (.gltf); export the model as glTF 2.0');
  }
  const version = (json.asset as { version?: unknown } | undefined)?.version;
  if (typeof version !== 'string') fail(file, 'is JSON but not glTF: it has no "asset.version"; export the model as glTF 2.0');
  if (!version.startsWith('2.')) fail(file, `is glTF version ${version}; only glTF 2.0 is supported`);

  const dir = dirname(file);
  let totalBytes = size;
  const resources: Record<string, Uint8Array<ArrayBuffer>> = {};
  for (const ref of externalUris(json)) {
    let target: string;
    try {
      target = resolve(dir, decodeURIComponent(ref.uri));
    } catch {
      return fail(file, `${ref.kind}s[${ref.index}] has a malformed uri "${ref.uri}"`);
    }
    let refSize: number;
    try {
      refSize = (await stat(target)).size;
    } catch {
      return fail(file, `is missing its external ${ref.kind} "${ref.uri}" (${ref.kind}s[${ref.index}], expected at ${target}); copy it next to ${basename(file)} or export a .glb`);
    }
    totalBytes += refSize;
    if (totalBytes > maxBytes) fail(file, `is too large with its external files (over ${mib(maxBytes)} at "${ref.uri}"); simplify it first or raise --max-bytes`);
    resources[ref.uri] = new Uint8Array(await readFile(target));
  }
  let document: Document;
  const warnings: string[] = [];
  try {
    document = await reader.readJSON({ json: json as never, resources });
  } catch (e) {
    // Broken looks need not stop an X-ray import: read the geometry without them.
    const v = await validatorErrors(file, bytes, 'gltf');
    if (v.errors.length === 0 || !v.errors.every((x) => LOOKS.test(x.pointer))) return failUnreadable(file, bytes, 'gltf', e);
    try {
      document = await reader.readJSON({ json: withoutLooks(json) as never, resources });
    } catch {
      return failUnreadable(file, bytes, 'gltf', e);
    }
    warnings.push(
      `read without its materials and textures, which the glTF validator finds broken (${v.errors.slice(0, EXPLAINED).map((x) => x.text).join('; ')}); they only describe looks, so parts map by mesh and node names`,
    );
  }
  return { document, file, format: 'gltf', bytes, totalBytes, warnings };
}
