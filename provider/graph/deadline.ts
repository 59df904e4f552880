/**
 * An abort signal that fires `ms` from now, or when `parent` aborts. Held by a real timer: on Node 20
 * a signal from `AbortSignal.any([..., AbortSignal.timeout(ms)])` can be garbage-collected before it
 * fires, and a hung request then waits for the operation budget instead of its own timeout. The
 * timer is unref'd so it never keeps a process alive on its own.
 */
export function deadline(ms: number, parent?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`The operation was aborted due to timeout after ${ms} ms`, "TimeoutError")),
    ms,
  );
  timer.unref();
  if (parent !== undefined) {
    if (parent.aborted) controller.abort(parent.reason);
    else parent.addEventListener("abort", () => controller.abort(parent.reason), { once: true, signal: controller.signal });
  }
  controller.signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  return controller.signal;
}
