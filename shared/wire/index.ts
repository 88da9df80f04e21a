export * from './convert.ts';
export * from './partial.ts';
export * from './metadata.ts';
export * from './group-values.ts';
export * from './chunk.ts';
export * from './hints.ts';
