// Inside an <iframe> (`embed=1`), tells the host page the document's height whenever it changes, as API.md
// says: postMessage({type: "holdfast:height", height}). The host sizes the frame, so nothing scrolls twice.

export function reportHeight() {
  if (window.parent === window) return;
  let last = 0;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: 'holdfast:height', height }, '*');
    }
  };
  new ResizeObserver(send).observe(document.documentElement);
  send();
}

export function embedded() {
  return document.documentElement.classList.contains('embed');
}
