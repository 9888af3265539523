export function writeCodeCacheLoader(bundleFile: string, loaderFile: string): void;
