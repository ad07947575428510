import type { LookupContext, LookupResult } from './lookup-context.ts';
import { answered } from './lookup-context.ts';
import { MessageBuilder, textMessage } from './bot-message.ts';
import { findClosestMatches } from '../text/closest-match.ts';
import { escapeSlackText, inlineCode } from '../text/slack-escape.ts';
import { listFlows } from './list-flows.ts';

/** `profiles`: lists the configured Metaflow profiles, the one the thread reads, and which it may use. */
export async function listProfiles(context: LookupContext): Promise<LookupResult> {
  const profiles = context.profiles;
  if (!profiles) {
    return answered(textMessage(`This bot reads one datastore, ${escapeSlackText(context.reader.description)}, and has no Metaflow profiles to choose from.`));
  }

  const lines = profiles.list().map((source) => {
    const marks = [
      source.name === profiles.defaultProfile ? 'default' : null,
      source.name === context.profile ? 'this thread' : null,
    ].filter((mark) => mark !== null);
    const label = `${inlineCode(source.name)}${marks.length > 0 ? ` (${marks.join(', ')})` : ''}`;
    if (!source.reader) {
      return `• ${label}: cannot be used: ${escapeSlackText(source.problem)}`;
    }
    const access = context.audience ? profiles.checkAccess(source.name, context.audience) : { allowed: true };
    const where = access.allowed ? escapeSlackText(source.reader.description) : 'not available in this conversation';
    return `• ${label}: ${where}`;
  });

  return answered(
    new MessageBuilder()
      .section(`*Metaflow profiles*\n${lines.join('\n')}`)
      .context('`use profile &lt;name&gt;` switches this thread; `inspect flows from &lt;name&gt;` switches and lists its flows.')
      .build(),
  );
}

/** `use profile <name>` and `inspect flows from <name>`: switches the thread to another profile. */
export async function useProfile(context: LookupContext, profile: string, thenListFlows: boolean): Promise<LookupResult> {
  const profiles = context.profiles;
  const source = profiles?.find(profile);
  if (!profiles || !source) {
    const names = profiles?.list().map((entry) => entry.name) ?? [];
    const suggestions = findClosestMatches(profile, names);
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((name) => inlineCode(name)).join(' or ')}?` : '';
    return answered(textMessage(`There is no Metaflow profile ${inlineCode(profile)}.${hint} Say \`profiles\` to list them.`));
  }
  if (!source.reader) {
    return answered(textMessage(`The Metaflow profile ${inlineCode(profile)} cannot be used: ${escapeSlackText(source.problem)}`));
  }
  if (context.audience) {
    const access = profiles.checkAccess(profile, context.audience);
    if (!access.allowed) {
      context.logger.warn('profile access denied', { profile, channel: context.audience.channelId, user: context.audience.userId });
      return answered(textMessage(escapeSlackText(access.reason)));
    }
  }

  const switched = new MessageBuilder()
    .section(`This thread now reads the Metaflow profile ${inlineCode(profile)}: ${escapeSlackText(source.reader.description)}. No run is set.`)
    .build();
  if (!thenListFlows) {
    return { reply: switched, event: { type: 'lookup.profileSelected', profile } };
  }

  const flows = await listFlows({ ...context, reader: source.reader, profile, sourceLabel: profiles.sourceLabel(profile) });
  const reply = { ...flows.reply, blocks: [...switched.blocks, ...flows.reply.blocks], text: switched.text };
  return { reply, event: { type: 'lookup.profileSelected', profile } };
}
