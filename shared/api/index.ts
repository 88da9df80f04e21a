export * from './prom-api.ts';
export * from './format.ts';
export * from './params.ts';
