/**
 * Safe reading of untrusted ZIP archives (agent packages, skill bundles, memory snapshots) and a small
 * writer for the archives we produce.
 *
 * Threats handled by `unzipSafely` (STYLE.md convention 11; open-agent-format.md §8 and §11 steps 1–2):
 * - zip-slip: names are normalised (`\` → `/`, leading `./` and inner `.`/empty segments dropped), and
 *   absolute paths, drive letters, `..` segments and NUL bytes are refused — even on entries we skip;
 * - entry-count bombs: the central directory is counted in fflate's `filter` callback, which runs for
 *   every entry BEFORE anything is inflated;
 * - decompression bombs: declared uncompressed sizes are summed in the same callback, also before any
 *   output buffer is allocated (fflate allocates exactly the declared size per entry);
 * - link and device entries: an entry whose Unix mode (external attributes, APPNOTE 4.4.2 and 4.4.15)
 *   says symbolic link, hard link, FIFO, socket or device is refused — stored and exported, a symlink
 *   to `/etc/passwd` would be recreated on a user's disk by whoever unzips it. Only regular files and
 *   directories (or entries from hosts that record no Unix type) are accepted;
 * - lying headers: fflate caps each entry's output at its declared size, so a header that under-declares
 *   yields a truncated entry. After inflating we therefore require every entry's actual size to equal its
 *   declared size and its CRC-32 to match the central directory (APPNOTE 4.4.7), and re-check the limits
 *   against actual sizes.
 *
 * The compressed size of the archive itself (e.g. `MAX_AGENT_BUNDLE_BYTES`) is the caller's check, made
 * before the bytes are buffered (a 413 belongs to the route, not to this module).
 *
 * Pure Web APIs and fflate only; imports nothing internal.
 */
import { unzipSync, zipSync, type UnzipFileInfo, type Zippable } from "fflate";

/** Largest agent package accepted by agents.create / agents.import, in bytes (open-agent-format.md §8). */
export const MAX_AGENT_BUNDLE_BYTES = 50 * 1024 * 1024;
/** Most central-directory entries (files, directories and skipped entries alike) read from one archive. */
export const MAX_ZIP_ENTRIES = 2000;
/**
 * Largest sum of uncompressed sizes of the extracted entries of one archive, in bytes. Kept well under a
 * Worker isolate's 128 MB memory, since every entry is held in memory during an import.
 */
export const MAX_ZIP_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;
/** Largest uncompressed size of a single extracted entry, in bytes. */
export const MAX_ZIP_ENTRY_BYTES = 50 * 1024 * 1024;

/** Limits applied by `unzipSafely`; every field defaults to the matching `MAX_ZIP_*` constant. */
export interface ZipLimits {
  /** Most central-directory entries, directories and skipped entries included. */
  maxEntries: number;
  /** Largest sum of the uncompressed sizes of the extracted entries, in bytes. */
  maxTotalBytes: number;
  /** Largest uncompressed size of one extracted entry, in bytes. */
  maxEntryBytes: number;
}

/** Why an archive was refused. */
export type ZipLimitKind = "too_many_entries" | "too_large" | "unsafe_path" | "unsafe_type" | "corrupt";

/**
 * Raised by `unzipSafely` when an archive is refused. `kind` tells the caller how to answer
 * (`too_many_entries` / `too_large` → 413, `unsafe_path` / `unsafe_type` / `corrupt` → 400); `path` names the offending
 * entry (normalised when possible, raw otherwise) when one is to blame. The message is safe to show users.
 */
export class ZipLimitError extends Error {
  override readonly name = "ZipLimitError";
  readonly kind: ZipLimitKind;
  readonly path?: string;

  constructor(kind: ZipLimitKind, message: string, path?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    if (path !== undefined) this.path = path;
  }
}

/** Entries that carry no package content: macOS resource forks and Finder metadata. */
function isJunk(path: string): boolean {
  const segments = path.split("/");
  return segments[0] === "__MACOSX" || segments[segments.length - 1] === ".DS_Store";
}

/**
 * Normalises one entry name and refuses names that could escape the extraction root.
 * Returns the normalised path (a trailing `/` kept for directory entries).
 */
function normaliseEntryName(raw: string): string {
  if (raw.includes("\0")) throw new ZipLimitError("unsafe_path", "ZIP entry name contains a NUL byte", raw);
  const name = raw.replaceAll("\\", "/");
  if (name.startsWith("/")) throw new ZipLimitError("unsafe_path", `ZIP entry "${raw}" has an absolute path`, raw);
  if (/^[A-Za-z]:/.test(name)) throw new ZipLimitError("unsafe_path", `ZIP entry "${raw}" has a drive-letter path`, raw);
  const isDirectory = name.endsWith("/");
  const segments: string[] = [];
  for (const segment of name.split("/")) {
    if (segment === "..") throw new ZipLimitError("unsafe_path", `ZIP entry "${raw}" contains a ".." segment`, raw);
    if (segment === "" || segment === ".") continue;
    segments.push(segment);
  }
  if (segments.length === 0) {
    // "./", "" or "/"-only names: a root directory entry is harmless, an empty file name is not a file.
    if (isDirectory) return "./";
    throw new ZipLimitError("corrupt", "ZIP entry has an empty name", raw);
  }
  return segments.join("/") + (isDirectory ? "/" : "");
}

/**
 * The same normalisation and refusals as entry names get, for relative paths that arrive another way
 * (multipart `files` parts whose filename is a relative path, spec §1.8): `\\` → `/`, `./` and empty
 * segments dropped; absolute, drive-letter, `..` and NUL-containing paths refused. A trailing `/` is kept.
 * @throws ZipLimitError `unsafe_path` or `corrupt` (empty name).
 */
export function normalizeArchivePath(raw: string): string {
  return normaliseEntryName(raw);
}

/** True for macOS metadata entries (`__MACOSX/…`, `.DS_Store`) that carry no package content. */
export function isArchiveJunk(path: string): boolean {
  return isJunk(path);
}

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as used by ZIP, APPNOTE 4.4.7.
const CRC32_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC32_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function u16(d: Uint8Array, at: number): number {
  return (d[at] ?? 0) | ((d[at + 1] ?? 0) << 8);
}

function u32(d: Uint8Array, at: number): number {
  return ((d[at] ?? 0) | ((d[at + 1] ?? 0) << 8) | ((d[at + 2] ?? 0) << 16) | ((d[at + 3] ?? 0) << 24)) >>> 0;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const EOCD_MIN_BYTES = 22;
const EOCD_MAX_COMMENT_BYTES = 0xffff;

/** What the central directory says about one entry, beyond what fflate's filter callback sees. */
interface CentralRecord {
  crc32: number;
  encrypted: boolean;
  /** The Unix file type bits (`S_IFMT`) when the entry was made on a Unix-like host, else 0. */
  unixType: number;
}

/** APPNOTE 4.4.2.2 "version made by" host systems whose external attributes carry a Unix mode. */
const UNIX_HOSTS = new Set([3 /* UNIX */, 19 /* OS X (Darwin) */]);
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
/** File type names of the Unix modes refused, for messages. */
const UNIX_TYPE_NAMES: Record<number, string> = {
  0o120000: "a symbolic link",
  0o140000: "a socket",
  0o060000: "a block device",
  0o020000: "a character device",
  0o010000: "a FIFO",
};

/**
 * Walks the central directory the same way fflate's `unzipSync` does (APPNOTE 4.3.12, 4.3.14–16), so
 * record `i` here is the entry fflate hands to the filter as its `i`-th call. Checks every record
 * signature; refuses a declared entry count above `maxEntries` before reading any record.
 */
function readCentralDirectory(data: Uint8Array, maxEntries: number): CentralRecord[] {
  let eocd = data.length - EOCD_MIN_BYTES;
  while (eocd >= 0 && u32(data, eocd) !== EOCD_SIGNATURE) {
    if (data.length - eocd > EOCD_MIN_BYTES + EOCD_MAX_COMMENT_BYTES) eocd = -1;
    else eocd--;
  }
  if (eocd < 0) throw new ZipLimitError("corrupt", "Not a ZIP archive (no end-of-central-directory record)");
  let count = u16(data, eocd + 10);
  let offset = u32(data, eocd + 16);
  if (eocd >= 20 && u32(data, eocd - 20) === ZIP64_LOCATOR_SIGNATURE) {
    const zip64Eocd = u32(data, eocd - 12);
    if (u32(data, zip64Eocd) === ZIP64_EOCD_SIGNATURE) {
      count = u32(data, zip64Eocd + 32);
      offset = u32(data, zip64Eocd + 48);
    }
  }
  // Refuse an entry-count bomb from the end record alone, before walking anything.
  if (count > maxEntries) throw new ZipLimitError("too_many_entries", `ZIP archive has more than ${maxEntries} entries`);
  const records: CentralRecord[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > data.length || u32(data, offset) !== CENTRAL_HEADER_SIGNATURE) {
      throw new ZipLimitError("corrupt", "ZIP central directory is damaged");
    }
    const host = u16(data, offset + 4) >>> 8;
    const unixType = UNIX_HOSTS.has(host) ? (u32(data, offset + 38) >>> 16) & S_IFMT : 0;
    records.push({ crc32: u32(data, offset + 16), encrypted: (u16(data, offset + 8) & 1) === 1, unixType });
    offset += 46 + u16(data, offset + 28) + u16(data, offset + 30) + u16(data, offset + 32);
  }
  return records;
}

/**
 * Extracts an untrusted ZIP archive into memory, refusing it when it breaks a limit or holds an unsafe
 * entry name (open-agent-format.md §11 steps 1–2; STYLE.md convention 11).
 *
 * - `bytes`: the whole archive. Its compressed size is not checked here (see `MAX_AGENT_BUNDLE_BYTES`).
 * - `limits`: overrides for `MAX_ZIP_ENTRIES`, `MAX_ZIP_UNCOMPRESSED_BYTES`, `MAX_ZIP_ENTRY_BYTES`.
 * - Returns normalised path → bytes (stored bytes unchanged, no line-ending conversion), file entries
 *   only: directory entries, `__MACOSX/…` and `.DS_Store` are skipped. Iteration follows archive order.
 *
 * Throws `ZipLimitError`:
 * - `too_many_entries` when the central directory holds more than `maxEntries` records;
 * - `too_large` when one entry, or the sum of the extracted entries, exceeds its byte limit — judged on
 *   declared sizes before inflating and on actual sizes after;
 * - `unsafe_path` for an absolute, drive-letter, `..` or NUL-containing name, or two entries that
 *   normalise to the same path;
 * - `unsafe_type` for an entry whose Unix mode is a symbolic link, socket, device or FIFO;
 * - `corrupt` for anything that is not a readable ZIP: no end record, damaged central directory, an
 *   unsupported compression method or encryption, inflate errors, size or CRC-32 mismatches.
 */
export function unzipSafely(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): Map<string, Uint8Array> {
  const maxEntries = limits.maxEntries ?? MAX_ZIP_ENTRIES;
  const maxTotalBytes = limits.maxTotalBytes ?? MAX_ZIP_UNCOMPRESSED_BYTES;
  const maxEntryBytes = limits.maxEntryBytes ?? MAX_ZIP_ENTRY_BYTES;

  const records = readCentralDirectory(bytes, maxEntries);
  /** Raw name → what we expect of it after inflating. */
  const accepted = new Map<string, { path: string; declaredBytes: number; crc32: number }>();
  const seenPaths = new Set<string>();
  let entryCount = 0;
  let declaredTotalBytes = 0;

  // Runs once per central-directory record, before that entry is inflated (or its buffer allocated).
  const filter = (file: UnzipFileInfo): boolean => {
    const index = entryCount++;
    if (entryCount > maxEntries) {
      throw new ZipLimitError("too_many_entries", `ZIP archive has more than ${maxEntries} entries`);
    }
    const record = records[index];
    if (!record) throw new ZipLimitError("corrupt", "ZIP central directory is damaged");
    const path = normaliseEntryName(file.name);
    // Checked on every entry, skipped ones included: a link is refused, never silently dropped.
    if (record.unixType !== 0 && record.unixType !== S_IFREG && record.unixType !== S_IFDIR) {
      const what = UNIX_TYPE_NAMES[record.unixType] ?? "not a regular file";
      throw new ZipLimitError("unsafe_type", `ZIP entry "${path}" is ${what}; only regular files and directories are accepted`, path);
    }
    if (path.endsWith("/") || isJunk(path)) return false;
    // fflate collects entries in a plain object keyed by raw name; this key would replace its prototype.
    if (file.name === "__proto__") throw new ZipLimitError("unsafe_path", 'ZIP entry "__proto__" is not allowed', file.name);
    if (record.encrypted) throw new ZipLimitError("corrupt", `ZIP entry "${path}" is encrypted`, path);
    if (file.compression !== 0 && file.compression !== 8) {
      throw new ZipLimitError("corrupt", `ZIP entry "${path}" uses unsupported compression method ${file.compression}`, path);
    }
    if (!Number.isSafeInteger(file.originalSize) || !Number.isSafeInteger(file.size) || file.originalSize < 0 || file.size < 0) {
      throw new ZipLimitError("corrupt", `ZIP entry "${path}" has invalid sizes`, path);
    }
    // A stored entry's output is its compressed bytes, whatever its header declares.
    const declaredBytes = file.compression === 0 ? Math.max(file.size, file.originalSize) : file.originalSize;
    if (declaredBytes > maxEntryBytes) {
      throw new ZipLimitError("too_large", `ZIP entry "${path}" declares more than ${maxEntryBytes} bytes uncompressed`, path);
    }
    declaredTotalBytes += declaredBytes;
    if (declaredTotalBytes > maxTotalBytes) {
      throw new ZipLimitError("too_large", `ZIP archive declares more than ${maxTotalBytes} bytes uncompressed`, path);
    }
    if (seenPaths.has(path)) {
      throw new ZipLimitError("unsafe_path", `ZIP archive holds "${path}" more than once`, path);
    }
    seenPaths.add(path);
    accepted.set(file.name, { path, declaredBytes: file.originalSize, crc32: record.crc32 });
    return true;
  };

  let raw: Record<string, Uint8Array>;
  try {
    raw = unzipSync(bytes, { filter });
  } catch (error) {
    if (error instanceof ZipLimitError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ZipLimitError("corrupt", `ZIP archive could not be read: ${reason}`, undefined, { cause: error });
  }

  const out = new Map<string, Uint8Array>();
  let actualTotalBytes = 0;
  for (const [rawName, expected] of accepted) {
    const data = Object.hasOwn(raw, rawName) ? raw[rawName] : undefined;
    if (!data) throw new ZipLimitError("corrupt", `ZIP entry "${expected.path}" could not be read`, expected.path);
    // Declared sizes can lie; these checks are on what was actually produced.
    if (data.length > maxEntryBytes) {
      throw new ZipLimitError("too_large", `ZIP entry "${expected.path}" inflates to more than ${maxEntryBytes} bytes`, expected.path);
    }
    actualTotalBytes += data.length;
    if (actualTotalBytes > maxTotalBytes) {
      throw new ZipLimitError("too_large", `ZIP archive inflates to more than ${maxTotalBytes} bytes`, expected.path);
    }
    if (data.length !== expected.declaredBytes || crc32(data) !== expected.crc32) {
      throw new ZipLimitError("corrupt", `ZIP entry "${expected.path}" is damaged (size or checksum mismatch)`, expected.path);
    }
    out.set(expected.path, data);
  }
  return out;
}

/**
 * Builds a ZIP archive (deflate, fflate's default level) from path → content. Strings are encoded as
 * UTF-8; bytes are stored unchanged. Paths are used as given (use `/` separators, no leading `/`).
 * Used by agents.export / skills.download and by tests to build packages.
 */
export function zipFiles(files: Record<string, Uint8Array | string>): Uint8Array {
  const encoder = new TextEncoder();
  const zippable: Zippable = Object.create(null) as Zippable;
  for (const [path, content] of Object.entries(files)) {
    zippable[path] = typeof content === "string" ? encoder.encode(content) : content;
  }
  return zipSync(zippable);
}
