/**
 * Takes a command's own flags out of `argv`, leaving the configuration flags for the config
 * loader. `booleans` take no value; `valued` take the next argument (or `--flag=value`).
 */
export function splitFlags(
  argv: readonly string[],
  booleans: readonly string[],
  valued: readonly string[],
): { own: Record<string, string | true>; rest: string[]; positionals: string[] } {
  const own: Record<string, string | true> = {};
  const rest: string[] = [];
  const positionals: string[] = [];

  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    const [name = '', inlineValue] = argument.startsWith('--') ? argument.slice(2).split(/=(.*)/s, 2) : [''];
    if (booleans.includes(name)) {
      own[name] = true;
    } else if (valued.includes(name)) {
      const value = inlineValue ?? argv[++index];
      if (value === undefined) {
        throw new Error(`--${name} needs a value.`);
      }
      own[name] = value;
    } else if (argument.startsWith('--')) {
      rest.push(argument);
      if (inlineValue === undefined && argv[index + 1] !== undefined && !argv[index + 1]?.startsWith('--')) {
        rest.push(argv[++index] ?? '');
      }
    } else {
      positionals.push(argument);
    }
  }
  return { own, rest, positionals };
}
