/** The ports `npm start` listens on, read from their variables (contract/local-mode.ts), and the message for one taken. */
import { LOCAL_PORTS, localPortVariable, type LocalPortName } from '../contract/local-mode';

export type LocalPorts = Record<LocalPortName, number>;

export class LocalPortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalPortError';
  }
}

/** Each port from its variable, or its default; a value that is not a port number throws a LocalPortError. */
export function readLocalPorts(env: Readonly<Record<string, string | undefined>>): LocalPorts {
  const entries = (Object.keys(LOCAL_PORTS) as LocalPortName[]).map((name): [LocalPortName, number] => {
    const { env: variable, defaultPort } = LOCAL_PORTS[name];
    const raw = env[variable];
    if (raw === undefined || raw === '') return [name, defaultPort];
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(Number.isInteger(value) && value >= 0 && value <= 65535)) {
      throw new LocalPortError(`${variable} must be a port number from 0 to 65535 (got ${JSON.stringify(raw)})`);
    }
    return [name, value];
  });
  return Object.fromEntries(entries) as LocalPorts;
}

/** For a listen error: which port is taken and the variable that moves it; undefined for any other error. */
export function portInUseMessage(error: unknown, ports: Readonly<Partial<LocalPorts>>): string | undefined {
  const err = error as NodeJS.ErrnoException & { port?: number };
  if (err?.code !== 'EADDRINUSE') return undefined;
  const port = typeof err.port === 'number' ? err.port : Number(/:(\d+)\s*$/.exec(err.message ?? '')?.[1]);
  const owner = Number.isInteger(port) ? localPortVariable(port, ports) : undefined;
  if (owner === undefined) {
    const all = Object.values(LOCAL_PORTS)
      .map((p) => p.env)
      .join(', ');
    return `A port is already in use (${err.message}). Move it with one of ${all}.`;
  }
  return (
    `Port ${port} (${owner.what}) is already in use, perhaps by another local mode. ` +
    `Set ${owner.env} to a free port (0: any free port).`
  );
}
