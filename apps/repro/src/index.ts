/**
 * @conceptlab/repro — the paper's central analyses (Du et al. 2025) reproduced on real data, each number
 * next to its published or independently computed reference. Everything exported here is the public API.
 */
export { reproduce, type ReproOptions, type ReproResult } from './reproduce.js';
export { SCALES, type ReproScale } from './scale.js';
export { checkDataDir, REQUIRED_DATA_FILES } from './data-files.js';
export { checkClose, checkAtLeast, formatCheck, type Check } from './check.js';
export { humanNoiseCeiling, llmAgreement } from './steps/behaviour.js';
export { simulatedLlm, type SimulatedLlmResult } from './steps/simulated-llm.js';
export { brainRsa, RSA92_REFERENCE, RSA92_NOISE_CEILING_REFERENCE, type BrainResult, type BrainModelScore } from './steps/brain.js';
export { writeReproReport, formatChecks } from './report.js';
