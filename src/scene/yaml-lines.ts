/**
 * Where a field sits in a YAML file, for error messages: an index of the block-style
 * keys and list items of the text, looked up by a field path like "clutter[2].count[0]".
 * js-yaml gives positions only for syntax errors, so the loaded document cannot say
 * where its values came from; this reads the text itself. A path into a flow collection
 * ({...} or [...]) or a multi-line scalar resolves to the line of its nearest key.
 * Pure.
 */

interface Node {
  line: number;
  keys: Map<string, Node>;
  items: Node[];
}

const newNode = (line: number): Node => ({ line, keys: new Map(), items: [] });

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\-?:][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s|$)/;

function unquote(key: string): string {
  if (key.startsWith('"')) return key.slice(1, -1).replace(/\\(.)/g, '$1');
  if (key.startsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key.trim();
}

export function indexYamlLines(text: string): Node {
  const root = newNode(1);
  const stack: Array<{ col: number; node: Node; item: boolean }> = [{ col: -1, node: root, item: false }];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed === '---' || trimmed === '...') continue;
    let col = raw.length - raw.trimStart().length;
    let rest = raw.slice(col);
    // Sequence markers, possibly several on one line ("- - x").
    while (rest === '-' || rest.startsWith('- ')) {
      while (stack.length > 1 && (stack[stack.length - 1]!.col > col || (stack[stack.length - 1]!.col === col && stack[stack.length - 1]!.item))) stack.pop();
      const item = newNode(i + 1);
      stack[stack.length - 1]!.node.items.push(item);
      stack.push({ col, node: item, item: true });
      const after = rest.slice(1);
      const pad = after.length - after.trimStart().length;
      col += 1 + pad;
      rest = after.trimStart();
      if (rest === '') break;
    }
    const m = KEY.exec(rest);
    if (!m) continue;
    while (stack.length > 1 && stack[stack.length - 1]!.col >= col) stack.pop();
    const node = newNode(i + 1);
    stack[stack.length - 1]!.node.keys.set(unquote(m[1]!), node);
    stack.push({ col, node, item: false });
  }
  return root;
}

/** "a.b[2].c" -> ["a", "b", 2, "c"]. */
export function parseFieldPath(field: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== '(root)') out.push(m[1]!);
  }
  return out;
}

/** 1-based line of the field, or of its deepest ancestor found in the text; undefined for none. */
export function lineOf(index: Node, field: string): number | undefined {
  let node = index;
  let line: number | undefined;
  for (const step of parseFieldPath(field)) {
    const next = typeof step === 'number' ? node.items[step] : node.keys.get(step);
    if (!next) break;
    node = next;
    line = node.line;
  }
  return line;
}
