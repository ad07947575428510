import { formatConfigFlagsHelp, isConfigError } from '../config/index.ts';
import { runChatCommand } from './chat-command.ts';
import { runConfigCommand } from './config-command.ts';
import { runDiagramCommand } from './diagram-command.ts';
import { runExportCliCommand } from './export-cli-command.ts';
import { runServeCommand } from './serve-command.ts';
import { botVersion } from './bot-setup.ts';

const usage = `Usage: metaflowbot <command> [options]

Commands:
  start            Run in Slack when Slack tokens are set, else in the terminal chat
  chat             Talk to the bot in the terminal (one thread)
                     --json             print each reply as the Slack message it would post
                     --output-dir DIR   where attached files are written (default: ./out)
  serve            Run the Slack app (Socket Mode, or HTTP with --slack-mode http)
                     --listen-host HOST  interface for HTTP mode and --health-port (default: 127.0.0.1)
                     --health-port PORT  serve GET /health on this port in Socket Mode
  export RUNSPEC   Export a flow's runs: --format csv|json, --out FILE (default: stdout)
  diagram          Print the thread machine as a Mermaid state diagram
                     --update-docs      rewrite the generated parts of docs/state-machine.md
  config check     Check the configuration as serve would start with it, list every problem, and exit
  config show      Print the effective configuration and Metaflow profile, secrets masked
  version          Print the version

Configuration options (every command):
${formatConfigFlagsHelp()}
`;

/** Runs the command line and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command = 'start', ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await runServeCommand(rest, { fallBackToChat: true });
      case 'serve':
        return await runServeCommand(rest, { fallBackToChat: false });
      case 'chat':
        return await runChatCommand(rest);
      case 'export':
        return await runExportCliCommand(rest);
      case 'diagram':
        return await runDiagramCommand(rest);
      case 'config':
        return await runConfigCommand(rest);
      case 'version':
      case '--version':
        process.stdout.write(`metaflowbot ${botVersion}\n`);
        return 0;
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(usage);
        return 0;
      default:
        process.stderr.write(`Unknown command "${command}".\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    if (isConfigError(error)) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`metaflowbot ${command} failed: ${message}\n`);
    return 1;
  }
}
