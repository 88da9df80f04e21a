// Process-level V8 tuning shared by the components' mains (called once at start, never by code
// that runs inside another process's tests).
import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation at its initial 1 MB semi-spaces instead of letting it grow to
 * 16 MB (32 MB resident). V8 reads the growth factor at each resize, so setting it after start
 * works (`--max-semi-space-size` would only work on the command line).
 */
export function pinYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
