import type { Body } from '../../src/domain/blocks.ts';
import type { Contributor, Label } from '../../src/domain/post.ts';

/**
 * A realistic post: a headline carrying a marker the readers look for, a byline, three
 * paragraphs with a bold run and links, and a short list. Rendered, it is about 2 KB of HTML.
 */

/** The marker readers find in an event: `[m:000042]`, fixed width so it can be replaced. */
export function marker(n: number): string {
  return `[m:${String(n).padStart(6, '0')}]`;
}

const text = (value: string) => ({ type: 'text' as const, text: value });

export interface PostInput {
  headline: string;
  labels: Label[];
  contributors: Contributor[];
  body: Body;
}

export function postInput(n: number): PostInput {
  return {
    headline: `Talks resume in Geneva as delegations return ${marker(n)}`,
    labels: n % 5 === 0 ? ['breaking'] : [],
    contributors: [{ name: 'Alex Morgan', role: 'Diplomatic correspondent, in Geneva' }],
    body: [
      {
        type: 'paragraph',
        content: [
          text('Delegations from both sides have returned to the conference hall after a '),
          { type: 'text', text: 'two-hour break', bold: true },
          text(
            ', according to officials briefing reporters outside the building. The session is expected to run late into the evening, with a joint statement possible before midnight.',
          ),
        ],
      },
      {
        type: 'paragraph',
        content: [
          text(
            'Earlier, the mediators said the gap on the ceasefire line had narrowed but not closed. "We are not there yet, but we are closer than we were this morning," one of them said. The full statement is on the ',
          ),
          {
            type: 'link',
            text: 'mediators\u2019 website',
            href: 'https://example.org/statements/geneva',
            external: true,
          },
          text('.'),
        ],
      },
      {
        type: 'list',
        items: [
          [text('Prisoner exchanges: agreed in principle, numbers still open')],
          [text('Monitoring: a joint commission of observers from neutral states')],
          [text('Energy infrastructure: a moratorium on strikes for thirty days')],
        ],
      },
      {
        type: 'paragraph',
        content: [
          text(
            'Our correspondent says the mood among the delegations is cautious. Neither side wants to be seen walking away first, and both have told their domestic audiences that the talks are worth pursuing. We will bring you the statement as soon as it is published.',
          ),
        ],
      },
    ],
  };
}
