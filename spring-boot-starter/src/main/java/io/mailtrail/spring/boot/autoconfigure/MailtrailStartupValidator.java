package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.LogsEmailEvents;
import io.mailtrail.core.capture.CaptureProblem;
import io.mailtrail.core.capture.MailtrailCapture;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Compiles the {@code @LogsEmailEvent} annotations of every bean class once all singletons exist,
 * so an annotation that can not be used is reported at start-up (by the capture's problem
 * reporter, at WARN) instead of at its first call. Never fails start-up: a broken annotation
 * costs its events, not the application.
 */
final class MailtrailStartupValidator implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(MailtrailStartupValidator.class);

    private final ConfigurableListableBeanFactory beanFactory;
    private final ObjectProvider<MailtrailCapture> capture;

    MailtrailStartupValidator(ConfigurableListableBeanFactory beanFactory, ObjectProvider<MailtrailCapture> capture) {
        this.beanFactory = beanFactory;
        this.capture = capture;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MailtrailCapture current = capture.getIfUnique();
        if (current == null) {
            return;
        }
        Set<Class<?>> seen = new HashSet<>();
        int problems = 0;
        for (String name : beanFactory.getBeanDefinitionNames()) {
            Class<?> type = targetClass(name);
            for (Class<?> c = type; c != null && c != Object.class && seen.add(c); c = c.getSuperclass()) {
                problems += validate(current, c);
            }
        }
        if (problems > 0) {
            logger.warn("Mailtrail: " + problems + " @LogsEmailEvent annotation(s) can not be used and are skipped;"
                    + " their methods run unaffected (see the warnings above)");
        }
    }

    private Class<?> targetClass(String beanName) {
        try {
            Class<?> type = AutoProxyUtils.determineTargetClass(beanFactory, beanName);
            return type == null ? null : ClassUtils.getUserClass(type);
        } catch (RuntimeException | LinkageError e) {
            logger.debug("Mailtrail: not validating bean '" + beanName + "': " + e);
            return null;
        }
    }

    private static int validate(MailtrailCapture capture, Class<?> type) {
        if (!AnnotationUtils.isCandidateClass(type, List.of(LogsEmailEvent.class, LogsEmailEvents.class))) {
            return 0;
        }
        try {
            List<CaptureProblem> problems = capture.validate(type);
            return problems.size();
        } catch (RuntimeException | LinkageError e) {
            logger.debug("Mailtrail: could not validate " + type.getName() + ": " + e);
            return 0;
        }
    }
}
