import { Command, CommanderError } from 'commander';
import { registerAgreement } from './commands/agreement.js';
import { registerAnnotate } from './commands/annotate.js';
import { registerServe } from './commands/serve.js';
import { registerRsa } from './commands/rsa.js';
import { registerInterpret } from './commands/interpret.js';
import { registerNiftiInfo } from './commands/nifti-info.js';
import { registerRoi } from './commands/roi.js';
import { registerRdm } from './commands/rdm.js';
import { registerSearchlight } from './commands/searchlight.js';
import { registerEncode } from './commands/encode.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerFit } from './commands/fit.js';
import { registerMerge } from './commands/merge.js';
import { registerSimilarity } from './commands/similarity.js';
import { registerNoiseCeiling } from './commands/noise-ceiling.js';
import { registerSample } from './commands/sample.js';
import { registerSimulate } from './commands/simulate.js';
import { registerSelect } from './commands/select.js';
import { registerRun } from './commands/run.js';
import { registerDemo } from './commands/demo.js';
import { registerReproduce } from './commands/reproduce.js';
import { registerR48 } from './commands/r48.js';
import { registerSampleR48 } from './commands/sample-r48.js';
import { registerDimsNeeded } from './commands/dims-needed.js';
import { registerConsistency } from './commands/consistency.js';
import { registerCorrespondence } from './commands/correspondence.js';
import { isConceptlabError } from '@conceptlab/core';
import { printInternalError } from './internal-error.js';
import { printError, processIo, type Io } from './output.js';

export const VERSION = '0.1.0';

/** The `conceptlab` program, writing to `io`. */
export function buildProgram(io: Io = processIo): Command {
  // A usage error is one line: commander's message with the pointer to --help on the same line.
  const output = {
    writeOut: (s: string) => io.stdout(s),
    writeErr: (s: string) => io.stderr(s),
    outputError: (s: string, write: (s: string) => void) => write(`${s.replace(/\s*\n\s*/g, ' ').trim()} (run with --help for usage)\n`),
  };
  const program = new Command('conceptlab')
    .description('Measure how (multimodal) language models represent everyday objects, and how close that is to humans and the brain.')
    .version(VERSION)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput(output)
    .addHelpText('after', HELP_EPILOGUE);
  registerSample(program, io);
  registerSimulate(program, io);
  registerSelect(program, io);
  registerAgreement(program, io);
  registerNoiseCeiling(program, io);
  registerAnnotate(program, io);
  registerServe(program, io);
  registerFit(program, io);
  registerMerge(program, io);
  registerEvaluate(program, io);
  registerSimilarity(program, io);
  registerSampleR48(program, io);
  registerR48(program, io);
  registerDimsNeeded(program, io);
  registerConsistency(program, io);
  registerCorrespondence(program, io);
  registerRsa(program, io);
  registerInterpret(program, io);
  registerNiftiInfo(program, io);
  registerRoi(program, io);
  registerRdm(program, io);
  registerSearchlight(program, io);
  registerEncode(program, io);
  registerRun(program, io);
  registerDemo(program, io);
  registerReproduce(program, io);
  for (const c of program.commands) c.exitOverride().configureOutput(output);
  return program;
}

const HELP_EPILOGUE = `
Exit codes: 0 ok, 1 bad input (one line naming the file, option or value), 2 usage error, 70 internal error
(a bug: one line with "please report this"). Set CONCEPTLAB_DEBUG=1 to also print the stack of an internal error.`;

/** The first registered command named in `argv` (for messages), or undefined. */
export function commandName(argv: readonly string[]): string | undefined {
  const names = new Set(buildProgram({ stdout: () => undefined, stderr: () => undefined, stderrIsTty: false }).commands.map((c) => c.name()));
  return argv.find((a) => names.has(a));
}

/** Run the CLI; resolves to the exit code (0 ok, 1 bad input, 2 usage error, 70 internal error). */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit with 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (!isConceptlabError(err)) return printInternalError(io, json, commandName(argv), err);
    return printError(io, json, err);
  }
}
