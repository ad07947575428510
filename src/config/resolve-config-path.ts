import os from 'node:os';
import path from 'node:path';

/**
 * Turns a configured path into an absolute one. A leading `~` means the home folder
 * (`HOME` in `env`, else the account's), as Metaflow's `os.path.expanduser` does;
 * other relative paths are relative to `baseDir`.
 */
export function resolveConfigPath(value: string, baseDir: string, env: NodeJS.ProcessEnv): string {
  if (value === '~' || value.startsWith('~/')) {
    const home = env['HOME'] || os.homedir();
    return path.join(home, value.slice(1));
  }
  return path.resolve(baseDir, value);
}
