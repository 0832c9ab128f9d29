export type AutoLock = 'immediately' | 1 | 5 | 15 | 30 | 60 | 240 | 'restart' | 'never';

export interface VaultStatus {
  hasPassphrase: boolean;
  locked: boolean;
  autoLock: AutoLock;
}
