package io.holdfast.live.web;

/**
 * How many event streams one instance keeps open at most. Each stream holds one of Tomcat's connections
 * ({@code server.tomcat.max-connections}) and about 91 KB of heap while idle (docs/benchmarks.md, "Memory per idle
 * event stream": nearly all of it Tomcat's buffers of the open request and response), so a cap above
 * either budget lets streams take what ordinary requests need: the cap is never more than three quarters of the
 * connections, nor more streams than a quarter of the heap holds. A configured {@code holdfast.live.max-streams}
 * may only lower it.
 *
 * @param streams the cap
 * @param reason  what set it, for the start-up log
 */
record StreamCap(int streams, String reason) {

    /** The measured 91 KB per idle stream, with room: a stream that sent events holds more. */
    static final long HEAP_PER_STREAM = 128 * 1024;

    static StreamCap of(int configured, int maxConnections, long maxHeapBytes) {
        int byConnections = Math.max(1, maxConnections - Math.max(1, maxConnections / 4));
        int byHeap = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxHeapBytes / 4 / HEAP_PER_STREAM));
        int derived = Math.min(byConnections, byHeap);
        String budget = byHeap < byConnections
                ? "a quarter of the " + (maxHeapBytes >> 20) + " MB heap at " + (HEAP_PER_STREAM >> 10) + " KB a stream"
                : "three quarters of " + maxConnections + " connections";
        if (configured > 0 && configured <= derived) {
            return new StreamCap(configured, "holdfast.live.max-streams");
        }
        return new StreamCap(derived, configured > 0
                ? budget + " (holdfast.live.max-streams=" + configured + " is more than that)" : budget);
    }
}
