package io.mailtrail.core.capture;

/**
 * Bounds on what one event may carry, so that a huge or hostile argument costs the host a
 * bounded amount of time and memory and still yields a row that PostgreSQL accepts.
 *
 * @param maxDepth          nesting levels of maps, lists and objects kept; deeper values become
 *                          {@code "[depth limit]"} (default {@value #DEFAULT_MAX_DEPTH})
 * @param maxCollectionSize elements kept per collection, map or array, followed by a
 *                          {@code "…[truncated N more items]"} marker
 *                          (default {@value #DEFAULT_MAX_COLLECTION_SIZE})
 * @param maxStringLength   characters kept per string, followed by {@code "…[truncated N chars]"};
 *                          also the length of the description
 *                          (default {@value #DEFAULT_MAX_STRING_LENGTH})
 * @param maxTotalBytes     approximate UTF-8 size of one event's metadata; once spent, further
 *                          values become {@code "…[truncated: metadata size limit]"}
 *                          (default {@value #DEFAULT_MAX_TOTAL_BYTES})
 * @param maxStackFrames    frames of an error event's {@code stack_trace}
 *                          (default {@value #DEFAULT_MAX_STACK_FRAMES})
 * @param maxForEachElements events one call logs per {@code forEach} plan; the elements beyond it
 *                          are counted and reported, not logged (default {@value #DEFAULT_MAX_FOR_EACH_ELEMENTS})
 */
public record CaptureLimits(int maxDepth, int maxCollectionSize, int maxStringLength, int maxTotalBytes,
        int maxStackFrames, int maxForEachElements) {

    public static final int DEFAULT_MAX_DEPTH = 5;
    public static final int DEFAULT_MAX_COLLECTION_SIZE = 50;
    public static final int DEFAULT_MAX_STRING_LENGTH = 2_000;
    public static final int DEFAULT_MAX_TOTAL_BYTES = 16 * 1024;
    public static final int DEFAULT_MAX_STACK_FRAMES = 20;
    public static final int DEFAULT_MAX_FOR_EACH_ELEMENTS = 1_000;

    private static final CaptureLimits DEFAULTS = new CaptureLimits(DEFAULT_MAX_DEPTH,
            DEFAULT_MAX_COLLECTION_SIZE, DEFAULT_MAX_STRING_LENGTH, DEFAULT_MAX_TOTAL_BYTES,
            DEFAULT_MAX_STACK_FRAMES, DEFAULT_MAX_FOR_EACH_ELEMENTS);

    public CaptureLimits {
        requireAtLeast("maxDepth", maxDepth, 1);
        requireAtLeast("maxCollectionSize", maxCollectionSize, 1);
        // Room for a useful prefix plus the truncation marker.
        requireAtLeast("maxStringLength", maxStringLength, 32);
        requireAtLeast("maxTotalBytes", maxTotalBytes, 256);
        requireAtLeast("maxStackFrames", maxStackFrames, 0);
        requireAtLeast("maxForEachElements", maxForEachElements, 1);
    }

    /** With the default {@code maxForEachElements}. */
    public CaptureLimits(int maxDepth, int maxCollectionSize, int maxStringLength, int maxTotalBytes,
            int maxStackFrames) {
        this(maxDepth, maxCollectionSize, maxStringLength, maxTotalBytes, maxStackFrames,
                DEFAULT_MAX_FOR_EACH_ELEMENTS);
    }

    /** The defaults: depth 5, 50 elements, 2,000 characters, 16 KiB, 20 stack frames, 1,000 forEach elements. */
    public static CaptureLimits defaults() {
        return DEFAULTS;
    }

    public CaptureLimits withMaxDepth(int value) {
        return new CaptureLimits(value, maxCollectionSize, maxStringLength, maxTotalBytes, maxStackFrames,
                maxForEachElements);
    }

    public CaptureLimits withMaxCollectionSize(int value) {
        return new CaptureLimits(maxDepth, value, maxStringLength, maxTotalBytes, maxStackFrames,
                maxForEachElements);
    }

    public CaptureLimits withMaxStringLength(int value) {
        return new CaptureLimits(maxDepth, maxCollectionSize, value, maxTotalBytes, maxStackFrames,
                maxForEachElements);
    }

    public CaptureLimits withMaxTotalBytes(int value) {
        return new CaptureLimits(maxDepth, maxCollectionSize, maxStringLength, value, maxStackFrames,
                maxForEachElements);
    }

    public CaptureLimits withMaxStackFrames(int value) {
        return new CaptureLimits(maxDepth, maxCollectionSize, maxStringLength, maxTotalBytes, value,
                maxForEachElements);
    }

    public CaptureLimits withMaxForEachElements(int value) {
        return new CaptureLimits(maxDepth, maxCollectionSize, maxStringLength, maxTotalBytes, maxStackFrames, value);
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
    }
}
