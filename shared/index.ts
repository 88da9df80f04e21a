// The public surface of shared/ (subfolders such as promql/ and sketch/ export their own).
export * from './errors.ts';
export * from './labels.ts';
export * from './matchers.ts';
export * from './distribution.ts';
export * from './storage.ts';
export * from './value.ts';
export * from './memstore.ts';
export * from './external-labels.ts';
export * from './topology.ts';
export { rootLogger, componentLogger, silentLogger, type Logger } from './log.ts';
