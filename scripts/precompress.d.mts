export declare function precompressDir(dir: string): { files: number; bytes: number; br: number; gz: number };
