import type { HelpTopic, RunCommand } from '../machines/thread-events.ts';

/** The runspec forms, shared by the inspect help and the "how to inspect" reply. */
export const runspecForms = [
  ['`inspect &lt;Flow&gt;/&lt;run id&gt;`', 'one run by its pathspec'],
  ['`inspect &lt;Flow&gt;`', 'the newest runs of a flow, as a numbered list'],
  ["`inspect alice's &lt;Flow&gt;`", "alice's runs of a flow"],
  ['`inspect the latest run of &lt;Flow&gt;`', 'the newest run'],
  ["`inspect alice's latest run of &lt;Flow&gt;`", "alice's newest run"],
  ['`inspect the latest successful run of &lt;Flow&gt;`', 'the newest run that succeeded'],
  ['`… tagged &lt;tag&gt;`', 'after any form: only runs with that tag (repeatable)'],
] as const;

const commandLines = [
  ['`inspect &lt;runspec&gt;`', 'set the run this thread looks at (`how to inspect` for the forms)'],
  ['`status`', 'running, succeeded, failed or silent; for a failure, where and why'],
  ['`params`', "the run's parameters"],
  ['`data`', 'the artifacts of the run; `data &lt;name&gt;` shows one'],
  ['`logs`', 'the steps and tasks; `logs &lt;step&gt;` shows the end of a log, add `stderr` for stderr'],
  ['`flows`', 'every flow with its latest run'],
  ['`export csv` / `export json`', "the flow's runs as a file; `export csv run` for the run's tasks"],
  ['`profiles`', 'the Metaflow profiles (deployments) the bot reads; `use profile &lt;name&gt;` switches'],
  ['`forget`', 'unset the run'],
  ['`version`', "the bot's version"],
] as const;

const topicDetails: Record<Exclude<HelpTopic, 'general' | 'inspect'>, string> = {
  status:
    '`status` tells whether the run set in this thread is running, succeeded, failed, or has shown no activity for a while; ' +
    'how many steps are done, which tasks run or failed, and how long it took. For a failure it names the step and task, ' +
    'the exception, and the last lines of stderr.',
  params: "`params` (or `parameters`) lists the run's parameters with their values, as Python shows them.",
  data:
    '`data` lists the artifacts of the run (name, type, size). `data &lt;name&gt;` shows one value; ' +
    '`data &lt;step&gt;/&lt;name&gt;` and `data &lt;step&gt;/&lt;task id&gt;/&lt;name&gt;` pick the step and task.',
  logs:
    '`logs` lists the steps and their tasks. `logs &lt;step&gt;` shows the end of the step\'s stdout, `logs &lt;step&gt;/&lt;task id&gt;` ' +
    'picks a task of a foreach, and adding `stderr` shows stderr. Long logs come as a file.',
  flows: '`flows` lists every flow with its latest run and that run\'s status.',
  profiles:
    '`profiles` lists the Metaflow profiles the bot knows. `use profile &lt;name&gt;` switches this thread to one (and unsets its run); ' +
    '`inspect flows from &lt;name&gt;` switches and lists its flows. Some profiles may be kept to certain channels.',
  export:
    "`export csv` or `export json` sends the runs of the run's flow as a file; `export csv &lt;Flow&gt;` names the flow, " +
    "with the same filters as `inspect` (`alice's &lt;Flow&gt; tagged prod`). `export csv run` sends the set run's steps and tasks.",
};

/** Returns the help for a topic, in mrkdwn. `botName` is the name the team gave the bot. */
export function helpText(topic: HelpTopic, botName: string): string {
  if (topic === 'general') {
    const lines = commandLines.map(([command, meaning]) => `• ${command}: ${meaning}`);
    return `*${botName}* answers questions about Metaflow runs in this thread.\n${lines.join('\n')}\n` +
      'Say `help &lt;command&gt;` for more about one command.';
  }
  if (topic === 'inspect') {
    return inspectFormsText();
  }
  return topicDetails[topic];
}

/** Formats the runspec forms as a bulleted list. */
export function inspectFormsText(): string {
  const lines = runspecForms.map(([form, meaning]) => `• ${form}: ${meaning}`);
  return `*How to inspect a run*\n${lines.join('\n')}\nRuns are looked up across all namespaces.`;
}

/** Returns the sentence for a command that needs a run when none is set. */
export function needRunText(command: RunCommand): string {
  if (command === 'export') {
    return 'No run is set in this thread, so there is no flow to export yet. Name one, e.g. `export csv &lt;Flow&gt;`, ' +
      'or set a run first with `inspect &lt;Flow&gt;/&lt;run id&gt;`; `export csv run` needs a run set.';
  }
  return `No run is set in this thread, so there is no ${commandNoun[command]} to show yet. ` +
    'Set one first, e.g. `inspect the latest run of &lt;Flow&gt;` or `inspect &lt;Flow&gt;/&lt;run id&gt;`; ' +
    '`how to inspect` lists every form.';
}

const commandNoun: Record<RunCommand, string> = {
  status: 'status',
  params: 'parameter',
  data: 'artifact',
  logs: 'log',
  export: 'export',
};
