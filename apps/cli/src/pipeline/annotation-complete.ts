import { InvalidArgumentError } from '@conceptlab/core';
import type { AnnotateSummary } from '@conceptlab/llm-annotator';

/**
 * Throw unless an annotate() call left every row of its journal answered: an interrupted call says how to continue,
 * failed or pending rows say how to retry them. `what` names the part of the run (e.g. "round 2"); none for the run's
 * one design.
 */
export function checkAnswered(summary: AnnotateSummary, what?: string): void {
  if (summary.aborted) throw new InvalidArgumentError('run', `to finish annotating${what ? ` ${what}` : ''}; it was interrupted (run the same command again to continue)`, 'interrupted');
  if (summary.failed > 0 || summary.pending > 0) {
    throw new InvalidArgumentError(
      what ? `annotate (${what})` : 'annotate',
      `every question answered; ${summary.failed} failed and ${summary.pending} are pending (run again to retry them; see \`conceptlab annotate summary --journal ${summary.journalFile}\`)`,
      `${summary.answered} answered`,
    );
  }
}
