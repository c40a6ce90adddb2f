/** A value the test needs to go on: returned when present, else the test fails here, saying what was missing. */
export function must<T>(value: T | undefined | null, what: string): T {
    if (value === undefined || value === null) throw new Error(`expected ${what}, got ${String(value)}`);
    return value;
}
