export * from './convert.ts';
export * from './partial.ts';
export * from './metadata.ts';
export * from './group-values.ts';
