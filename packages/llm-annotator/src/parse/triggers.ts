/**
 * The grammar of answer statements: the phrases that introduce an answer (`the odd one out is X`,
 * `Answer: X`, `X is the odd one out`, `making X the odd one out`, vision items and locations) and what may
 * stand between a phrase and its object.
 */
import { MASK } from './mentions.js';
import { afterBoundary } from './scan.js';

const ODD = String.raw`(?:odd[\s-]*(?:one|man|object|item|image|picture)[\s-]*out|odd[\s-]*(?:one|object|item|image|picture)|outlier|least\s+similar(?:\s+(?:one|object|item|image|picture))?|most\s+(?:different|dissimilar)(?:\s+(?:one|object|item|image|picture))?|(?:one|object|item|image|picture)\s+that\s+(?:(?:does\s*n[o']?t|did\s*n[o']?t)\s+(?:belong|fit)(?:\s+in)?|stands\s+out))`;
const COPULA = String.raw`(?:is|was|would\s+be|will\s+be|should\s+be|must\s+be|could\s+be|has\s+to\s+be|seems\s+to\s+be|appears\s+to\s+be|would\s+have\s+to\s+be)`;

/** `the odd one out [in the triplet …] is X`, `Answer: X`: the answer follows (complement). */
export const COMPLEMENT_TRIGGER = afterBoundary(
  'L',
  String.raw`(?:(?:the|my|final|an?)\s+)?(?:${ODD}|(?:final\s+)?answer)(?![\p{L}])` +
    String.raw`(?:\s*,?\s*(?:in|among|amongst|of|from|within|for|to|out\s+of|between|here)(?![\p{L}])[^.!?\n;]{0,600}?)?` +
    String.raw`(?:\s*,?\s*(?:${COPULA}(?![\p{L}])\s*:?|[:=])|\s+[-–—]\s)`,
);

/**
 * `X is the odd one out`, `X does not belong`, `X stands out`: the answer precedes (subject).
 * (Each alternative follows a non-letter: `(?<![\p{L}])A|(?<![\p{L}])B|…` is `(?<![\p{L}])(?:A|B|…)`.)
 */
export const SUBJECT_TRIGGER = afterBoundary(
  'L',
  String.raw`(?:(?:${COPULA}|can\s+be|may\s+be|might\s+be|is\s+considered|stands\s+out\s+as|seems|appears)` +
    String.raw`(?:\s+(?:clearly|definitely|probably|likely|certainly|undoubtedly|obviously|considered|to\s+be|the\s+one|as))*` +
    String.raw`\s+(?:the\s+|an?\s+)?${ODD}(?![\p{L}])` +
    String.raw`|(?:does\s*n[o']?t|did\s*n[o']?t)\s+(?:really\s+)?(?:belong|fit)(?![\p{L}])` +
    String.raw`|stands\s+out(?![\p{L}]))`,
);

/** `…, making X the odd one out`: X is the answer (the trigger starts after X). */
export const SMALL_CLAUSE_TRIGGER = afterBoundary(
  'L',
  String.raw`(?:making|makes|make|leaving|leaves|leave|rendering|renders|render)\s+(?:the\s+|an?\s+)?['"]?${MASK}+['"]?(?=\s+(?:as\s+)?(?:the\s+|an?\s+)?${ODD}(?![\p{L}]))`,
);

/** Vision item 1 (`1. …`): the answer follows. */
export const ITEM1_TRIGGER = /^\s*1\s*[.):]\s*(?:(?:my\s+|the\s+)?answer\s*(?:is\s*)?[:\-–]?\s*)?/iu;
export const LOCATION_TRIGGER = /(?<![\p{L}])(?:location|located|position(?:ed)?|placed|situated)(?![\p{L}])/iu;
/** Vision item 2 (`2. …`): the location, when no location keyword says so. */
export const ITEM2_TRIGGER = /^\s*2\s*[.):]/u;

/** What may stand between a complement trigger and its object: `the object on the`, `option`, quotes… */
export const SKIP_COMPLEMENT = new RegExp(
  String.raw`^(?:[\s'"(\[:\-–,]|(?<![\p{L}])(?:the|a|an|object|item|option|choice|word|term|answer|letter|number|one|image|picture|photo|photograph|on|in|at|located|positioned|shown|placed|definitely|clearly|probably|likely|most|undoubtedly|obviously|certainly|actually|indeed|simply|just)(?![\p{L}]))*$`,
  'iu',
);
/** What may stand between a subject and `is the odd one out`: closing quotes and brackets. */
export const SKIP_SUBJECT = /^[\s'")\]]*,?\s*$/u;
/** Between two mentions of one referent: `C. The lion`, `lion (C)`, `the banana on the right`. */
export const LABEL_GAP = new RegExp(
  String.raw`^[\s()\[\]'".,:\-–]*(?:(?:the|a|an|option|object|item|choice|answer|letter|number|namely|i\.e\.|aka|which\s+is|that\s+is|on|in|at|of|to|side|image|picture|photo|one|is)[\s()\[\]'".,:\-–]+)*$`,
  'iu',
);
/** Between two coordinated mentions: `X or Y`, `X and Y`, `X/Y`. */
export const COORDINATION =
  /^\s*,?\s*(?:or|and|and\/or|nor|\/|&|vs\.?|versus|,)(?:\s*(?:either|the|a|an|one|object|item|option|image|picture|photo|on|in|at|to)(?![\p{L}]))*[\s'"(]*$/iu;
/** Ends a complement clause. */
export const COMPLEMENT_END =
  /(?<![\p{L}])(?:because|since|as|while|whereas|unlike|compared|rather\s+than|instead\s+of|not|but|although|though|due\s+to|given\s+that|which|who|where|with)(?![\p{L}])|[;—–]|\s-\s|:/giu;
/** A comma piece that may separate a subject from its verb: `being a fruit`, `in my opinion`, `which is a fruit`. */
export const APPOSITION =
  /^\s*(?!(?:which|what)\s+(?:one|object|item|image|of)(?![\p{L}]))(?:being|which|who|that|as|like|with|unlike|a|an|in|for|from|according|of|since|because|given|though|although|perhaps|probably|arguably|however|therefore|then|thus|clearly|obviously|i\s+think|i\s+believe|by|due)(?![\p{L}])/iu;
/** Starts a subject clause (searching backwards). */
export const SUBJECT_START = /(?<![\p{L}])(?:because|since|while|whereas|although|though|but|so|therefore|thus|hence)(?![\p{L}])|[;:—–]|\s-\s/giu;
