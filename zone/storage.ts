// Opens the zone's storage: the TSDB in the data directory, or (storage: memory, for tests)
// the in-memory reference store.
import { MemoryStorage } from '../shared/memstore.ts';
import type { Logger } from '../shared/log.ts';
import type { Storage } from '../shared/storage.ts';
import type { ZoneConfig } from './config.ts';

export async function openStorage(cfg: ZoneConfig, log: Logger): Promise<Storage> {
  if (cfg.storage === 'memory') return new MemoryStorage();
  log.warn('the TSDB is not wired yet; using in-memory storage');
  return new MemoryStorage();
}
