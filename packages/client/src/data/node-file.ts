/**
 * Files on disk for Node peers: send a path, receive to a path, streaming both ways.
 *
 * `node:fs` is loaded with a dynamic import through a variable, so browser bundles of the SDK never try to
 * resolve it and these two functions are simply never called there. The structural types below are the
 * few `fs` members used, so the SDK builds without Node's type definitions.
 */
import type { FileSink } from './file-sink.js';
import type { FileSource } from './file-source.js';
import { rechunk } from './file-source.js';

interface FileHandleLike {
  write(buffer: Uint8Array): Promise<unknown>;
  close(): Promise<void>;
}

interface NodeFsLike {
  createReadStream(path: string, options: { highWaterMark: number }): AsyncIterable<Uint8Array>;
  promises: {
    stat(path: string): Promise<{ size: number }>;
    open(path: string, flags: string): Promise<FileHandleLike>;
    rm(path: string, options: { force: boolean }): Promise<void>;
  };
}

async function loadFs(): Promise<NodeFsLike> {
  const specifier = 'node:fs';
  return (await import(/* @vite-ignore */ specifier)) as NodeFsLike;
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/**
 * A file on disk as a `FileSource` (Node only). It is read as it is sent, never whole.
 *
 * @example link.sendFile(await fileSourceFromPath('./video.mp4'))
 */
export async function fileSourceFromPath(
  path: string,
  options: { readonly name?: string; readonly mimeType?: string } = {},
): Promise<FileSource> {
  const fs = await loadFs();
  const { size } = await fs.promises.stat(path);
  return {
    name: options.name ?? baseName(path),
    size,
    mimeType: options.mimeType ?? 'application/octet-stream',
    chunks: (chunkBytes) => rechunk(fs.createReadStream(path, { highWaterMark: chunkBytes }), chunkBytes),
  };
}

/**
 * A `FileSink` that streams to `path` (Node only). The file is created or truncated on the first write;
 * an aborted transfer removes it.
 */
export function fileSinkToPath(path: string): FileSink {
  let handle: Promise<FileHandleLike> | undefined;
  const open = (): Promise<FileHandleLike> => (handle ??= loadFs().then((fs) => fs.promises.open(path, 'w')));
  return {
    async write(chunk) {
      await (await open()).write(chunk);
    },
    async close() {
      await (await open()).close();
    },
    async abort() {
      const fs = await loadFs();
      if (handle !== undefined) await (await handle).close().catch(() => undefined);
      await fs.promises.rm(path, { force: true });
    },
  };
}
