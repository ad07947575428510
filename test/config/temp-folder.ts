import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh folder under the system temp folder, with helpers to write files into it. */
export interface TempFolder {
  path: string;
  /** Writes a file (making its folders) and returns its absolute path. */
  write(relativePath: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

/** Makes a temp folder; call `remove` in `afterEach`. */
export async function makeTempFolder(): Promise<TempFolder> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'metaflowbot-config-'));
  return {
    path: folder,
    async write(relativePath, content) {
      const filePath = path.join(folder, relativePath);
      await mkdir(path.dirname(filePath), { recursive: true });
      await writeFile(filePath, content);
      return filePath;
    },
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}
