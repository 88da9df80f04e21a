export * from './bus.ts';
export { connectNats, type NatsBusOptions } from './nats.ts';
export { MemoryBus } from './memory.ts';
