export * from './convert.ts';
export * from './partial.ts';
