import { botSettings } from '../config/index.ts';
import { runExportCommand } from '../export/export-command.ts';
import { setUpBot } from './bot-setup.ts';

/** Flags that configure the bot (`--datastore-root DIR`, `--config FILE`, …), not the export. */
const configFlagNames = new Set(['config', ...botSettings.map((setting) => setting.flag)]);

/**
 * `metaflowbot export`: a flow's runs as CSV or JSON, for scripts and cron jobs. Configuration
 * flags choose the data, the rest describe the export.
 */
export async function runExportCliCommand(argv: readonly string[]): Promise<number> {
  const configArgv: string[] = [];
  const exportArgv: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    const name = argument.startsWith('--') ? argument.slice(2).split('=')[0] ?? '' : '';
    if (!configFlagNames.has(name)) {
      exportArgv.push(argument);
      continue;
    }
    configArgv.push(argument);
    if (!argument.includes('=') && index + 1 < argv.length) {
      configArgv.push(argv[++index] ?? '');
    }
  }

  const setup = await setUpBot({ argv: configArgv, env: process.env, cwd: process.cwd(), requireSlack: false, allowSample: true, quietByDefault: true });
  if (setup.notice) {
    process.stderr.write(`${setup.notice}\n`);
  }
  return runExportCommand(exportArgv, {
    reader: setup.reader,
    stdout: process.stdout,
    stderr: process.stderr,
    now: setup.lookupContext.now,
    staleAfterMs: setup.lookupContext.staleAfterMs,
    logger: setup.logger,
    botVersion: setup.lookupContext.botVersion,
    sourceLabel: setup.lookupContext.sourceLabel,
  });
}
