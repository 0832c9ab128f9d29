/** The part of pako 1.0 (jszip's inflater, used directly by the checker) that check-bundle.ts calls; CommonJS: a default export. */
declare module 'pako' {
  class Inflate {
    constructor(options?: { raw?: boolean; chunkSize?: number });
    push(data: Uint8Array, mode?: boolean): boolean;
    onData(chunk: Uint8Array): void;
    onEnd(status: number): void;
    err: number;
    ended: boolean;
  }
  const pako: { Inflate: typeof Inflate };
  export default pako;
}
