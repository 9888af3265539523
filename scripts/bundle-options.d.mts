import type { BuildOptions } from 'esbuild';

export declare const nodeBundle: BuildOptions;
export declare const engineBundle: BuildOptions;
export declare const cliBundle: BuildOptions;
