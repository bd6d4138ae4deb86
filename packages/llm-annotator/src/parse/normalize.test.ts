import { normalizeReplyText } from './index.js';

describe('normalizeReplyText', () => {
  it('normalizeReplyText straightens quotes and drops markdown markers', () => {
    expect(normalizeReplyText('**The** \u201codd\u201d __one__ `out` \u2018x\u2019')).toBe('The "odd" one \'out\' \'x\'');
  });
});
