import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadMachine } from '../machines/thread-machine.ts';
import { renderMermaidDiagram } from '../machines/render-diagram.ts';
import { generatedDocSections, updateDocSections } from '../machines/state-machine-doc.ts';

/** The document that holds the generated diagram and rule table. */
export const stateMachineDocPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/state-machine.md');

/**
 * `metaflowbot diagram` prints the thread machine as a Mermaid state diagram;
 * `--update-docs` rewrites the generated sections of `docs/state-machine.md`.
 */
export async function runDiagramCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes('--update-docs')) {
    const document = await readFile(stateMachineDocPath, 'utf8');
    await writeFile(stateMachineDocPath, updateDocSections(document, generatedDocSections(threadMachine)));
    process.stdout.write(`Updated ${stateMachineDocPath}\n`);
    return 0;
  }
  process.stdout.write(renderMermaidDiagram(threadMachine));
  return 0;
}
