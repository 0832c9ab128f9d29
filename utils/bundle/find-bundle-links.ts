/**
 * Finds secure connect bundle links in any API response text (REST or GraphQL JSON, HTML) by pattern, with what the
 * response says around them (region, datacenter, database). Hosts are NOT checked here: parseBundleLink does that.
 * Runs in a content script on every page, so: no imports but types, a cheap first test, bounded work, never throws.
 */
import type { BundleKind, LinkContext } from './types';

export interface FoundLink {
  /** Unescaped (no `\u0026`, `\/`, `&amp;`), otherwise as found. */
  url: string;
  context: LinkContext;
}

export interface FindBundleLinksOptions {
  /** Texts longer than this are skipped whole. Default 5 MB. */
  maxLength?: number;
}

export const DEFAULT_MAX_TEXT_LENGTH = 5 * 1024 * 1024;
export const MAX_FOUND_LINKS = 50;

const MARK = 'secure-connect';
const MAX_URL_LENGTH = 8192;
/** A last bound on a hostile text made of marks; the scan itself reads each character a bounded number of times. */
const MAX_MARKS = 200_000;
const MAX_NODES = 1_000_000;
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const DB_ID = new RegExp(`^${UUID}$`);
const DATACENTER_ID = new RegExp(`^(${UUID})(?:-\\d{1,4})?$`);
const REGION = /^[a-z0-9][a-z0-9-]{0,39}$/;
const LINK_SHAPE = /^https?:\/\/[^/?#\s]+\/(?:[^?#\s]*\/)?secure-connect[^/?#\s]*\.zip(?:[?#]|$)/i;

/** Which bundle each API field holds (ASTRA.md section 1); keys compared lowercased. */
const FIELD_KIND: Readonly<Record<string, BundleKind>> = {
  downloadurl: 'external',
  downloadurlinternal: 'internal',
  downloadurlmigrationproxy: 'migration-proxy',
  downloadurlmigrationproxyinternal: 'migration-proxy-internal',
  securebundleurl: 'external',
  securebundleinternalurl: 'internal',
  securebundlemigrationproxyurl: 'migration-proxy',
  securebundlemigrationproxyinternalurl: 'migration-proxy-internal',
};

/** The cheap test to run before anything else: no bundle link can be in a text without this. */
export function mightContainBundleLinks(text: string): boolean {
  return typeof text === 'string' && text.includes(MARK);
}

export function findBundleLinks(text: string, opts: FindBundleLinksOptions = {}): FoundLink[] {
  const found = new Map<string, FoundLink>();
  try {
    const maxLength = typeof opts.maxLength === 'number' && opts.maxLength >= 0 ? opts.maxLength : DEFAULT_MAX_TEXT_LENGTH;
    if (!mightContainBundleLinks(text) || text.length > maxLength) return [];
    const json = parseJson(text);
    if (json.ok) {
      walkJson(json.value, found);
    } else {
      scanRawText(text, found);
    }
  } catch {
    // Bounded and defensive already; whatever was found before a surprise is still worth returning.
  }
  return [...found.values()];
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  // Google-style anti-XSSI prefix `)]}'` before JSON.
  const body = text.startsWith(")]}'") ? text.slice(text.indexOf('\n') + 1 || text.length) : text;
  const first = body.trimStart()[0];
  if (first !== '{' && first !== '[') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

function add(found: Map<string, FoundLink>, url: string, context: LinkContext): void {
  const known = found.get(url);
  if (known) {
    fillMissing(known.context, context);
    return;
  }
  if (found.size >= MAX_FOUND_LINKS) return;
  found.set(url, { url, context });
}

// ---------------------------------------------------------------- JSON walk

interface Frame {
  node: Record<string, unknown> | unknown[];
  /** The key this node has in its parent (array index as a string). */
  key: string | undefined;
  parent: Frame | undefined;
}

function walkJson(root: unknown, found: Map<string, FoundLink>): void {
  if (typeof root === 'string') {
    for (const url of linksIn(root)) add(found, url, {});
    return;
  }
  if (root === null || typeof root !== 'object') return;
  const stack: Frame[] = [{ node: root as Frame['node'], key: undefined, parent: undefined }];
  let visited = 0;
  while (stack.length > 0 && visited++ < MAX_NODES && found.size < MAX_FOUND_LINKS) {
    const frame = stack.pop()!;
    const entries: Array<[string, unknown]> = Array.isArray(frame.node)
      ? frame.node.map((v, i) => [String(i), v])
      : Object.entries(frame.node);
    const children: Frame[] = [];
    for (const [key, value] of entries) {
      if (typeof value === 'string') {
        if (!value.includes(MARK)) continue;
        const links = linksIn(value);
        for (const url of links) {
          // The field names the kind only when it holds the link itself, not a command or page around it.
          const whole = links.length === 1 && /^https?:\S*$/i.test(value.trim());
          add(found, url, contextFor(frame, whole ? key : undefined));
        }
      } else if (value !== null && typeof value === 'object') {
        children.push({ node: value as Frame['node'], key, parent: frame });
      }
    }
    // Reverse so the depth-first walk meets links in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(value: unknown, max = 200): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= max && !/[\x00-\x1f\x7f]/.test(value) ? value : undefined;
}

/** Context from the object holding the link and its ancestors, nearest first. */
function contextFor(holder: Frame, key: string | undefined): LinkContext {
  const context: LinkContext = {};
  const fieldKind = key === undefined ? undefined : FIELD_KIND[key.toLowerCase()];
  if (fieldKind) {
    const inCustomDomains = holder.parent !== undefined && holder.parent.key?.toLowerCase() === 'customdomainbundles';
    context.kind = inCustomDomains && fieldKind === 'external' ? 'custom-domain' : fieldKind;
  }
  for (let frame: Frame | undefined = holder; frame; frame = frame.parent) {
    const node = frame.node;
    if (!isRecord(node)) continue;
    const isDatacenter = frame.parent !== undefined && frame.parent.key?.toLowerCase() === 'datacenters';

    const region = str(node.region, 40);
    if (context.region === undefined && region && REGION.test(region)) context.region = region;

    const dcField = str(node.datacenterID) ?? str(node.datcenterID) ?? str(node.datacenterId);
    const id = str(node.id);
    if (context.datacenterId === undefined) {
      if (dcField && DATACENTER_ID.test(dcField)) context.datacenterId = dcField;
      else if (id && isDatacenter && DATACENTER_ID.test(id)) context.datacenterId = id;
      else if (id && !DB_ID.test(id) && DATACENTER_ID.test(id)) context.datacenterId = id;
    }

    const dbField = str(node.databaseId) ?? str(node.databaseID) ?? str(node.dbId);
    const looksLikeDatabase = !isDatacenter && id !== undefined && DB_ID.test(id);
    if (context.dbId === undefined) {
      if (dbField && DB_ID.test(dbField)) context.dbId = dbField;
      else if (looksLikeDatabase) context.dbId = id;
    }

    if (context.dbName === undefined) {
      const infoName = isRecord(node.info) ? str(node.info.name) : undefined;
      const name = infoName ?? str(node.databaseName) ?? str(node.dbName) ?? (looksLikeDatabase ? str(node.name) : undefined);
      if (name) context.dbName = name;
    }
  }
  if (context.dbId === undefined && context.datacenterId) {
    context.dbId = DATACENTER_ID.exec(context.datacenterId)![1];
  }
  return context;
}

// ---------------------------------------------------------------- raw text scan

/** Links in a text by pattern, unescaped, in order, each once. */
function linksIn(text: string): string[] {
  const urls: string[] = [];
  forEachCandidate(text, (url) => {
    if (!urls.includes(url)) urls.push(url);
    return urls.length < MAX_FOUND_LINKS;
  });
  return urls;
}

function scanRawText(text: string, found: Map<string, FoundLink>): void {
  const objects = new Map<number, ParsedObject | null>();
  forEachCandidate(text, (url, start, end) => {
    add(found, url, enclosingContext(text, url, start, end, objects));
    return found.size < MAX_FOUND_LINKS;
  });
}

/**
 * Calls back with each candidate link (unescaped) and where it sits in the text; stops when the callback says so.
 * Works outward from each `secure-connect` so the cost is bounded by the number of marks, not by a regex backtracking.
 */
function forEachCandidate(text: string, onLink: (url: string, start: number, end: number) => boolean): void {
  let from = 0;
  let marks = 0;
  while (marks++ < MAX_MARKS) {
    const at = text.indexOf(MARK, from);
    if (at < 0) return;
    // Never look back past the previous candidate: every character is scanned a bounded number of times.
    const floor = Math.max(from, at - MAX_URL_LENGTH);
    let start = at;
    while (start > floor && isUrlChar(text, start - 1)) start--;
    const scheme = lastSchemeBefore(text, start, at);
    let end = at + MARK.length;
    const ceiling = Math.min(text.length, at + MAX_URL_LENGTH);
    while (end < ceiling && isUrlChar(text, end)) end += urlCharLength(text, end);
    from = end;
    if (scheme < 0) continue;
    const url = cleanCandidate(text.slice(scheme, end));
    if (url && !onLink(url, scheme, end)) return;
  }
}

/** The last `http://` or `https://` (also as `:\/\/` or `:\u002F\u002F`, any nesting) in [start, at); -1 if none. */
function lastSchemeBefore(text: string, start: number, at: number): number {
  const window = text.slice(start, at).toLowerCase();
  let i = window.lastIndexOf('http');
  while (i >= 0) {
    if (/^https?:(?:\\*\/|\\+u002f){2}/.test(window.slice(i, i + 40))) return start + i;
    i = i === 0 ? -1 : window.lastIndexOf('http', i - 1);
  }
  return -1;
}

/** Characters a link can hold as it sits in JSON or HTML text (ASCII only); `\` only in `\/` or `\uXXXX`, any nesting. */
function isUrlChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c <= 0x20 || c >= 0x7f) return false;
  if (c === 0x22 || c === 0x27 || c === 0x3c || c === 0x3e || c === 0x60) return false; // " ' < > `
  if (c === 0x5c) return urlCharLength(text, i) > 0;
  return true;
}

/** 1 for a plain character; for a backslash, the length of the escape it starts (`\/`, `\\u0026`), or 0. */
function urlCharLength(text: string, i: number): number {
  if (text.charCodeAt(i) !== 0x5c) return 1;
  const m = /^\\+(?:\/|u[0-9a-fA-F]{4})/.exec(text.slice(i, i + 40));
  return m ? m[0].length : 0;
}

/** Undoes JSON (`\u0026`, `\/`, nested) and HTML (`&amp;`) escaping, cuts at the first character a link cannot hold. */
function cleanCandidate(raw: string): string | undefined {
  let url = raw;
  for (let i = 0; i < 4; i++) {
    const next = url
      .replace(/\\+\//g, '/')
      .replace(/\\+u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/&(?:amp|#0*38|#x0*26);/gi, '&')
      .replace(/&(?:sol|#0*47|#x0*2f);/gi, '/');
    if (next === url) break;
    url = next;
  }
  const cut = url.search(/[\s"'<>`\\\x00-\x1f\x7f]|&(?:quot|apos|lt|gt|#0*3[49]|#x0*2[27]|#0*6[02]|#x0*3[ce]);/i);
  if (cut >= 0) url = url.slice(0, cut);
  url = trimTrailingPunctuation(url);
  if (url.length > MAX_URL_LENGTH || !LINK_SHAPE.test(url)) return undefined;
  return url;
}

/** Prose puts `.` `,` `)` after a link; real links end in a signature character. */
function trimTrailingPunctuation(url: string): string {
  let out = url;
  for (;;) {
    const last = out[out.length - 1];
    if (last === undefined) return out;
    if ('.,;:!?'.includes(last)) {
      out = out.slice(0, -1);
      continue;
    }
    const open = ({ ')': '(', ']': '[', '}': '{' } as Record<string, string>)[last];
    if (open && count(out, last) > count(out, open)) {
      out = out.slice(0, -1);
      continue;
    }
    return out;
  }
}

function count(text: string, c: string): number {
  return text.split(c).length - 1;
}

// ---------------------------------------------------------------- context for links found in non-JSON text

const MAX_OBJECT_LENGTH = 64 * 1024;
const MAX_OBJECT_TRIES = 4;

interface ParsedObject {
  end: number;
  contexts: Map<string, LinkContext>;
}

/**
 * JSON embedded in HTML or script (`window.__STATE__ = {...}`) or in a multipart body: parse the objects around the
 * link, innermost first, and read its context from them as from a JSON response (inner values win).
 */
function enclosingContext(text: string, url: string, start: number, end: number, objects: Map<number, ParsedObject | null>): LinkContext {
  const context: LinkContext = {};
  let depth = 0;
  let tries = 0;
  const floor = Math.max(0, start - MAX_OBJECT_LENGTH);
  for (let i = start - 1; i >= floor && tries < MAX_OBJECT_TRIES; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x7d) depth++;
    else if (c === 0x7b) {
      if (depth > 0) {
        depth--;
        continue;
      }
      tries++;
      let object = objects.get(i);
      if (object === undefined) {
        object = parseObjectAt(text, i);
        objects.set(i, object);
      }
      const known = object && object.end >= end ? object.contexts.get(url) : undefined;
      if (known) fillMissing(context, known);
    }
  }
  return context;
}

function parseObjectAt(text: string, open: number): ParsedObject | null {
  const close = matchingBrace(text, open, open + MAX_OBJECT_LENGTH);
  if (close < 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(open, close + 1));
  } catch {
    return null;
  }
  const links = new Map<string, FoundLink>();
  walkJson(value, links);
  return { end: close + 1, contexts: new Map([...links].map(([u, link]) => [u, link.context])) };
}

function fillMissing(context: LinkContext, more: LinkContext): void {
  for (const key of Object.keys(more) as Array<keyof LinkContext>) {
    if (context[key] === undefined && more[key] !== undefined) (context as Record<string, string>)[key] = more[key]!;
  }
}

/** Index of the `}` closing the `{` at `open`, reading JSON strings properly; -1 if not within `limit`. */
function matchingBrace(text: string, open: number, limit: number): number {
  let depth = 0;
  let inString = false;
  const stop = Math.min(text.length, limit);
  for (let i = open; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i;
  }
  return -1;
}
