// Types of bin/node-flags.js (plain JS: the launcher runs before any TypeScript loader).
export declare const NODE_FLAGS: Readonly<Record<string, readonly string[]>>;
export declare function nodeFlagsFor(command: string | undefined): string[];
export declare function missingNodeFlags(
  command: string | undefined,
  execArgv?: readonly string[],
  nodeOptions?: string,
): string[];
export declare const NODE_ENV: Readonly<Record<string, Readonly<Record<string, string>>>>;
export declare function nodeEnvFor(command: string | undefined): Record<string, string>;
export declare function missingNodeEnv(
  command: string | undefined,
  env?: NodeJS.ProcessEnv,
): Record<string, string>;
