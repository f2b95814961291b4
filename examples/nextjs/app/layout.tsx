import type { ReactNode } from 'react';
import '@aws-amplify/ui-react-liveness/styles.css';
import '../../../react/styles.css';
import './globals.css';

export const metadata = { title: 'Face Liveness check' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
