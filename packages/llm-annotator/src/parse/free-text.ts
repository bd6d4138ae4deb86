/**
 * Free text. The reply is normalised (Unicode NFKC, curly quotes straightened, markdown `*`, `_`,
 * `` ` ``, `#`, `>` markers dropped) and every mention of an object is located:
 * - names: the full object text; the definition; the word (whole word, case-insensitive, plural `s`/`es`
 *   allowed), optionally followed by a parenthetical that quotes (a prefix of) its definition. A word
 *   shared by two objects (homonyms, e.g. bat/bat) is ambiguous: only a definition-bearing mention
 *   (the full text, the definition, or `word (definition…)`) decides between them;
 * - text mode: letter labels (`(B)`, `Answer: B`, `option C`, a line starting `C.`, a bare `B`/`C`)
 *   and ordinals (`the first`, `second one`, `third object`, `option 2`, `the last one`);
 * - vision mode: positions (`left`, `middle`/`center`/`centre`, `right`, `first/second/third image`,
 *   `image 1/2/3`).
 * The reply is cut into sentences and lines (never inside a mention), and the answer is read from the
 * first *answer statement* that names an object: `the odd one out [in the triplet] is X`, `Answer: X`,
 * `X is the odd one out`, `X does not belong`, `X is the least similar` … The object that is the
 * complement (or subject) of the statement decides — `X is the odd one out because unlike Y and Z …`
 * is X — together with labels attached to it (`C. The lion …`, `the lion (C)`); if they disagree, or
 * two objects are coordinated (`X or Y is …`), or a clause names several objects with no clear head,
 * the reply is unparsed. In vision mode the answer (item 1) and the location (item 2, or a sentence
 * with `location`/`located`) must agree. A reply without answer statement is read only when its first
 * sentence naming an object consists of nothing but that object (e.g. `**Cup.**`, `C`, `Right.`).
 */
import { VISION_POSITION_LABELS, type AnnotationMode } from '@conceptlab/llm-client';
import type { Mention } from './mentions.js';
import { normalizeReplyText } from './normalize.js';
import type { Prepared } from './prepare.js';
import { Reader } from './reader.js';
import { parsed, unparsed, type ChoiceVia, type ParsedChoice } from './verdict.js';

function via(ms: readonly Mention[], mode: AnnotationMode): ChoiceVia {
  const kinds = new Set(ms.map((m) => m.kind));
  if (mode === 'vision') return kinds.has('position') ? 'position' : 'name';
  return kinds.has('name') ? 'name' : kinds.has('letter') ? 'letter' : 'position';
}

export function parseFreeText(content: string, p: Prepared): ParsedChoice {
  const r = new Reader(normalizeReplyText(content), p);
  const answer = r.answerStatement();
  if (answer.kind === 'fail') return unparsed(answer.reason);
  if (p.mode === 'vision') {
    const loc = r.locationStatement();
    if (loc.kind === 'fail') return unparsed(loc.reason);
    if (answer.kind === 'ok' && loc.kind === 'ok') {
      const common = answer.pos.filter((i) => loc.pos.includes(i));
      if (common.length !== 1) {
        const names = [...new Set([...answer.pos, ...loc.pos])].map((i) => VISION_POSITION_LABELS[i]);
        return unparsed(`conflicting positions: answer and location disagree (${names.join(', ')})`);
      }
      return parsed(common[0], 'position');
    }
    if (loc.kind === 'ok') return parsed(loc.pos[0], 'position');
  }
  const found = answer.kind === 'ok' ? answer : r.bareAnswer();
  if (found.kind === 'fail') return unparsed(found.reason);
  if (found.kind === 'ok') return parsed(found.pos[0], via(found.mentions, p.mode));
  return unparsed('no answer found: no statement of the odd one out names one of the three');
}
