import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `$XDG_CACHE_HOME/paradox`, else `~/.cache/paradox` (PARADOX_CACHE_DIR overrides both). */
export function defaultCacheDir(): string {
  if (process.env.PARADOX_CACHE_DIR) return process.env.PARADOX_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'paradox');
}

/** What makes two compiled artefacts interchangeable; all of it goes into the cache key. */
export interface ArtefactKey {
  source: string;
  compiler: string;
  flags: readonly string[];
  cpu: string;
}

export function artefactKey(key: ArtefactKey): string {
  return sha256([key.source, key.compiler, key.flags.join(' '), key.cpu].join('\0'));
}

/**
 * A disk cache of compiled artefacts (shared objects) in one directory, mode 0700. Each entry
 * is `<key>.<ext>` plus `<key>.sha256`, the hash of the artefact's bytes. Writes go to a
 * temporary file renamed into place (atomic on one file system), the artefact before its hash,
 * so a reader never sees a half-written entry and concurrent writers of one key are harmless.
 * An entry is used only if its bytes hash to the recorded value.
 */
export class ArtefactCache {
  constructor(
    readonly dir: string = defaultCacheDir(),
    private readonly ext = 'so',
  ) {}

  /** Path of the artefact for `key`, or undefined when absent or corrupt (a corrupt entry is removed). */
  lookup(key: string): string | undefined {
    const path = this.path(key);
    let recorded: string;
    let bytes: Buffer;
    try {
      recorded = readFileSync(`${path}.sha256`, 'utf8').trim();
      bytes = readFileSync(path);
    } catch {
      return undefined;
    }
    if (sha256(bytes) !== recorded) {
      this.remove(key);
      return undefined;
    }
    return path;
  }

  /** Stores `bytes` under `key`; returns the artefact's cached path. */
  store(key: string, bytes: Uint8Array): string {
    this.ensureDir();
    const path = this.path(key);
    this.writeAtomic(path, bytes);
    this.writeAtomic(`${path}.sha256`, `${sha256(bytes)}\n`);
    return path;
  }

  /** Where `key`'s artefact lives (whether or not it exists). */
  path(key: string): string {
    if (!/^[0-9a-f]{16,128}$/.test(key)) throw new Error(`cache key must be hex (got ${key.slice(0, 20)})`);
    return join(this.dir, `${key}.${this.ext}`);
  }

  remove(key: string): void {
    const path = this.path(key);
    rmSync(path, { force: true });
    rmSync(`${path}.sha256`, { force: true });
  }

  /** Removes temporary files older than an hour (writers that were killed). */
  prune(now = Date.now()): void {
    try {
      for (const name of readdirSync(this.dir)) {
        if (!name.includes('.tmp-')) continue;
        const path = join(this.dir, name);
        if (now - statSync(path).mtimeMs > 3600_000) rmSync(path, { force: true });
      }
    } catch {
      // best effort: a missing directory has nothing to prune
    }
  }

  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    try {
      chmodSync(this.dir, 0o700); // mkdir's mode is masked by the umask
    } catch {
      // a directory owned by someone else keeps its mode; the hash check still guards every load
    }
  }

  private writeAtomic(path: string, data: string | Uint8Array): void {
    const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      writeFileSync(tmp, data, { mode: 0o600 });
      renameSync(tmp, path);
    } finally {
      rmSync(tmp, { force: true });
    }
  }
}
