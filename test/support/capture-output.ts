/**
 * Captures what the process writes to stdout and stderr (Powertools writes log lines and EMF metrics there)
 * and keeps the test output quiet.
 */
export interface CapturedOutput {
  /** Everything written so far, stdout and stderr interleaved. */
  text(): string;
  /** Written lines parsed as JSON (log records and EMF blobs); non-JSON lines are skipped. */
  records(): Record<string, unknown>[];
  restore(): void;
}

export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const record = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(record);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(record);
  return {
    text: () => chunks.join(''),
    records: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}
