import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { packedFixtures, unpackedFixturesDir } from './support/fixture-paths.ts';

/**
 * Unpacks the packed fixture datastores once. A stamp file with the archive's SHA-256
 * makes later runs skip the work until the archive changes.
 */
export default function unpackFixtures(): void {
  mkdirSync(unpackedFixturesDir, { recursive: true });

  for (const fixture of packedFixtures) {
    const target = path.join(unpackedFixturesDir, fixture.name);
    const stampPath = path.join(unpackedFixturesDir, `${fixture.name}.sha256`);
    const digest = createHash('sha256').update(readFileSync(fixture.archive)).digest('hex');

    if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === digest && existsSync(target)) {
      continue;
    }

    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', fixture.archive, '-C', target]);
    writeFileSync(stampPath, digest);
  }
}
