import type { AnyStateMachine } from 'xstate';
import { renderMermaidDiagram } from './render-diagram.ts';
import { renderRuleTable } from './render-rule-table.ts';

/** The generated parts of `docs/state-machine.md`, each between its start and end markers. */
export function generatedDocSections(machine: AnyStateMachine): Record<string, string> {
  return {
    diagram: `\`\`\`mermaid\n${renderMermaidDiagram(machine)}\`\`\`\n`,
    rules: renderRuleTable(machine),
  };
}

/** Replaces each generated section of the document with what the code generates now. */
export function updateDocSections(document: string, sections: Record<string, string>): string {
  let result = document;
  for (const [name, content] of Object.entries(sections)) {
    const start = `<!-- generated:${name}:start -->`;
    const end = `<!-- generated:${name}:end -->`;
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from === -1 || to < from) {
      throw new Error(`The document has no ${start} … ${end} section.`);
    }
    result = `${result.slice(0, from + start.length)}\n${content}${result.slice(to)}`;
  }
  return result;
}
