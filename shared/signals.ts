// Waiting for the operator's stop signal: resolves on the first SIGINT or SIGTERM, then
// removes both listeners (a second signal falls back to Node's default: exit).
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
