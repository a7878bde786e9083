package io.mailtrail.aspect.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.aspect.contract.EmailActivityAspectContract;
import io.mailtrail.aspect.fixtures.EmailLinker;
import io.mailtrail.aspect.fixtures.MailProcessingService;
import io.mailtrail.core.capture.MailtrailCapture;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The contract with {@code spring.aop.proxy-target-class=false}: {@link EmailLinker} is a JDK
 * proxy whose invoked method is the interface's, while the annotations sit on the implementation.
 */
class SpringAopInterfaceProxyTest extends EmailActivityAspectContract {

    @Override
    protected Fixtures open(MailtrailCapture capture) {
        ConfigurableApplicationContext context = FixturesConfiguration.start(capture,
                builder -> builder.properties("spring.aop.proxy-target-class=false"), FixturesConfiguration.class);
        MailProcessingService processing = context.getBean(MailProcessingService.class);
        EmailLinker linker = context.getBean(EmailLinker.class);
        assertThat(AopUtils.isJdkDynamicProxy(linker)).isTrue();
        assertThat(AopUtils.isAopProxy(processing)).isTrue();
        return new Fixtures() {
            @Override
            public MailProcessingService processing() {
                return processing;
            }

            @Override
            public EmailLinker linker() {
                return linker;
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }
}
