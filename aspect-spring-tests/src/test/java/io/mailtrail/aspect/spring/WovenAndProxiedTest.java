package io.mailtrail.aspect.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.event.EmailEvent;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.lang.reflect.Method;
import org.aspectj.lang.annotation.Around;
import org.springframework.aop.aspectj.AspectJAroundAdvice;
import org.springframework.aop.aspectj.AspectJExpressionPointcut;
import org.springframework.aop.aspectj.SingletonAspectInstanceFactory;
import org.springframework.aop.aspectj.annotation.AspectJProxyFactory;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.interceptor.ExposeInvocationInterceptor;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A class woven at compile time and proxied by Spring AOP with the same aspect: exactly one event
 * per call must come out. The proxy's aspect and AspectJ's singleton record into different lists
 * here, so the tests also see which of the two recorded.
 *
 * <p>Spring 7 does not apply an ajc-compiled aspect to a class that ajc has woven (any {@code ajc$}
 * field), so its auto-proxies never advise such a class twice. Spring 6.1.7 to 6.1.13 did (spring-
 * framework#32970, #33704), and so does any proxy that applies the advice without that check; the
 * aspect's own guard covers those, shown here with a proxy built from {@link AspectJAroundAdvice}.
 */
class WovenAndProxiedTest {

    private final List<EmailEvent> byProxy = new CopyOnWriteArrayList<>();
    private final List<EmailEvent> byWeaving = new CopyOnWriteArrayList<>();
    private final MailtrailCapture proxyCapture = MailtrailCapture.builder(byProxy::add).build();

    @BeforeEach
    void configureTheWovenSingleton() {
        EmailActivityAspect.aspectOf().configure(MailtrailCapture.builder(byWeaving::add).build());
    }

    @AfterEach
    void resetTheWovenSingleton() {
        EmailActivityAspect.aspectOf().reset();
    }

    @Test
    void wovenClassIsReallyWoven() {
        assertThat(Arrays.stream(WovenReader.class.getDeclaredFields()).map(f -> f.getName()))
                .anyMatch(name -> name.startsWith("ajc$"));

        new WovenReader().read(1);

        assertThat(byWeaving).extracting(EmailEvent::emailId).containsExactly(1);
    }

    @Test
    void springLeavesAWovenClassToTheWeaving() {
        AspectJProxyFactory factory = new AspectJProxyFactory(new WovenReader());
        factory.setProxyTargetClass(true);
        factory.addAspect(new EmailActivityAspect(proxyCapture));
        WovenReader reader = factory.getProxy();

        assertThat(reader.read(2)).isEqualTo("read 2");

        assertThat(byProxy).isEmpty();
        assertThat(byWeaving).extracting(EmailEvent::emailId).containsExactly(2);
    }

    @Test
    void aProxyThatAdvisesTheWovenClassAnywayLogsOnceItself() {
        WovenReader reader = proxy(new WovenReader());

        assertThat(reader.read(3)).isEqualTo("read 3");

        assertThat(byProxy).extracting(EmailEvent::emailId).containsExactly(3);
        assertThat(byWeaving).isEmpty();
    }

    @Test
    void aSelfCallInsideAProxiedWovenCallIsAGenuineSecondCall() {
        WovenReader reader = proxy(new WovenReader());

        assertThat(reader.readTwice(3)).isEqualTo("read 3 twice");
        assertThat(byProxy.size() + byWeaving.size()).isEqualTo(2);

        // The outer call through the proxy, the inner self-call through the weaving only.
        assertThat(byProxy).extracting(EmailEvent::description).containsExactly("read twice");
        assertThat(byWeaving).extracting(EmailEvent::description).containsExactly("read by WovenReader.read");
    }

    @Test
    void aProxiedCallLeavesNothingBehindForTheNextDirectCall() {
        WovenReader target = new WovenReader();
        proxy(target).read(4);

        target.read(5);

        assertThat(byProxy).extracting(EmailEvent::emailId).containsExactly(4);
        assertThat(byWeaving).extracting(EmailEvent::emailId).containsExactly(5);
    }

    @Test
    void inASpringBootContextTheWovenBeanIsLoggedOnceByTheWeaving() {
        try (ConfigurableApplicationContext context = FixturesConfiguration.start(proxyCapture, builder -> { },
                WovenReaderConfiguration.class)) {
            WovenReader reader = context.getBean(WovenReader.class);

            reader.read(6);
            reader.read(7);

            assertThat(AopUtils.isAopProxy(reader)).isFalse();
            assertThat(byProxy).isEmpty();
            assertThat(byWeaving).extracting(EmailEvent::emailId).containsExactly(6, 7);
        }
    }

    /** A class proxy running the aspect's advice on every call, without Spring 7's ajc check. */
    private WovenReader proxy(WovenReader target) {
        Method advice = Arrays.stream(EmailActivityAspect.class.getMethods())
                .filter(m -> m.isAnnotationPresent(Around.class)).findFirst().orElseThrow();
        AspectJExpressionPointcut pointcut = new AspectJExpressionPointcut();
        pointcut.setExpression(advice.getAnnotation(Around.class).value());
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvisor(ExposeInvocationInterceptor.ADVISOR);
        factory.addAdvice(new AspectJAroundAdvice(advice, pointcut,
                new SingletonAspectInstanceFactory(new EmailActivityAspect(proxyCapture))));
        WovenReader proxy = (WovenReader) factory.getProxy();
        assertThat(AopUtils.isCglibProxy(proxy)).isTrue();
        return proxy;
    }

    @Import(FixturesConfiguration.class)
    static class WovenReaderConfiguration {
        @Bean
        WovenReader wovenReader() {
            return new WovenReader();
        }
    }
}
