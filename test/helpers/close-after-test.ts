/** Resource clean-up that runs whether the test passed or failed. */
import { onTestFinished } from 'vitest';

/**
 * Closes `resource` when the current test finishes, pass or fail (a stdio client would otherwise leave its
 * child process running). The returned close() may be called earlier where the test asserts what happens after
 * closing; later calls, and the one at the end, then do nothing.
 */
export function closeAfterTest(resource: { close(): Promise<unknown> | unknown }): () => Promise<void> {
    let done: Promise<void> | undefined;
    const close = () => (done ??= Promise.resolve(resource.close()).then(() => undefined));
    onTestFinished(() => close());
    return close;
}
