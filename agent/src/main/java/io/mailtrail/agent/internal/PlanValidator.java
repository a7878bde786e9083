package io.mailtrail.agent.internal;

import io.mailtrail.core.capture.MailtrailCapture;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Compiles the plans of each instrumented class soon after it is defined, so that an invalid
 * expression shows in the report at start-up rather than on the first call. The transformer
 * only queues the class by name ({@link #submit}); its own daemon thread ({@link #run}) compiles,
 * because the transformer runs while the class is being defined, before it exists.
 */
final class PlanValidator implements Runnable {

    /** Filled by the transforming threads, drained by this validator's thread only. */
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final MailtrailCapture capture;

    PlanValidator(MailtrailCapture capture) {
        this.capture = capture;
    }

    /** Called by the transformer; the loader is held weakly so a redeployed one can go. */
    void submit(ClassLoader loader, String className) {
        queue.add(new Pending(new WeakReference<>(loader), className));
    }

    @Override
    public void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
                Thread.sleep(100); // let the definitions that queued them finish; take what came meanwhile
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            for (Pending next : batch) {
                ClassLoader loader = next.loader.get();
                if (loader == null) {
                    continue;
                }
                try {
                    capture.validate(Class.forName(next.className, false, loader));
                } catch (Throwable e) {
                    // Not loadable by name from here (e.g. defined through a Lookup): compiled on first call instead.
                }
            }
            batch.clear();
        }
    }

    private record Pending(WeakReference<ClassLoader> loader, String className) {
    }
}
