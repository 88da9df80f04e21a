// Types of bin/node-flags.js (plain JS: the launcher runs before any TypeScript loader).
export declare const NODE_FLAGS: Readonly<Record<string, readonly string[]>>;
export declare function nodeFlagsFor(command: string | undefined): string[];
export declare function missingNodeFlags(command: string | undefined, execArgv?: readonly string[], nodeOptions?: string): string[];
