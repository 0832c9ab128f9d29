/** Where a capture was seen. */
export type CaptureSource = 'network' | 'dom' | 'file';
