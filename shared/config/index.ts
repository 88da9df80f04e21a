export * from './reader.ts';
export * from './duration.ts';
export * from './flags.ts';
export * from './files.ts';
export * from './query-limits.ts';
