/** Public surface of @danlu/runs (run store, supervisor, queue, live data). */
export {};
