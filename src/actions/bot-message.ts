import type { types as SlackTypes } from '@slack/bolt';

type KnownBlock = SlackTypes.KnownBlock;

/** Slack's limits that replies stay within (chat.postMessage and Block Kit). */
export const slackLimits = {
  blocksPerMessage: 50,
  sectionTextCharacters: 3_000,
  /** Slack cuts `text` after 40,000 characters; the fallback text is kept far shorter. */
  fallbackTextCharacters: 3_000,
} as const;

/** A file that goes with a reply: uploaded into the thread in Slack, written to disk in the terminal. */
export interface BotFile {
  filename: string;
  title: string;
  content: string;
  /** Slack's file type, e.g. `text`, `csv`, `json`. */
  filetype: string;
}

/**
 * A platform-neutral reply: the Slack layer posts `text` and `blocks` as they are, and the
 * terminal prints them. `text` is the notification and accessibility fallback.
 */
export interface BotMessage {
  text: string;
  blocks: KnownBlock[];
  file?: BotFile;
}

/** Builds a reply from mrkdwn sections, keeping each within Slack's limits. */
export class MessageBuilder {
  private readonly blocks: KnownBlock[] = [];
  private fallback = '';
  private attached: BotFile | undefined;

  /** Adds a mrkdwn section; text past Slack's section limit is cut with a note. */
  section(markdown: string): this {
    this.blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fitSection(markdown) } });
    if (this.fallback === '') {
      this.fallback = markdown;
    }
    return this;
  }

  /** Adds a small grey line of context (sources, hints). */
  context(markdown: string): this {
    this.blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: fitSection(markdown) }] });
    return this;
  }

  /** Sets the notification text when the first section is not a good summary. */
  summary(text: string): this {
    this.fallback = text;
    return this;
  }

  attach(file: BotFile): this {
    this.attached = file;
    return this;
  }

  build(): BotMessage {
    const blocks = this.blocks.slice(0, slackLimits.blocksPerMessage);
    if (this.blocks.length > slackLimits.blocksPerMessage) {
      const hidden = this.blocks.length - slackLimits.blocksPerMessage + 1;
      blocks[blocks.length - 1] = {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `_${hidden} more blocks were left out to stay within Slack's limit._` }],
      };
    }
    const message: BotMessage = { text: cutText(this.fallback, slackLimits.fallbackTextCharacters), blocks };
    if (this.attached) {
      message.file = this.attached;
    }
    return message;
  }
}

/** Shortcut for a reply of one section. */
export function textMessage(markdown: string): BotMessage {
  return new MessageBuilder().section(markdown).build();
}

function fitSection(markdown: string): string {
  const limit = slackLimits.sectionTextCharacters;
  if (markdown.length <= limit) {
    return markdown;
  }
  // Room for the closing fence and the note, which are far shorter than this.
  let cut = markdown.slice(0, limit - 120);
  const hidden = markdown.length - cut.length;
  // An odd number of fences means the cut left a code block open, so close it.
  if ((cut.match(/```/g)?.length ?? 0) % 2 === 1) {
    cut += '\n```';
  }
  return `${cut}\n_… ${hidden} more characters not shown._`;
}

function cutText(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
