#!/usr/bin/env node
import { printInternalError } from './internal-error.js';
import { processIo } from './output.js';
import { commandName, main } from './program.js';

const argv = process.argv.slice(2);
// Whatever escapes a command (an error thrown from a callback or timer, a rejection nobody awaited) is still
// one line with "please report", never a stack trace (unless CONCEPTLAB_DEBUG=1), and exit 70.
const lastResort = (err: unknown): void => {
  process.exitCode = printInternalError(processIo, argv.includes('--json'), commandName(argv), err);
  process.exit();
};
process.on('uncaughtException', lastResort);
process.on('unhandledRejection', lastResort);

main(argv).then((code) => {
  process.exitCode = code;
});
