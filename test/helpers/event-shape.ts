/**
 * What a listener on `document` sees of an event that `element` fired inside `host`'s
 * shadow root: the flags of the contract, and that it came through retargeted to the host.
 */
export function eventShape(event: Event, host: Element, element: Element) {
  return {
    bubbles: event.bubbles,
    composed: event.composed,
    cancelable: event.cancelable,
    retargetedToHost: event.target === host,
    firedByElement: event.composedPath()[0] === element,
  };
}
