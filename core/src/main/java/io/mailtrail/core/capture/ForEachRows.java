package io.mailtrail.core.capture;

import io.mailtrail.core.expression.EvaluationContext;
import io.mailtrail.core.expression.EvaluationException;
import io.mailtrail.core.internal.RateLimitedLog;
import java.lang.reflect.Array;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One event per element for a plan with {@code forEach}: evaluates the plan's {@code forEach}
 * expression, walks its elements (an array, an {@code Iterable}, a {@code Map}'s values) and hands
 * each, as {@code #it} and {@code #index}, to the row builder. At most
 * {@link CaptureLimits#maxForEachElements()} elements per call and plan: a batch of a million
 * costs the caller a bounded time, and the elements beyond are counted
 * ({@link CaptureStats#skippedElementCap()}) and reported in a log line at most once a minute per
 * plan, so a cut trail is never silent.
 */
final class ForEachRows {

    /** Builds one element's event; {@code true} when it built one. */
    interface Row {
        boolean emit(EvaluationContext elementContext);
    }

    private static final System.Logger LOG = System.getLogger(MailtrailCapture.class.getName());

    private final int maxElements;
    private final CaptureCounters counters;
    private final RateLimitedLog cutLog = new RateLimitedLog(LOG, Duration.ofMinutes(1));

    ForEachRows(int maxElements, CaptureCounters counters) {
        this.maxElements = maxElements;
        this.counters = counters;
    }

    /**
     * Calls {@code row} for each element of {@code plan}'s {@code forEach}, within the cap.
     *
     * @return whether any call of {@code row} built an event
     */
    boolean each(MethodCapturePlan plan, EvaluationContext context, Row row) {
        Object source;
        try {
            source = plan.forEach.evaluate(context);
        } catch (EvaluationException e) {
            warn(plan, "failed: " + e.getMessage());
            return false;
        }
        if (source == null) {
            return false;
        }
        boolean any = false;
        try {
            Iterator<?> elements = elements(source);
            if (elements == null) {
                warn(plan, "is a " + source.getClass().getName() + ", not an array, an Iterable or a Map");
                return false;
            }
            int index = 0;
            while (elements.hasNext()) {
                if (index == maxElements) {
                    cut(plan, source, index);
                    break;
                }
                any |= row.emit(context.forElement(elements.next(), index));
                index++;
            }
        } catch (Throwable e) {
            // The host's collection failed under iteration (changed meanwhile, a lazy load): the
            // rows built so far stand, the rest are lost and counted, the call is unaffected.
            ValueCapture.rethrowIfFatal(e);
            counters.failed(plan, e);
        }
        return any;
    }

    private void cut(MethodCapturePlan plan, Object source, int logged) {
        long size = size(source);
        long skipped = size < 0 ? 1 : size - logged; // an Iterable of unknown size: at least one
        counters.skippedElementCap.add(skipped);
        cutLog.warn("forEach " + plan.codeFunction + " " + plan.type, () -> "Mailtrail: a call of " + plan.codeFunction
                + " had " + (size < 0 ? "more than " + logged : String.valueOf(size)) + " elements for the "
                + plan.type + " events of " + plan.origin + " (forEach \"" + plan.forEach.source() + "\"); logged "
                + logged + " (capture.maxForEachElements), skipped " + (size < 0 ? "the rest" : String.valueOf(skipped))
                + " (counted; this line at most once a minute)");
    }

    /** The call's events of this plan are lost: counted as failed, the first time per plan logged. */
    private void warn(MethodCapturePlan plan, String why) {
        counters.failed(plan, new EvaluationException("forEach \"" + plan.forEach.source() + "\" " + why));
    }

    /** The elements of an array, an {@code Iterable} or a {@code Map}'s values; {@code null} for anything else. */
    static Iterator<?> elements(Object source) {
        if (source instanceof Object[] array) {
            return Arrays.asList(array).iterator();
        }
        if (source instanceof Map<?, ?> map) {
            return map.values().iterator();
        }
        if (source instanceof Iterable<?> iterable) {
            return iterable.iterator();
        }
        if (source.getClass().isArray()) {
            return new PrimitiveArrayIterator(source);
        }
        return null;
    }

    private static long size(Object source) {
        if (source instanceof Collection<?> collection) {
            return collection.size();
        }
        if (source instanceof Map<?, ?> map) {
            return map.size();
        }
        if (source.getClass().isArray()) {
            return Array.getLength(source);
        }
        return -1;
    }

    /** The elements of an {@code int[]} (of email ids, say), boxed one at a time. */
    private static final class PrimitiveArrayIterator implements Iterator<Object> {
        private final Object array;
        private final int length;
        private int next;

        PrimitiveArrayIterator(Object array) {
            this.array = array;
            this.length = Array.getLength(array);
        }

        @Override
        public boolean hasNext() {
            return next < length;
        }

        @Override
        public Object next() {
            if (next >= length) {
                throw new NoSuchElementException();
            }
            return Array.get(array, next++);
        }
    }
}
