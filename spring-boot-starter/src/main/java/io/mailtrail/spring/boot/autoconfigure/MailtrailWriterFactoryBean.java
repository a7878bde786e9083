package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.writer.AsyncEventWriter;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.FactoryBean;

/**
 * Exposes the writer as a bean and closes it with the configured deadline when the context
 * closes: {@code destroyMethod} can not pass {@code shutdownTimeout} to
 * {@link AsyncEventWriter#close(Duration)}, and a separate closing bean would not be ordered after
 * every bean that uses the writer. A factory bean is: whoever depends on the writer depends on
 * this bean, so it is destroyed only after them, and events their own destruction logs still land.
 */
final class MailtrailWriterFactoryBean implements FactoryBean<AsyncEventWriter>, DisposableBean {

    private static final Log logger = LogFactory.getLog(MailtrailWriterFactoryBean.class);

    private final AsyncEventWriter writer;
    private final Duration shutdownTimeout;

    MailtrailWriterFactoryBean(AsyncEventWriter writer, Duration shutdownTimeout) {
        this.writer = writer;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public AsyncEventWriter getObject() {
        return writer;
    }

    @Override
    public Class<?> getObjectType() {
        return AsyncEventWriter.class;
    }

    @Override
    public void destroy() {
        long pending = writer.stats().pending();
        if (!writer.close(shutdownTimeout)) {
            logger.warn("Mailtrail writer closed with events dropped (" + pending + " pending at shutdown, "
                    + shutdownTimeout.toMillis() + " ms allowed): " + writer.stats());
        }
    }
}
