package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.core.capture.MailtrailCapture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Configures AspectJ's singleton of {@link EmailActivityAspect}, the instance that classes woven
 * at compile time or load time call, with the application's capture pipeline; without it, woven
 * {@code @LogsEmailEvent} methods would run unlogged until the application called
 * {@code EmailActivityAspect.aspectOf().configure(capture)} itself. Harmless when nothing is woven:
 * the singleton then receives no calls. Woven calls made before this bean was created (by beans
 * created earlier, say) are reported, since they could not be logged.
 */
final class WovenAspectConfigurer implements DisposableBean {

    private static final Log logger = LogFactory.getLog(WovenAspectConfigurer.class);

    private final EmailActivityAspect woven;

    WovenAspectConfigurer(MailtrailCapture capture) {
        this.woven = EmailActivityAspect.aspectOf();
        woven.configure(capture);
        long early = woven.callsBeforeConfiguration();
        if (early > 0) {
            logger.warn("Mailtrail: " + early + " call(s) of woven @LogsEmailEvent methods ran before Mailtrail was"
                    + " configured and were not logged");
        }
    }

    /** The woven aspect's count of unlogged calls before configuration, for the metrics. */
    EmailActivityAspect aspect() {
        return woven;
    }

    @Override
    public void destroy() {
        // The capture's writer is closing: woven calls go back to running unlogged, and counted.
        woven.reset();
    }
}
