/**
 * OS::Heat::MultipartMime — assembles configs into one multipart MIME message (Heat's `multi_part.py`, built on
 * Python's `email.mime`): each part is inline text or the config of another software config (by id); a part of
 * type `multipart` is itself a multipart message whose parts are appended.
 */
import { randomInt } from 'node:crypto';
import type { ResourcePlugin } from '../../engine/plugin.js';
import type { SoftwareDeployer } from '../../engine/software/deployer.js';
import { physicalNameOf } from '../support/common.js';
import { GROUP_PROPERTY } from './config-schemas.js';
import { configResource } from './software-config.js';

/** One part of the message. */
export interface MimePart {
  readonly text: string;
  readonly subtype: string;
  readonly filename: string;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Python's MIMEText headers and body for one part (7bit us-ascii, else base64 utf-8). */
function renderPart(part: MimePart): string {
  const ascii = [...part.text].every((c) => c.charCodeAt(0) < 0x80);
  const lines = [
    `Content-Type: text/${part.subtype || 'plain'}; charset="${ascii ? 'us-ascii' : 'utf-8'}"`,
    'MIME-Version: 1.0',
    `Content-Transfer-Encoding: ${ascii ? '7bit' : 'base64'}`,
  ];
  if (part.filename) lines.push(`Content-Disposition: attachment; filename="${part.filename}"`);
  const body = ascii
    ? part.text
    : (
        Buffer.from(part.text, 'utf8')
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\n');
  return `${lines.join('\n')}\n\n${body}`;
}

/** The message over `parts`, as Python's `MIMEMultipart(_subparts=…).as_string()` lays it out. */
export function multipartMessage(parts: readonly MimePart[], boundary = defaultBoundary()): string {
  const head = `Content-Type: multipart/mixed; boundary="${boundary}"\nMIME-Version: 1.0\n`;
  const body = parts.map((p) => `\n--${boundary}\n${renderPart(p)}`).join('');
  return `${head}${body}\n--${boundary}--\n`;
}

/** Python's boundary shape: `===============<19 digits>==`. */
function defaultBoundary(): string {
  let digits = '';
  for (let i = 0; i < 19; i++) digits += String(randomInt(10));
  return `===============${digits}==`;
}

/** The parts of a multipart message (text parts only, as Heat appends them); none when it is not one. */
export function splitMultipart(message: string): MimePart[] {
  const m = /boundary="([^"]+)"/.exec(message);
  if (!m) return [];
  const sections = message.split(`--${m[1]}`).slice(1, -1);
  return sections.flatMap((section) => {
    const s = section.replace(/^\n/, '');
    const at = s.indexOf('\n\n');
    if (at < 0) return [];
    const headers = s.slice(0, at);
    let text = s.slice(at + 2).replace(/\n$/, '');
    if (/Content-Transfer-Encoding: base64/i.test(headers))
      text = Buffer.from(text, 'base64').toString('utf8');
    const subtype = /Content-Type: text\/([^;\s]+)/i.exec(headers)?.[1] ?? 'plain';
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1] ?? '';
    return [{ text, subtype, filename }];
  });
}

/** The part a `filename` implies when no subtype is given: the file name without its extension (as Heat). */
function subtypeOf(subtype: unknown, filename: string): string {
  if (typeof subtype === 'string' && subtype) return subtype;
  if (!filename) return '';
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(0, dot) : filename;
}

/** The OS::Heat::MultipartMime plugin. */
export function multipartMimeResource(deployer: SoftwareDeployer): ResourcePlugin {
  return configResource(deployer, {
    type: 'OS::Heat::MultipartMime',
    description: 'Assembles a collection of software configurations as a multi-part mime.',
    supportStatus: { status: 'SUPPORTED', version: '2014.1' },
    properties: {
      group: GROUP_PROPERTY,
      parts: {
        type: 'list',
        description: 'Parts belonging to this message.',
        default: [],
        items: {
          type: 'map',
          schema: {
            config: {
              type: 'string',
              description:
                'Content of part to attach, either inline or by referencing the ID of another software config resource.',
              required: true,
            },
            filename: { type: 'string', description: 'Optional filename to associate with part.' },
            type: {
              type: 'string',
              description: 'Whether the part content is text or multipart.',
              default: 'text',
              constraints: [{ kind: 'allowed_values', values: ['text', 'multipart'] }],
            },
            subtype: { type: 'string', description: 'Optional subtype to specify with the type.' },
          },
        },
      },
    },
    attribute: 'config',
    attributeDescription: 'The config value of the software config.',
    async build(properties, ctx) {
      const parts: MimePart[] = [];
      const items = Array.isArray(properties['parts'])
        ? (properties['parts'] as Record<string, unknown>[])
        : [];
      for (const item of items) {
        let text = String(item['config'] ?? '');
        if (UUID.test(text)) {
          const c = await deployer.service
            .showConfig(deployer.caller(ctx.stack.projectId), text)
            .catch(() => undefined);
          if (c) text = typeof c.config === 'string' ? c.config : JSON.stringify(c.config);
        }
        if (item['type'] === 'multipart') {
          parts.push(
            ...splitMultipart(text).map((p) => ({ ...p, subtype: subtypeOf(p.subtype, p.filename) })),
          );
        } else {
          const filename = typeof item['filename'] === 'string' ? item['filename'] : '';
          parts.push({ text, filename, subtype: subtypeOf(item['subtype'], filename) });
        }
      }
      return { name: physicalNameOf(ctx), group: properties['group'], config: multipartMessage(parts) };
    },
    attributeValue: (c) => c.config,
  });
}
