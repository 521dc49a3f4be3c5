// The little of react-dom the tests use (@types/react-dom is not a dependency).
declare module 'react-dom' {
  export function flushSync<R>(fn: () => R): R;
}

declare module 'react-dom/client' {
  import type { ReactNode } from 'react';
  export interface Root {
    render(children: ReactNode): void;
    unmount(): void;
  }
  export function createRoot(container: Element | DocumentFragment): Root;
  export function hydrateRoot(
    container: Element | Document,
    initialChildren: ReactNode,
    options?: { onRecoverableError?: (error: unknown) => void },
  ): Root;
}
