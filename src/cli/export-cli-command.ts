/** `metaflowbot export`: a flow's runs as CSV or JSON, for scripts and cron jobs. */
export async function runExportCliCommand(_argv: readonly string[]): Promise<number> {
  // TODO: wired to src/export once the export module lands.
  process.stderr.write('Export from the command line is not available in this version yet.\n');
  return 1;
}
