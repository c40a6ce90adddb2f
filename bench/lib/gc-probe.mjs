// Preloaded (--import, with --expose-gc) into a server the memory bench measures: on SIGUSR2 it collects
// garbage and writes the process's memory to stderr, so the bench can tell a leak (live heap growing) from a
// heap V8 has simply not collected yet. The bench's instrument, never part of the product.
process.on('SIGUSR2', () => {
    globalThis.gc?.();
    const m = process.memoryUsage();
    process.stderr.write(`GC-PROBE ${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, external: m.external })}\n`);
});
