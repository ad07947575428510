import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { stateMachineDocPath } from '../../src/cli/diagram-command.ts';
import { generatedDocSections, updateDocSections } from '../../src/machines/state-machine-doc.ts';
import { threadMachine } from '../../src/machines/thread-machine.ts';

describe('docs/state-machine.md', () => {
  it('matches the diagram and rules the machine generates', async () => {
    const document = await readFile(stateMachineDocPath, 'utf8');
    const regenerated = updateDocSections(document, generatedDocSections(threadMachine));
    // On failure, run `npm run diagram` (metaflowbot diagram --update-docs) and commit the result.
    expect(document).toBe(regenerated);
  });

  it('names every guard of the machine', async () => {
    const document = await readFile(stateMachineDocPath, 'utf8');
    for (const guard of Object.keys(threadMachine.implementations.guards)) {
      expect(document).toContain(`\`${guard}\``);
    }
  });
});
