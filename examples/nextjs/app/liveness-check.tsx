'use client';
/**
 * The client boundary. The detector (TensorFlow.js, the camera, WebSockets) only ever runs in the browser: it is loaded
 * with `ssr: false`, so the server neither bundles nor renders it.
 */
import dynamic from 'next/dynamic';
import type { AppConfig } from './config';

const Check = dynamic(() => import('./check').then((m) => m.Check), {
  ssr: false,
  loading: () => (
    <div className="panel">
      <div className="flc-screen flc-busy" role="status">
        <p>Loading…</p>
      </div>
    </div>
  ),
});

export function LivenessCheck({ config }: { config: AppConfig }) {
  return <Check config={config} />;
}
