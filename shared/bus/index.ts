export * from './bus.ts';
export { connectNats, natsConnectOptions, type NatsBusOptions } from './nats.ts';
export {
  NATS_AUTH_FLAGS,
  describeNatsAuth,
  parseNatsAuth,
  redactUrl,
  splitNatsUrl,
  type NatsAuth,
  type NatsTls,
} from './nats-auth.ts';
export { MemoryBus } from './memory.ts';
