// Public surface of the zone's notifier (a built-in Alertmanager).
export { Notifier, type NotifierOptions } from './notifier.ts';
export { parseNotifierConfig, emptyNotifierConfig, type NotifierConfig } from './config.ts';
export { mountAlertmanagerApi } from './api-v2.ts';
export { fingerprint, type NotifierAlert } from './alert.ts';
export { Silences, type Silence } from './silences.ts';
export type { ForwardAlert } from './forwarder.ts';
