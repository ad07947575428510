import { formatConfig, loadBotConfig } from '../config/index.ts';

/** `metaflowbot config check` and `metaflowbot config show`. */
export async function runConfigCommand(argv: readonly string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'check' && action !== 'show') {
    process.stderr.write('Say `metaflowbot config check` or `metaflowbot config show`.\n');
    return 2;
  }
  const loaded = await loadBotConfig({ argv: rest, env: process.env, cwd: process.cwd(), requireSlack: action === 'check' });
  if (action === 'check') {
    process.stdout.write(`The configuration is valid${loaded.configFile ? ` (${loaded.configFile})` : ''}.\n`);
    return 0;
  }
  process.stdout.write(`${formatConfig(loaded.config, loaded.sources, { configFile: loaded.configFile })}\n`);
  return 0;
}
